// The embedded document store: one JSON file per document, each wrapped in an envelope that names its kind and
// schema version. Files are replaced atomically (see atomic.ts). A file written by a newer release, or holding
// another kind of document, is refused and left untouched, so downgrading the extension never destroys data.
import { promises as fs } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { cleanTempFiles, isTempFileName, syncDirectory, writeFileAtomic } from './atomic';
import { checkInside, prepareStoreRoot, readNoFollow } from './safeFs';
import { StoreError } from './storeError';

export { writeFileAtomic, StoreError };
export type { StoreErrorReason } from './storeError';

export interface DocumentEnvelope<T> {
  kind: string;
  version: number;
  savedAt: string;
  data: T;
}

/** A corrupt file is moved aside under this suffix before being replaced, so nothing is lost. */
const CORRUPT_SUFFIX = /\.corrupt-[0-9TZ:.-]+$/;

export interface WriteResult {
  written: boolean;
}

export class DocumentStore {
  /** Writes to the same name are queued, so two callers cannot interleave read-compare-write. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly cleanedDirs = new Set<string>();
  private rootChecked: Promise<void> | undefined;

  constructor(readonly dir: string) {}

  /**
   * Makes sure the folders from the store folder down to `dir` are safe (see safeFs.ts: ours, 0700, no links),
   * creating them when `create` is set; false when one is missing. The store folder itself is checked once.
   */
  private async safeFolder(dir: string, create: boolean): Promise<boolean> {
    // Reading a store that does not exist yet creates nothing.
    if (!this.rootChecked && !create && !(await fs.stat(this.dir).then(() => true, () => false))) return false;
    this.rootChecked ??= prepareStoreRoot(this.dir).catch((err: unknown) => {
      this.rootChecked = undefined;
      throw err instanceof StoreError ? err : ioError(this.dir, 'prepare the store folder', err);
    });
    await this.rootChecked;
    try {
      return await checkInside(this.dir, dir, create);
    } catch (err) {
      throw err instanceof StoreError ? err : ioError(dir, create ? 'create the store folder' : 'check the store folder', err);
    }
  }

  /** Creates (0700, checked) the folder a document goes in, for callers that move files within the store. */
  async prepareFolderOf(name: string): Promise<void> {
    await this.safeFolder(dirname(this.pathOf(name)), true);
  }

  /** The absolute path of a document. Throws for names that could escape the store. */
  pathOf(name: string): string {
    return join(this.dir, ...checkName(name));
  }

  async read<T>(name: string, kind: string, version: number, migrate?: (oldVersion: number, data: unknown) => T): Promise<T | undefined> {
    const file = this.pathOf(name);
    if (!(await this.safeFolder(dirname(file), false))) return undefined;
    await this.cleanOnce(dirname(file));
    const raw = await readText(file);
    if (raw === undefined) return undefined;
    const envelope = parseEnvelope(raw, file);
    checkKindAndVersion(envelope, kind, version, file, 'read');
    if (envelope.version === version) return envelope.data as T;
    if (!migrate) {
      throw new StoreError(
        `${file} holds a '${kind}' document of version ${envelope.version}, and this release reads version ${version} ` +
          `without a migration for it. Delete the file to rebuild it (a sync recreates inventory files).`,
        file,
        'older-version',
      );
    }
    try {
      return migrate(envelope.version, envelope.data);
    } catch (err) {
      throw new StoreError(
        `${file}: migrating a '${kind}' document from version ${envelope.version} to ${version} failed ` +
          `(${err instanceof Error ? err.message : String(err)}). The file is unchanged; delete it to rebuild it.`,
        file,
        'corrupt',
        { cause: err },
      );
    }
  }

  /**
   * Writes a document atomically; skipped ({written: false}) when the data is what the file already holds.
   * `durable: false` skips the fsyncs for documents that are cheap to lose in a power cut (never torn, though).
   */
  async write<T>(name: string, kind: string, version: number, data: T, options: { durable?: boolean } = {}): Promise<WriteResult> {
    const file = this.pathOf(name);
    return this.serialized(file, () => this.writeNow(file, kind, version, data, options.durable ?? true));
  }

