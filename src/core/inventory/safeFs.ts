// A store that trusts no one: its folders are 0700 and its files 0600; a store folder owned by another user, or
// writable by group or others, is refused (another user could plant or swap what we read and write); and nothing
// inside the store is reached through a symbolic link: every folder on the way is checked with lstat, and files are
// opened with O_NOFOLLOW, so a linked endpoint folder or document can never make us read or write outside the store.
// A folder created 0755 by an older release, and owned by us, is tightened to 0700 instead of refused.
// On Windows there are no modes, owners or O_NOFOLLOW to check: the checks there are the lstat ones only.
import { constants, promises as fs, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { StoreError } from './storeError';

export const FOLDER_MODE = 0o700;
export const FILE_MODE = 0o600;

const posix = process.platform !== 'win32';
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// Non-blocking, so a FIFO planted in the store cannot hang the open; harmless for regular files.
const NONBLOCK = constants.O_NONBLOCK ?? 0;

function myUid(): number | undefined {
  return posix && typeof process.getuid === 'function' ? process.getuid() : undefined;
}

function unsafe(path: string, message: string): StoreError {
  return new StoreError(message, path, 'unsafe');
}

function modeText(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}

/**
 * Checks one folder of the store (already known not to be a link): ours, not writable by group or others. A folder
 * of ours that others may only read or enter (0755, older releases) is tightened to 0700.
 */
async function checkFolder(path: string, st: Stats, what: string): Promise<void> {
  const uid = myUid();
  if (uid === undefined) return;
  if (st.uid !== uid) {
    throw unsafe(path, `The ${what} ${path} is owned by user id ${st.uid}, not by you (user id ${uid}): another user could change ` +
      `what Proxbox reads and writes there, so it is not used. Use a folder of your own, or make it yours: chown -R ${uid} '${path}'.`);
  }
  if (st.mode & 0o022) {
    const who = [st.mode & 0o020 ? 'its group' : '', st.mode & 0o002 ? 'other users' : ''].filter(Boolean).join(' and ');
    throw unsafe(path, `The ${what} ${path} is writable by ${who} (mode ${modeText(st.mode)}): someone else could have put files there, so it is not used. ` +
      `Check its contents, then run: chmod 700 '${path}'.`);
  }
  if (st.mode & 0o077) await fs.chmod(path, FOLDER_MODE);
}

/** Creates the store folder (0700) when missing, and checks it: see checkFolder. The store folder itself may be a link. */
export async function prepareStoreRoot(root: string): Promise<void> {
  await fs.mkdir(root, { recursive: true, mode: FOLDER_MODE });
  const st = await fs.stat(root);
  if (!st.isDirectory()) throw unsafe(root, `The store folder ${root} is not a folder. Choose another store folder.`);
  await checkFolder(root, st, 'store folder');
}

/**
 * Makes sure every folder from the store folder down to `dir` is a real folder (never a link) of ours, creating the
 * missing ones 0700 when `create` is set. Returns false when one is missing (and `create` is not set).
 */
export async function checkInside(root: string, dir: string, create: boolean): Promise<boolean> {
  const rel = relative(root, dir);
  if (rel.startsWith('..')) throw new TypeError(`${dir} is not inside the store ${root}`);
  let path = root;
  for (const part of rel ? rel.split(sep) : []) {
    path = join(path, part);
    let st: Stats;
    try {
      st = await fs.lstat(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (!create) return false;
      try {
        await fs.mkdir(path, { mode: FOLDER_MODE });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      st = await fs.lstat(path);
    }
    if (st.isSymbolicLink()) {
      throw unsafe(path, `${path} is a symbolic link inside the store, and Proxbox never follows links there (it could make ` +
        `Proxbox read or write files elsewhere). Nothing was read or written through it. Remove the link (rm '${path}'); ` +
        `a sync recreates what belongs there.`);
    }
    if (!st.isDirectory()) {
      throw unsafe(path, `${path} is not a folder, but the store needs a folder there. Move it away; a sync recreates what belongs there.`);
    }
    await checkFolder(path, st, 'folder');
  }
  return true;
}

/** Reads a file of the store without following a link: undefined when it does not exist. */
export async function readNoFollow(file: string): Promise<string | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' || code === 'EMLINK') throw linkedFile(file);
    throw err;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw unsafe(file, `${file} is not a regular file. Move it away; a sync recreates what belongs there.`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Refuses a document that is a link (an lstat, for the platforms without O_NOFOLLOW and for callers that only rename). */
export async function refuseLink(file: string): Promise<void> {
  const st = await fs.lstat(file).catch(() => undefined);
  if (st?.isSymbolicLink()) throw linkedFile(file);
}

function linkedFile(file: string): StoreError {
  return unsafe(file, `${file} is a symbolic link inside the store, and Proxbox never follows links there (it could make ` +
    `Proxbox read or write a file elsewhere). Nothing was read or written through it. Remove the link (rm '${file}'); ` +
    `a sync recreates what belongs there.`);
}
