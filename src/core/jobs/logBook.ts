// The log book: every job's log. A log is capped (the first entries and the most recent ones are kept, with a
// marker for what was left out), so a run with thousands of items cannot grow without bound. During a run the log
// document is written at most every `flushMs`, so other windows can follow it without a write per event; a
// job's last lines are always written (final flush), and once a finished job's log is completely saved, the
// live copy is dropped, so memory holds the logs of unfinished jobs only. Only the lease holder writes logs.
import type { JobStore } from './jobStore';
import { redactSecrets } from '../secrets/redact';
import { Clock, JobStatus, LogEntry, LogLevel, isTerminal } from './types';

export const DEFAULT_MAX_LOG_ENTRIES = 1000;
const HEAD_ENTRIES = 50;
const MAX_MESSAGE_CHARS = 2000;

export class JobLog {
  private head: LogEntry[] = [];
  private tail: LogEntry[] = [];
  private droppedCount = 0;

  constructor(
    private readonly maxEntries = DEFAULT_MAX_LOG_ENTRIES,
    private readonly secrets: () => readonly string[] = () => [],
    initial: { entries: LogEntry[]; dropped?: number } = { entries: [] },
  ) {
    for (const e of initial.entries) this.push(e);
    this.droppedCount += initial.dropped ?? 0;
  }

  add(time: number, level: LogLevel, message: string): LogEntry {
    let text = redactSecrets(message, this.secrets());
    if (text.length > MAX_MESSAGE_CHARS) text = text.slice(0, MAX_MESSAGE_CHARS) + ` … (${text.length - MAX_MESSAGE_CHARS} more characters)`;
    const entry = { time, level, message: text };
    this.push(entry);
    return entry;
  }

  private push(entry: LogEntry): void {
    if (this.head.length < Math.min(HEAD_ENTRIES, this.maxEntries)) {
      this.head.push(entry);
      return;
    }
    this.tail.push(entry);
    const room = this.maxEntries - this.head.length;
    if (this.tail.length > room) {
      this.droppedCount += this.tail.length - room;
      this.tail.splice(0, this.tail.length - room);
    }
  }

  /** Entries ever added, kept or not: tells whether a saved snapshot is still complete. */
  get total(): number {
    return this.head.length + this.tail.length + this.droppedCount;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** The entries in order, with one marker entry where older entries were left out. */
  entries(): LogEntry[] {
    if (this.droppedCount === 0) return [...this.head, ...this.tail];
    const at = this.tail[0]?.time ?? this.head[this.head.length - 1]?.time ?? 0;
    const marker: LogEntry = { time: at, level: 'warning', message: `… ${this.droppedCount} log entries left out (the log keeps the first and the latest ${this.maxEntries}) …` };
    return [...this.head, marker, ...this.tail];
  }

  toJSON(): { entries: LogEntry[]; dropped: number } {
    return { entries: [...this.head, ...this.tail], dropped: this.droppedCount };
  }
}

export interface LogBookOptions {
  store: Pick<JobStore, 'loadLog' | 'saveLog' | 'removeLog'>;
  clock: Clock;
  maxEntries?: number;
  /** During a run, a log document is written at most this often. */
  flushMs?: number;
  /** Secrets to hide from every entry. */
  secrets?: () => readonly string[];
  /** Whether this window may write log documents: only the window holding the lease does. */
  canWrite: () => boolean;
  /** The job's status now, or undefined once the job is gone (its log is then not written any more). */
  statusOf: (id: string) => JobStatus | undefined;
  /** Told about every new entry (the service's change listeners). */
  onEntry?: (jobId: string, entry: LogEntry) => void;
}

export const DEFAULT_LOG_FLUSH_MS = 1_000;

export class LogBook {
  private readonly live = new Map<string, JobLog>();
  private readonly flushedAt = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly flushMs: number;
  private readonly secrets: () => readonly string[];
  private ioChain: Promise<void> = Promise.resolve();

  constructor(private readonly options: LogBookOptions) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_LOG_ENTRIES;
    this.flushMs = options.flushMs ?? DEFAULT_LOG_FLUSH_MS;
    this.secrets = options.secrets ?? (() => []);
  }

  /**
   * Makes a job's log live before entries are added, continuing its stored document if it has one (a job
   * scheduled by another window, or before this window took over), so a later save never cuts its beginning.
   */
  async open(id: string): Promise<void> {
    if (this.live.has(id)) return;
    const stored = await this.options.store.loadLog(id).catch(() => undefined);
    // Another caller may have opened it while the store was read.
    if (!this.live.has(id)) this.live.set(id, new JobLog(this.maxEntries, this.secrets, stored ?? { entries: [] }));
  }

  /** Adds an entry (secrets hidden) and writes the document if the last write is at least flushMs old. */
  add(id: string, level: LogLevel, message: string): LogEntry {
    let log = this.live.get(id);
    if (!log) {
      log = new JobLog(this.maxEntries, this.secrets);
      this.live.set(id, log);
    }
    const entry = log.add(this.options.clock.now(), level, message);
    this.options.onEntry?.(id, entry);
    if (this.options.clock.now() - (this.flushedAt.get(id) ?? -Infinity) >= this.flushMs) this.flush(id);
    return entry;
  }

  /** Writes a job's log document now (a job's last lines, or the first ones of a new run other windows follow). */
  flush(id: string): void {
    if (!this.options.canWrite()) return;
    this.flushedAt.set(id, this.options.clock.now());
    this.io(async () => {
      const log = this.live.get(id);
      if (!log || this.options.statusOf(id) === undefined) return;
      const snapshot = log.toJSON();
      const total = log.total;
      await this.options.store.saveLog(id, snapshot);
      const status = this.options.statusOf(id);
      // Finished and completely saved: the store holds it now, so the live copy can go.
      if (status !== undefined && isTerminal(status) && log.total === total && this.live.get(id) === log) {
        this.live.delete(id);
        this.flushedAt.delete(id);
      }
    });
  }

  /** The log of a job: the live copy while this window runs it, else the stored document. */
  async read(id: string): Promise<LogEntry[]> {
    const live = this.live.get(id);
    if (live) return live.entries();
    const stored = await this.options.store.loadLog(id);
    if (!stored) return [];
    return new JobLog(this.maxEntries, this.secrets, stored).entries();
  }

  /** Forgets a job's log and removes its document (the job was deleted or pruned). */
  async remove(id: string): Promise<void> {
    this.live.delete(id);
    this.flushedAt.delete(id);
    await this.io(() => this.options.store.removeLog(id));
  }

  /** Drops live copies without writing them (a viewer shows stored logs; a window that lost the lease stops writing). */
  forget(keep: (id: string) => boolean = () => false): void {
    for (const id of [...this.live.keys()]) {
      if (keep(id)) continue;
      this.live.delete(id);
      this.flushedAt.delete(id);
    }
  }

  /** The pending writes, for the service's idle(). */
  get pending(): Promise<void> {
    return this.ioChain;
  }

  private io(fn: () => Promise<void>): Promise<void> {
    // A failed log write must not stop the scheduler: the next write of that log tries again.
    const next = this.ioChain.then(fn, fn).catch(() => undefined);
    this.ioChain = next;
    return next;
  }
}