  async remove(name: string): Promise<void> {
    const file = this.pathOf(name);
    await this.serialized(file, async () => {
      if (!(await this.safeFolder(dirname(file), false))) return;
      try {
        await fs.unlink(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw ioError(file, 'remove', err);
      }
      await syncDirectory(dirname(file));
    });
  }

  /** Document names (with '/' separators), sorted, optionally only those starting with `prefix`. */
  async list(prefix = ''): Promise<string[]> {
    // Walk only the deepest folder the prefix names, so listing one endpoint does not read every other one.
    const slash = prefix.lastIndexOf('/');
    const baseParts = slash >= 0 ? checkName(prefix.slice(0, slash)) : [];
    const out: string[] = [];
    await this.walk(baseParts, out);
    return out.filter((n) => n.startsWith(prefix)).sort();
  }

  private async walk(parts: string[], out: string[]): Promise<void> {
    const abs = join(this.dir, ...parts);
    if (!(await this.safeFolder(abs, false))) return;
    await this.cleanOnce(abs);
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(abs, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw ioError(abs, 'list', err);
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || CORRUPT_SUFFIX.test(e.name)) continue;
      if (e.isDirectory()) await this.walk([...parts, e.name], out);
      else if (e.isFile()) out.push([...parts, e.name].join('/'));
    }
  }

  private async writeNow<T>(file: string, kind: string, version: number, data: T, durable: boolean): Promise<WriteResult> {
    const dataJson = JSON.stringify(data);
    if (dataJson === undefined) throw new TypeError(`cannot store ${String(data)} as a '${kind}' document (${file})`);
    await this.safeFolder(dirname(file), true);
    await this.cleanOnce(dirname(file));
    const raw = await readText(file);
    if (raw !== undefined) {
      // Fast path for our own layout: the header names kind and version, and if the rest is exactly the new data
      // the file is identical without parsing megabytes of JSON.
      const header = ownHeader(raw);
      if (header) {
        checkKindAndVersion(header, kind, version, file, 'write');
        if (header.version === version && raw.length === header.length + dataJson.length + 2 && raw.endsWith(`${dataJson}}\n`)) {
          return { written: false };
        }
      }
      let existing: DocumentEnvelope<unknown> | undefined;
      try {
        existing = parseEnvelope(raw, file);
      } catch (err) {
        if (!(err instanceof StoreError) || err.reason !== 'corrupt') throw err;
        // Not written by us (our writes are atomic): keep it beside the new version for inspection.
        await fs.rename(file, `${file}.corrupt-${new Date().toISOString().replaceAll(':', '-')}`).catch((e) => {
          throw ioError(file, 'move aside the corrupt file', e);
        });
      }
      if (existing) {
        checkKindAndVersion(existing, kind, version, file, 'write');
        if (existing.version === version && JSON.stringify(existing.data) === dataJson) return { written: false };
      }
    }
    const savedAt = new Date().toISOString();
    // Same layout as JSON.stringify of the envelope, built by hand so the data is serialised only once.
    const text = `{"kind":${JSON.stringify(kind)},"version":${JSON.stringify(version)},"savedAt":${JSON.stringify(savedAt)},"data":${dataJson}}\n`;
    try {
      await writeFileAtomic(file, text, { fsync: durable });
    } catch (err) {
      throw ioError(file, 'write', err);
    }
    return { written: true };
  }

  private serialized<R>(file: string, task: () => Promise<R>): Promise<R> {
    const previous = this.queues.get(file) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    this.queues.set(file, settled);
    void settled.then(() => {
      if (this.queues.get(file) === settled) this.queues.delete(file);
    });
    return next;
  }

  private async cleanOnce(dir: string): Promise<void> {
    if (this.cleanedDirs.has(dir)) return;
    this.cleanedDirs.add(dir);
    await cleanTempFiles(dir);
  }
}

