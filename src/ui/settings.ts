// Reads the `proxbox.*` settings with their defaults in one place (package.json documents each one).
import * as vscode from 'vscode';
import type { LineLevel } from '../core/pipeline/reducer';
import type { SyncOptions } from './core';

const section = () => vscode.workspace.getConfiguration('proxbox');

function positiveInt(value: unknown, fallback: number, min = 1): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? Math.floor(value) : fallback;
}

export function syncOptions(): SyncOptions {
  const c = section();
  return {
    timeoutMs: positiveInt(c.get('requestTimeoutSeconds'), 15) * 1000,
    retries: positiveInt(c.get('retries'), 3, 0),
    concurrency: {
      fetch: positiveInt(c.get('concurrency.fetch'), 8),
      vm: positiveInt(c.get('concurrency.vm'), 8),
      backupBatch: positiveInt(c.get('concurrency.backupBatch'), 5),
    },
  };
}

export function logLevel(): LineLevel {
  const v = section().get<string>('logLevel');
  return v === 'trace' || v === 'debug' || v === 'warn' || v === 'error' ? v : 'info';
}

export function treePageSize(): number {
  return positiveInt(section().get('tree.pageSize'), 500, 10);
}

export function jobHistory(): { maxCount: number; maxAgeDays: number; continuousBackoffSeconds: number } {
  const c = section();
  return {
    maxCount: positiveInt(c.get('jobs.historyMaxCount'), 100),
    maxAgeDays: positiveInt(c.get('jobs.historyMaxAgeDays'), 30),
    continuousBackoffSeconds: positiveInt(c.get('jobs.continuousBackoffSeconds'), 30),
  };
}
