import type { Inventory, PbsJobKind } from '../inventory/model';
import type { CustomEntry } from '../calendar/custom';

// The vocabulary of backup health, shared by the rules (health/status.ts, health/runs.ts), the backup policy
// (health/policy.ts), the CLI (`proxbox health --json`) and the views. The JSON field names of HealthReport are a
// contract: dashboards and scripts read them.

/** A guest's backup status; when several apply, the first in this list (the rule order) wins. */
export type GuestHealthStatus = 'excluded' | 'not-covered' | 'never' | 'failed' | 'overdue' | 'verify-failed' | 'ok';

/** The statuses in the order a user reads them: problems first, the worst first. */
export const HEALTH_STATUS_ORDER: readonly GuestHealthStatus[] = [
  'failed', 'overdue', 'never', 'not-covered', 'verify-failed', 'excluded', 'ok',
];

/** Statuses that are not a problem (exit code 0 of `proxbox health`). */
export function isHealthy(status: GuestHealthStatus): boolean {
  return status === 'ok' || status === 'excluded';
}

export interface GuestHealth {
  /** Endpoint id. */
  endpoint: string;
  vmid: number;
  name: string;
  node: string;
  type: 'qemu' | 'lxc';
  status: GuestHealthStatus;
  /** Why, in plain words; quotes Proxmox's own words for failures. '' for ok. */
  reason: string;
  /** ctime (epoch seconds) of the newest backup on any storage; null when none. */
  lastBackup: number | null;
  /** Backups of the guest on any storage. */
  backupCount: number;
  /** Earliest next run among the covering routines; null when none. */
  nextBackup: number | null;
  /** Job ids of the routines that cover it (enabled, active, selecting it). */
  routines: string[];
  /** Verification state of the newest backup: 'ok' | 'failed' (PBS), or null when never verified / not on PBS. */
  verification: string | null;
  /** The policy rule (0-based index in the policy's `rules`) that decided the status, when one did. */
  policyRule?: number;
}

/** What became of one scheduled run of a routine on one node. */
export type RunOutcome = 'ok' | 'warnings' | 'failed' | 'running' | 'missed';

export interface RunFailure {
  vmid: number;
  /** Proxmox's words after `failed - `, or the job's error when it failed before reaching the guest. */
  reason: string;
  /** The log lines about this guest (from `Starting Backup of VM` to its error). */
  lines: string[];
}

export interface RoutineRun {
  /** The scheduled time T (epoch seconds). */
  scheduled: number;
  node: string;
  status: RunOutcome;
  /** UPID of the vzdump task that ran it; null when missed. */
  task: string | null;
  /** Guests that failed in this run (empty unless failed). */
  failedGuests: readonly number[];
  /** The task's start and end; null when missed / still running. */
  started: number | null;
  ended: number | null;
  /** The task's end status as Proxmox reports it (`OK`, `WARNINGS: 2`, `job errors`, …); null when none. */
  taskStatus: string | null;
  /** Per failed guest: reason and log lines (only for runs whose log was read). */
  failures: readonly RunFailure[];
  /** The job's own error when it failed before any guest. */
  jobError: string | null;
}

/** A problem of a routine itself, not of one guest (e.g. Proxmox will never run it again). */
export interface RoutineProblem {
  kind: 'schedule-stops' | 'schedule-error' | 'disabled' | 'stale';
  message: string;
}

export interface RoutineHealth {
  endpoint: string;
  jobId: string;
  /** Runs of the last `historyDays` days, oldest first. */
  runs: RoutineRun[];
  /** The newest run that has an outcome other than `running`; null when there is none in those days. */
  lastRun: RoutineRun | null;
  /** The due run: latest scheduled T <= now - grace; null when the schedule has none. */
  dueRun: number | null;
  nextRun: number | null;
  problems: RoutineProblem[];
}

export type HealthSummary = Record<GuestHealthStatus, number>;

