// Where jobs live on disk, in the document store: one index of job records, one log document per job, and a
// folder of requests that windows without the scheduler lease leave for the one that holds it.
import { randomBytes } from 'node:crypto';
import { DocumentStore } from '../inventory/store';
import { Job, JobRequest, LogEntry } from './types';

const INDEX = 'jobs/index.json';
const INDEX_KIND = 'proxbox.jobs';
const LOG_KIND = 'proxbox.job-log';
const REQUEST_KIND = 'proxbox.job-request';
const VERSION = 1;
const logName = (id: string): string => `jobs/logs/${id}.json`;

export type JobCommand =
  | { op: 'schedule'; id: string; chainId: string; request: JobRequest }
  | { op: 'cancel'; id: string }
  | { op: 'delete'; id: string }
  | { op: 'clearHistory' };

export interface StoredLog {
  entries: LogEntry[];
  dropped: number;
}

export function newId(now: number): string {
  // Time first, so ids sort by creation; random after, so two windows never collide.
  return `${now.toString(36)}-${randomBytes(4).toString('hex')}`;
}

export class JobStore {
  constructor(readonly store: DocumentStore, private readonly durable = true) {}

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

  async submit(command: JobCommand, now: number): Promise<void> {
    await this.store.write(`jobs/requests/${newId(now)}.json`, REQUEST_KIND, VERSION, command);
  }

  /** Takes every waiting request, oldest first, removing each as it is read. A broken request is dropped with its error. */
  async takeRequests(): Promise<{ command?: JobCommand; error?: string }[]> {
    const out: { command?: JobCommand; error?: string }[] = [];
    for (const name of await this.store.list('jobs/requests/')) {
      try {
        const command = await this.store.read<JobCommand>(name, REQUEST_KIND, VERSION);
        if (command) out.push({ command });
      } catch (err) {
        out.push({ error: `${name}: ${(err as Error).message}` });
      }
      await this.store.remove(name);
    }
    return out;
  }
}
