// The scheduler lease: only one VS Code window (or one headless process) per storage folder runs scheduled
// syncs; the others show the jobs without running them. The holder renews the lease on every heartbeat; a lease
// not renewed within its time-to-live is taken over, so a crashed or frozen holder is replaced. A renewal alone
// does not prove the holder still works, though (a closed browser tab's extension host renews and does nothing
// else), so a window may also take over a lease that is still being renewed, naming the holder it replaces
// (`takeOver`); the holder sees the new owner at its next renewal and stops. Every read-check-write of the lease
// happens under a mkdir mutex (atomic on local file systems), so two contenders can never both believe they took it.
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../inventory/atomic';
import { readNoFollow } from '../inventory/safeFs';
import { Clock } from './types';

export const DEFAULT_LEASE_TTL_MS = 20_000;
// Dot names: the document store's listing skips them, they are not documents.
const LEASE_FILE = '.scheduler-lease.json';
const MUTEX_DIR = '.scheduler-lease.lock';
/** A mutex is held for a few milliseconds; one older than this belongs to a process that died holding it. */
const MUTEX_STALE_MS = 2_000;
const MUTEX_WAIT_MS = 3_000;

export interface LeaseInfo {
  owner: string;
  pid: number;
  host: string;
  label?: string;
  renewedAt: number;
  ttlMs: number;
  /** Set by a take-over: the holder this owner replaced while its lease was still being renewed, and why. */
  supersedes?: { owner: string; label?: string; reason: string };
}

export class Lease {
  readonly owner: string;
  private readonly ttlMs: number;

  constructor(
    private readonly dir: string,
    private readonly clock: Clock,
    options: { owner?: string; ttlMs?: number; label?: string } = {},
  ) {
    this.owner = options.owner ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
    this.ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    this.label = options.label;
  }

  private readonly label: string | undefined;

  private get file(): string {
    return join(this.dir, LEASE_FILE);
  }

  /** Takes the lease if it is free or expired, renews it if held: true when this owner holds it afterwards. */
  async tryAcquire(): Promise<boolean> {
    return (await this.withMutex(async () => {
      const now = this.clock.now();
      const current = await this.current();
      if (current && current.owner !== this.owner && now - current.renewedAt <= current.ttlMs) return false;
      // A renewal keeps the note of whom this owner replaced, so the replaced holder can still read why.
      await this.write(current?.owner === this.owner ? current.supersedes : undefined);
      return true;
    })) ?? false;
  }

  /**
   * Takes the lease from `from` even though it is still renewed (it stopped doing its work): true when this owner
   * holds it afterwards. False when the lease changed hands meanwhile (someone else took over, or `from` let it go):
   * the caller then deals with whoever holds it now.
   */
  async takeOver(from: string, reason: string): Promise<boolean> {
    return (await this.withMutex(async () => {
      const current = await this.current();
      if (current?.owner === this.owner) return true;
      if (current?.owner !== from) return false;
      await this.write({ owner: from, ...(current.label ? { label: current.label } : {}), reason });
      return true;
    })) ?? false;
  }

  /**
   * Runs `fn` (a write only the holder may make) if this owner still holds the lease, under the mutex, so a take-over
   * cannot slip in between the check and the write. 'lost' when another owner holds it, or nobody does. If the mutex
   * cannot be had in time, `fn` runs unchecked: the check narrows a rare race, and not saving would be worse.
   */
  async whileHeld(fn: () => Promise<unknown>): Promise<'done' | 'lost'> {
    const outcome = await this.withMutex(async () => {
      const current = await this.current();
      if (current?.owner !== this.owner) return 'lost' as const;
      await fn();
      return 'done' as const;
    });
    if (outcome) return outcome;
    await fn(); // the mutex was not to be had: fn has not run
    return 'done';
  }

  private async write(supersedes: LeaseInfo['supersedes']): Promise<void> {
    const info: LeaseInfo = {
      owner: this.owner, pid: process.pid, host: hostname(), renewedAt: this.clock.now(), ttlMs: this.ttlMs,
      ...(this.label ? { label: this.label } : {}), ...(supersedes ? { supersedes } : {}),
    };
    // No fsync: the lease is rewritten every few seconds and a lost renewal only delays a take-over.
    await writeFileAtomic(this.file, JSON.stringify(info) + '\n', { fsync: false });
  }

  /** Gives the lease up (when a window closes cleanly), so another one takes over at once. */
  async release(): Promise<void> {
    await this.withMutex(async () => {
      const current = await this.current();
      if (current?.owner === this.owner) await fs.rm(this.file, { force: true });
    });
  }

  /** Who holds the lease now, if anyone (expired leases included; check renewedAt + ttlMs). */
  async current(): Promise<LeaseInfo | undefined> {
    try {
      // Never through a link (see safeFs.ts): a lease file planted as one is unreadable, so the lease is free.
      const info = JSON.parse((await readNoFollow(this.file)) ?? '') as LeaseInfo;
      return typeof info.owner === 'string' && typeof info.renewedAt === 'number' ? info : undefined;
    } catch {
      return undefined; // absent or unreadable: free
    }
  }

  private async withMutex<T>(fn: () => Promise<T>): Promise<T | undefined> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const mutex = join(this.dir, MUTEX_DIR);
    const deadline = Date.now() + MUTEX_WAIT_MS;
    for (;;) {
      try {
        await fs.mkdir(mutex, { mode: 0o700 });
        // Who holds it, so that a contender can tell at once when the holder was killed inside the mutex.
        await fs.writeFile(join(mutex, 'pid'), `${process.pid} ${hostname()}`, { mode: 0o600 }).catch(() => undefined);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        // Real time, not the injected clock: the mutex guards a few milliseconds of real file I/O.
        const stat = await fs.stat(mutex).catch(() => undefined);
        if (stat && (Date.now() - stat.mtimeMs > MUTEX_STALE_MS || (await holderIsDead(mutex)))) {
          await fs.rm(mutex, { recursive: true, force: true }).catch(() => undefined);
          continue;
        }
        if (Date.now() > deadline) return undefined;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
      }
    }
    try {
      return await fn();
    } finally {
      await fs.rm(mutex, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

async function holderIsDead(mutex: string): Promise<boolean> {
  const text = await fs.readFile(join(mutex, 'pid'), 'utf8').catch(() => '');
  const [pidText, host] = text.split(' ');
  const pid = Number(pidText);
  if (!pid || host !== hostname() || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
