// Crash-safe file replacement. A reader (or a process started after a crash) sees either the previous
// content or the new one, never a truncated mix: the new bytes go to a temporary file in the same directory
// (so the rename cannot cross file systems), are flushed to the disk, and only then replace the target by
// rename, which POSIX makes atomic. The directory is flushed afterwards so the rename itself survives a power
// cut, not only a process kill.
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Temporary files are hidden, carry the writer's pid (to tell a live writer from a crashed one) and end in .tmp. */
const TEMP_PATTERN = /^\.(.+)\.(\d+)-([0-9a-f]+)\.tmp$/;

/** Temporary files this process is writing right now: a leftover with our pid but not in here is from an earlier
 * process that had the same pid (common in containers, where the command often runs as pid 1). */
const inFlight = new Set<string>();

export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

export function isTempFileName(name: string): boolean {
  return TEMP_PATTERN.test(name);
}

export interface AtomicWriteOptions {
  /** Flush to the disk (default true). Without it a kill still cannot tear the file, but a power cut may lose it. */
  fsync?: boolean;
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const fsync = options.fsync ?? true;
  const dir = dirname(path);
  // Folders of the store are private (see safeFs.ts); DocumentStore has created and checked them already.
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = tempPathFor(path);
  inFlight.add(basename(temp));
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(temp, 'wx', 0o600);
    await handle.writeFile(data);
    if (fsync) await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, path);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  } finally {
    inFlight.delete(basename(temp));
  }
  if (fsync) await syncDirectory(dir);
}

/** Flushes a directory entry change (rename, unlink). Some platforms (Windows) cannot open a directory: ignored there. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF' && code !== 'EACCES') throw err;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function writerIsAlive(pid: number, tempName: string): boolean {
  if (pid === process.pid) return inFlight.has(tempName);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the pid exists but belongs to someone else; it may be a writer of ours under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary files left by writers that crashed. A temporary file of a live process is kept (another
 * window may be writing it right now) unless it is older than `staleAfterMs`, which covers a reused pid.
 * Returns the names removed.
 */
export async function cleanTempFiles(dir: string, staleAfterMs = 60 * 60 * 1000, now = Date.now()): Promise<string[]> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of entries) {
    const match = TEMP_PATTERN.exec(name);
    if (!match) continue;
    const pid = Number(match[2]);
    const full = join(dir, name);
    let stale = !writerIsAlive(pid, name);
    if (!stale) {
      const stat = await fs.lstat(full).catch(() => undefined);
      stale = stat !== undefined && now - stat.mtimeMs > staleAfterMs;
    }
    if (stale) {
      await fs.rm(full, { force: true }).catch(() => undefined);
      removed.push(name);
    }
  }
  return removed;
}
