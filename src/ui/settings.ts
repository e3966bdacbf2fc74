// Reads the `proxbox.*` settings with their defaults in one place (package.json documents each one). Numbers are
// clamped to the ranges of the core's one table (the manifest's minimum/maximum are only advice to the Settings
// editor: settings.json takes any value), and a value that was not used as it is is reported once.
import * as vscode from 'vscode';
import type { LineLevel } from '../core/pipeline/reducer';
import { settingReader, type NumericSetting } from '../core/settings/ranges';
import type { SyncOptions } from './core';

const section = () => vscode.workspace.getConfiguration('proxbox');

let warn: (message: string) => void = () => undefined;
const read = settingReader((message) => warn(message));

/** Where a clamped or unusable value is reported (the composition root passes the log's warn). */
export function reportClampedSettingsTo(report: (message: string) => void): void {
  warn = report;
}

function num(c: vscode.WorkspaceConfiguration, key: NumericSetting): number {
  return read(key, c.get(key));
}

export function syncOptions(): SyncOptions {
  const c = section();
  return {
    timeoutMs: num(c, 'requestTimeoutSeconds') * 1000,
    retries: num(c, 'retries'),
    maxResponseBytes: num(c, 'maxResponseMegabytes') * 1024 * 1024,
    concurrency: {
      fetch: num(c, 'concurrency.fetch'),
      vm: num(c, 'concurrency.vm'),
      backupBatch: num(c, 'concurrency.backupBatch'),
    },
    historyDays: num(c, 'health.historyDays'),
    netboxPluginModels: c.get<boolean>('netbox.pluginModels') !== false,
  };
}

export function logLevel(): LineLevel {
  const v = section().get<string>('logLevel');
  return v === 'trace' || v === 'debug' || v === 'warn' || v === 'error' ? v : 'info';
}

export function treePageSize(): number {
  return num(section(), 'tree.pageSize');
}

/** Runs on one storage at most this many minutes apart are overlaps in the calendar. */
export function calendarOverlapWindowMinutes(): number {
  return num(section(), 'calendar.overlapWindowMinutes');
}

export function jobHistory(): { maxCount: number; maxAgeDays: number; continuousBackoffSeconds: number; continuousPauseSeconds: number } {
  const c = section();
  return {
    maxCount: num(c, 'jobs.historyMaxCount'),
    maxAgeDays: num(c, 'jobs.historyMaxAgeDays'),
    continuousBackoffSeconds: num(c, 'jobs.continuousBackoffSeconds'),
    continuousPauseSeconds: num(c, 'jobs.continuousPauseSeconds'),
  };
}

export type HealthNotify = 'off' | 'failures' | 'all';

export interface HealthSettings {
  graceMinutes: number;
  historyDays: number;
  notify: HealthNotify;
}

export function healthSettings(): HealthSettings {
  const c = section();
  const notify = c.get<string>('health.notify');
  return {
    graceMinutes: num(c, 'health.graceMinutes'),
    historyDays: num(c, 'health.historyDays'),
    notify: notify === 'off' || notify === 'all' ? notify : 'failures',
  };
}

/** Which clock the calendar and the routine detail show times in: this computer's or the job's node's. */
export type TimesZone = 'local' | 'node';

export function timesZone(): TimesZone {
  return section().get<string>('times.zone') === 'node' ? 'node' : 'local';
}
