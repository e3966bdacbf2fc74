// The status of one guest: the rules in their order (types.ts GuestHealthStatus), applied to facts gathered once per
// inventory by report.ts. When several statuses apply, the first in rule order wins.
import type { BackupRecord, BackupRoutine, GuestRecord } from '../inventory/model';
import { parseUpid } from '../proxmox/parsers/upid';
import { zoneOffsetAt } from '../schedule';
import type { EffectivePolicy, GuestHealthStatus, RoutineRun } from './types';

/** Rule order: lower wins. Not the display order (HEALTH_STATUS_ORDER). */
const RULE_ORDER: readonly GuestHealthStatus[] = ['excluded', 'not-covered', 'never', 'failed', 'overdue', 'verify-failed', 'ok'];
const RANK: Record<GuestHealthStatus, number> = Object.fromEntries(RULE_ORDER.map((s, i) => [s, i])) as Record<GuestHealthStatus, number>;
const rank = (s: GuestHealthStatus): number => RANK[s] ?? -1;

/** A backup whose ctime is this much before the run still counts for it: clocks of nodes and storages drift. */
export const CLOCK_SKEW_SECONDS = 60;

/** A routine that covers the guest, with what the rules need of it. */
export interface CoveringRoutine {
  routine: BackupRoutine;
  /** The zone its schedule is read in. */
  tz: string;
  dueRun: number | null;
  /** Its runs on the guest's node, oldest first. */
  runs: readonly RoutineRun[];
}

export interface GuestFacts {
  guest: GuestRecord;
  now: number;
  covering: readonly CoveringRoutine[];
  /** Routines that select the guest but are disabled or stale. */
  inactive: readonly BackupRoutine[];
  /** Its backups on every storage, newest first (backups without a ctime last). */
  backups: readonly BackupRecord[];
  policy: EffectivePolicy | null;
  /** Storage ids the policy's requireStorage accepts (resolved against the inventory's storages). */
  requiredStorages: ReadonlySet<string> | null;
}

export interface GuestVerdict {
  status: GuestHealthStatus;
  reason: string;
  policyRule?: number;
  /** One per violated policy rule. */
  violations: { rule: number; message: string }[];
}

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * "2026-05-10 02:30 Europe/Vienna". Built from the schedule engine's zone offsets rather than Intl, which costs far
 * more per call and a report can word thousands of reasons.
 */
export function stamp(epoch: number, tz: string): string {
  const d = new Date((epoch + zoneOffsetAt(epoch, tz)) * 1000);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} ${tz}`;
}

function newestFor(backups: readonly BackupRecord[], r: BackupRoutine): BackupRecord | undefined {
  const storage = r.storage;
  for (let i = 0; i < backups.length; i++) if (storage === null || backups[i].storage === storage) return backups[i];
  return undefined;
}

/**
 * When a backup was verified. BackupRecord keeps no verification time, but the verify task's UPID does: its start
 * time. Verification is PBS's, so the UPID is PBS's, which has a task-id field before the start time
 * (`UPID:node:pid:pstart:taskid:starttime:…`); parseUpid tells the two layouts apart by their field count. Without a
 * UPID that parses, the backup's ctime is the earliest it could have been verified, so that is used (it makes a
 * verification look older, never newer, than it is).
 */
export function verifiedAt(b: BackupRecord): number | null {
  if (b.verification?.state !== 'ok') return null;
  const upid = b.verification.upid;
  if (upid) {
    try {
      return parseUpid(upid).starttime;
    } catch {
      // Not a task id we can read (truncated, or a format we do not know): the backup's ctime below.
    }
  }
  return b.ctime;
}

/** Why the newest run that included the guest failed it, when no backup for that routine came after it. */
function failedRun(f: GuestFacts): string | null {
  for (const c of f.covering) {
    // The newest run that reached the node with a task: a missed run never included the guest, a running one has no
    // verdict yet.
    let run: RoutineRun | undefined;
    for (let i = c.runs.length - 1; i >= 0; i--) {
      const r = c.runs[i];
      if (r.status !== 'missed' && r.status !== 'running') { run = r; break; }
    }
    if (!run || run.status !== 'failed' || run.started === null) continue;
    const failure = run.failures.find((x) => x.vmid === f.guest.vmid);
    if (!failure) continue;
    const since = run.started;
    const storage = c.routine.storage;
    if (f.backups.some((b) => (storage === null || b.storage === storage) && b.ctime !== null && b.ctime >= since)) continue;
    return `${c.routine.jobId} failed at ${stamp(since, c.tz)} on ${run.node}: ${failure.reason}`;
  }
  return null;
}

/** The first covering routine whose due run left no backup of the guest on its storage. */
function overdueRoutine(f: GuestFacts): string | null {
  for (const c of f.covering) {
    if (c.dueRun === null) continue;
    const due = c.dueRun;
    const newest = newestFor(f.backups, c.routine);
    if (newest && newest.ctime !== null && newest.ctime >= due - CLOCK_SKEW_SECONDS) continue;
    const where = c.routine.storage ? ` on ${c.routine.storage}` : '';
    const found = newest && newest.ctime !== null ? `the newest${where} is from ${stamp(newest.ctime, c.tz)}` : `there is none${where}`;
    return `no backup from ${c.routine.jobId}'s run at ${stamp(due, c.tz)}; ${found}`;
  }
  return null;
}