/** Splits a document name into safe path segments, refusing anything that could leave the store folder. */
function checkName(name: string): string[] {
  const bad = (why: string): never => {
    throw new TypeError(`invalid document name '${name}': ${why}. Use a relative name such as 'endpoints/<id>/inventory.json'.`);
  };
  if (typeof name !== 'string' || name.length === 0) bad('it is empty');
  if (name.includes('\0')) bad('it contains a NUL character');
  if (name.includes('\\')) bad("use '/' as the separator");
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) bad('it is absolute');
  const parts = name.split('/');
  for (const p of parts) {
    if (p === '') bad('it has an empty segment');
    if (p === '.' || p === '..') bad(`'${p}' segments are not allowed`);
    if (p.startsWith('.')) bad('segments starting with a dot are reserved for temporary files');
    if (isTempFileName(p) || CORRUPT_SUFFIX.test(p)) bad('the name is reserved');
    if (p.includes(sep) && sep !== '/') bad("use '/' as the separator");
  }
  return parts;
}

/** A document's text, never through a link (see safeFs.ts); undefined when there is none. */
async function readText(file: string): Promise<string | undefined> {
  try {
    return await readNoFollow(file);
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw ioError(file, 'read', err);
  }
}

function parseEnvelope(raw: string, file: string): DocumentEnvelope<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new StoreError(
      `${file} is not valid JSON (${(err as Error).message}). It was not written by Proxbox's atomic writer; ` +
        `move it away or delete it (a sync recreates inventory files).`,
      file,
      'corrupt',
      { cause: err },
    );
  }
  const env = value as Partial<DocumentEnvelope<unknown>> | null;
  if (
    env === null || typeof env !== 'object' || Array.isArray(env) ||
    typeof env.kind !== 'string' || typeof env.version !== 'number' || !Number.isInteger(env.version) || !('data' in env)
  ) {
    throw new StoreError(
      `${file} is JSON but not a Proxbox document (it needs "kind", an integer "version" and "data"); ` +
        `move it away or delete it (a sync recreates inventory files).`,
      file,
      'corrupt',
    );
  }
  return env as DocumentEnvelope<unknown>;
}

function checkKindAndVersion(env: { kind: string; version: number }, kind: string, version: number, file: string, op: 'read' | 'write'): void {
  const untouched = op === 'write' ? ' It was not overwritten.' : '';
  if (env.kind !== kind) {
    throw new StoreError(
      `${file} holds a document of kind '${env.kind}', not '${kind}'.${untouched} ` +
        `Check that the store folder is the right one, or move the file away.`,
      file,
      'unknown-kind',
    );
  }
  if (env.version > version) {
    throw new StoreError(
      `${file} holds a '${kind}' document of version ${env.version}, written by a newer release of Proxbox; ` +
        `this release understands up to version ${version}.${untouched} Update the extension (or the proxbox command), ` +
        `or use another store folder.`,
      file,
      'newer-version',
    );
  }
}

const OWN_HEADER = /^\{"kind":("(?:[^"\\]|\\.)*"),"version":(-?\d+),"savedAt":"(?:[^"\\]|\\.)*","data":/;

/** The kind and version from the fixed header this store writes, and the header's length; undefined for other layouts. */
function ownHeader(raw: string): { kind: string; version: number; length: number } | undefined {
  const m = OWN_HEADER.exec(raw.slice(0, 4096));
  if (!m) return undefined;
  return { kind: JSON.parse(m[1]) as string, version: Number(m[2]), length: m[0].length };
}

function ioError(file: string, what: string, err: unknown): StoreError {
  const e = err as NodeJS.ErrnoException;
  const hint =
    e.code === 'ENOSPC' ? 'Free some disk space and try again.'
    : e.code === 'EACCES' || e.code === 'EPERM' ? 'Check the permissions of the store folder.'
    : e.code === 'EROFS' ? 'The store folder is on a read-only file system; choose another one.'
    : 'Check that the store folder exists and is writable.';
  return new StoreError(`cannot ${what} ${file}: ${e.message ?? String(err)}. ${hint}`, file, 'io', { cause: err });
}
