// Where jobs live on disk, in the document store: one index of job records, one log document per job, and a
// folder of requests that windows without the scheduler lease leave for the one that holds it.
//
// A request is taken by renaming it out of the requests folder before it is read. A rename succeeds for one
// caller only, so a request is applied exactly once even when the holder picks it up at the moment the window
// that sent it gives up waiting and claims it back (see LeaseRole).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { DocumentStore } from '../inventory/store';
import type { JobCommand } from './jobMachine';
import { Job, LogEntry } from './types';

const INDEX = 'jobs/index.json';
const INDEX_KIND = 'proxbox.jobs';
const LOG_KIND = 'proxbox.job-log';
const REQUEST_KIND = 'proxbox.job-request';
const REQUESTS = 'jobs/requests/';
const CLAIMED = 'jobs/claimed/';
const VERSION = 1;
const logName = (id: string): string => `jobs/logs/${id}.json`;

export interface StoredLog {
  entries: LogEntry[];
  dropped: number;
}

export function newId(now: number): string {
  // Time first, so ids sort by creation; random after, so two windows never collide.
  return `${now.toString(36)}-${randomBytes(4).toString('hex')}`;
}

export class JobStore {
  private readonly durable: boolean;

  /** `durable: false` skips the fsync of the job index (tests that make thousands of runs). */
  constructor(readonly store: DocumentStore, options: { durable?: boolean } = {}) {
    this.durable = options.durable ?? true;
  }

  async loadJobs(): Promise<Job[]> {
    const doc = await this.store.read<{ jobs: Job[] }>(INDEX, INDEX_KIND, VERSION);
    return doc?.jobs ?? [];
  }

  async saveJobs(jobs: Job[]): Promise<boolean> {
    return (await this.store.write(INDEX, INDEX_KIND, VERSION, { jobs }, { durable: this.durable })).written;
  }

  async loadLog(id: string): Promise<StoredLog | undefined> {
    return this.store.read<StoredLog>(logName(id), LOG_KIND, VERSION);
  }

  async saveLog(id: string, log: StoredLog): Promise<void> {
    // Logs are rewritten often during a run; a power cut may cost their last lines, never their consistency.
    await this.store.write(logName(id), LOG_KIND, VERSION, log, { durable: false });
  }

  async removeLog(id: string): Promise<void> {
    await this.store.remove(logName(id));
  }

  /** Leaves a request for the lease holder; returns its name, so the sender can tell when it has been picked up. */
  async submit(command: JobCommand, now: number): Promise<string> {
    const name = `${REQUESTS}${newId(now)}.json`;
    await this.store.write(name, REQUEST_KIND, VERSION, command);
    return name;
  }

  /** Whether a request is still waiting (not yet taken by anyone). */
  async isWaiting(name: string): Promise<boolean> {
    try {
      await fs.lstat(this.store.pathOf(name));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Takes one request for the caller alone: undefined when someone else took it first. A broken request is taken
   * too (and dropped) with its error.
   */
  async claim(name: string): Promise<{ command?: JobCommand; error?: string } | undefined> {
    const claimed = CLAIMED + name.slice(name.lastIndexOf('/') + 1);
    const target = this.store.pathOf(claimed);
    // Both folders checked (never a link, see safeFs.ts): the rename cannot move a request out of the store.
    await this.store.prepareFolderOf(name);
    await this.store.prepareFolderOf(claimed);
    try {
      await fs.rename(this.store.pathOf(name), target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      const command = await this.store.read<JobCommand>(claimed, REQUEST_KIND, VERSION);
      return command ? { command } : { error: `${name}: empty request` };
    } catch (err) {
      return { error: `${name}: ${(err as Error).message}` };
    } finally {
      await this.store.remove(claimed).catch(() => undefined);
    }
  }

  /** Takes every waiting request, oldest first. */
  async takeRequests(): Promise<{ command?: JobCommand; error?: string }[]> {
    const out: { command?: JobCommand; error?: string }[] = [];
    for (const name of await this.store.list(REQUESTS)) {
      const taken = await this.claim(name);
      if (taken) out.push(taken);
    }
    return out;
  }
}