export function guestVerdict(f: GuestFacts): GuestVerdict {
  const { now, policy } = f;
  if (policy?.exclude) return { status: 'excluded', reason: policy.exclude.reason, policyRule: policy.exclude.rule, violations: [] };

  let verdict: GuestVerdict = { status: 'ok', reason: '', violations: [] };
  /** Keeps the status that comes first in rule order; among equals, the first one found. */
  const offer = (status: GuestHealthStatus, reason: string, policyRule?: number): void => {
    if (rank(status) < rank(verdict.status)) verdict = { status, reason, violations: verdict.violations, ...(policyRule === undefined ? {} : { policyRule }) };
  };
  const newest = f.backups[0];
  const newestCtime = newest?.ctime ?? null;

  if (f.covering.length === 0) {
    offer('not-covered', f.inactive.length
      ? `only ${f.inactive.map((r) => `${r.jobId} (${r.status === 'stale' ? 'stale: gone from Proxmox' : 'disabled'})`).join(', ')} would back it up`
      : 'no backup job selects it');
  } else if (f.backups.length === 0) {
    offer('never', `covered by ${f.covering.map((c) => c.routine.jobId).join(', ')}, but no backup of it exists on any storage`);
  }
  const failed = f.covering.length ? failedRun(f) : null;
  if (failed) offer('failed', failed);
  const overdue = f.covering.length ? overdueRoutine(f) : null;
  if (overdue) offer('overdue', overdue);

  if (policy?.maxAgeHours) {
    const { hours, rule } = policy.maxAgeHours;
    if (newestCtime === null || now - newestCtime > hours * 3600) {
      const message = newestCtime === null
        ? `no backup, and the policy requires one no older than ${hours} h`
        : `the newest backup is ${Math.floor((now - newestCtime) / 3600)} h old; the policy allows ${hours} h`;
      verdict.violations.push({ rule, message });
      offer('overdue', message, rule);
    }
  }
  if (policy?.requireStorage) {
    // Missing a copy on the required storage means the guest's recovery point is not where the policy wants it:
    // the same kind of problem as a missing scheduled backup, so it is `overdue` unless something worse applies.
    const { storages, rule } = policy.requireStorage;
    const accepted = f.requiredStorages ?? new Set<string>();
    if (!f.backups.some((b) => accepted.has(b.storage))) {
      const message = `no backup on ${storages.join(' or ')}, which the policy requires`;
      verdict.violations.push({ rule, message });
      offer('overdue', message, rule);
    }
  }
  if (policy?.maxVerifyAgeDays) {
    const { days, rule } = policy.maxVerifyAgeDays;
    let verified: number | null = null;
    for (const b of f.backups) {
      const at = verifiedAt(b);
      if (at !== null && (verified === null || at > verified)) verified = at;
    }
    if (verified === null || now - verified > days * 86400) {
      const message = verified === null
        ? `its backups were never verified; the policy requires a verification within ${days} d`
        : `the newest verification is ${Math.floor((now - verified) / 86400)} d old; the policy allows ${days} d`;
      verdict.violations.push({ rule, message });
      offer('verify-failed', message, rule);
    }
  }
  if (newest?.verification?.state === 'failed') {
    offer('verify-failed', `the newest backup (${newest.volid}) failed verification`);
  }
  return verdict;
}