/** A guest that breaks a policy rule: one diagnostic on that rule's line. */
export interface PolicyViolation {
  /** 0-based index in the policy's `rules`. */
  rule: number;
  endpoint: string;
  vmid: number;
  name: string;
  message: string;
}

/**
 * The health of one PBS job (prune, garbage collection, verify, sync), in the run statuses of routines: its last run
 * as PBS reports it (`last-run-state`), or `missed` when its schedule had a run due (past the grace) that never
 * ended. A JSON contract like GuestHealth (`proxbox health --json` has `jobs` beside `guests`).
 */
export interface JobHealth {
  /** Endpoint id (a PBS endpoint). */
  endpoint: string;
  kind: PbsJobKind;
  /** The job id; for garbage collection the datastore. */
  id: string;
  store: string;
  schedule: string | null;
  /** null: nothing to judge (never ran and nothing due yet, not scheduled, disabled, stale). */
  status: RunOutcome | null;
  /** Whether it counts as a problem (failed or missed; a warning is not). */
  problem: boolean;
  /** Why, in plain words; PBS's own words for a failure. '' when ok. */
  reason: string;
  /** When the last run ended (epoch seconds); null before the first. */
  lastRun: number | null;
  lastRunUpid: string | null;
  nextRun: number | null;
  enabled: boolean;
  lifecycle: 'active' | 'stale';
}

export interface HealthReport {
  /** The instant evaluated at (epoch seconds). */
  now: number;
  graceSeconds: number;
  historyDays: number;
  summary: HealthSummary;
  guests: GuestHealth[];
  routines: RoutineHealth[];
  /** PBS jobs of the PBS endpoints in the report (empty without one). */
  jobs: JobHealth[];
  violations: PolicyViolation[];
}

export interface HealthOptions {
  now: number;
  graceSeconds: number;
  historyDays: number;
  /** The backup policy, or null for none. */
  policy: BackupPolicy | null;
  /**
   * Further inventories read only to match PVE `pbs` storages with the PBS endpoints they point at (the extension,
   * evaluating one PVE endpoint at a time, passes the PBS endpoints here); their own guests and jobs are not reported.
   */
  context?: readonly Inventory[];
}

// ---- The backup policy (parsed by health/policy.ts from `proxbox.policy.json`) ----

/** Where a rule sits in the policy file, for diagnostics (0-based, as VS Code's Range). */
export interface SourceRange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

/** Which guests a rule applies to: every given criterion must match (AND); an empty match applies to all. */
export interface PolicyMatch {
  vmid?: number[];
  /** Glob on the guest's name (`*`, `?`), case-insensitive. */
  name?: string;
  tag?: string;
  pool?: string;
  node?: string;
  /** Endpoint id or name. */
  endpoint?: string;
}

export interface PolicyRule {
  /** 0-based index in `rules`. */
  index: number;
  match: PolicyMatch;
  /** Excluded from backup health, with the reason required by the schema. */
  exclude?: { reason: string };
  /** Recovery-point objective on top of the schedule rule. */
  maxAgeHours?: number;
  /** Storage ids (globs) or `type:<storage type>` entries; the guest needs a backup on one of them. */
  requireStorage?: string[];
  maxVerifyAgeDays?: number;
  /** The rule's object in the file. */
  range: SourceRange;
}

export interface BackupPolicy {
  rules: PolicyRule[];
  /** The valid custom calendar entries of the file's "calendar" section (issue 13), when it has any. */
  calendar?: { entries: CustomEntry[] };
}

/**
 * The rules that apply to one guest, merged: for each setting the first rule (in file order) that sets it and
 * matches wins, so a specific rule written before a general one overrides it.
 */
export interface EffectivePolicy {
  exclude: { reason: string; rule: number } | null;
  maxAgeHours: { hours: number; rule: number } | null;
  requireStorage: { storages: string[]; rule: number } | null;
  maxVerifyAgeDays: { days: number; rule: number } | null;
}
