// Backup-job endpoints: the vzdump job list (with `next-run`), one job, its included volumes, the guests no job
// selects, and the schedule preview.
import { badParam, Handler, intParam, onlyParams, RequestContext, Router } from '../router';
import { requireSysAudit } from '../lookup';
import { guestCoveredBy, guestsOfJob } from '../coverage';
import { nextRun, upcomingRuns } from '../schedule';
import type { SimBackupJob } from '../model';

/** A job as PVE returns it: compound values as objects (copied so callers cannot mutate the model). */
function jobObject(job: SimBackupJob, version: '8.4' | '9.1'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(job)) {
    if (v === undefined) continue;
    if (version === '9.1' && (k === 'notification-policy' || k === 'notification-target')) continue;
    out[k] = Array.isArray(v) ? [...v] : typeof v === 'object' && v !== null ? { ...v } : v;
  }
  return out;
}

/** pvescheduler runs on the node that answers, so next-run follows that node's local time. */
function localZone(ctx: RequestContext): string {
  return ctx.cluster.nodes[0]?.timezone ?? 'UTC';
}

function findJob(ctx: RequestContext): SimBackupJob {
  const job = ctx.cluster.jobs.find((j) => j.id === ctx.params.id);
  if (!job) throw badParam('id', `No such job '${ctx.params.id}'`);
  return job;
}

const list: Handler = (ctx) => {
  requireSysAudit(ctx, '/');
  const tz = localZone(ctx);
  return {
    data: ctx.cluster.jobs.map((job) => {
      const e = jobObject(job, ctx.cluster.version);
      // PVE computes next-run only for enabled jobs.
      if (job.enabled !== 0) {
        const next = nextRun(job.schedule, ctx.now, tz);
        if (next !== undefined) e['next-run'] = next;
      }
      return e;
    }),
  };
};

const one: Handler = (ctx) => {
  requireSysAudit(ctx, '/');
  return { data: jobObject(findJob(ctx), ctx.cluster.version) };
};

const includedVolumes: Handler = (ctx) => {
  requireSysAudit(ctx, '/');
  const job = findJob(ctx);
  const children = guestsOfJob(job, ctx.cluster).map((g) => ({
    id: g.vmid,
    type: g.type,
    name: g.name,
    children: g.disks.filter((d) => !d.media).map((d) => {
      const explicit = d.backup !== undefined;
      const mountPoint = g.type === 'lxc' && d.key !== 'rootfs';
      // Container mount points are only backed up with backup=1; VM disks unless backup=0.
      const included = mountPoint ? d.backup === true : d.backup !== false;
      const reason = d.key === 'rootfs' ? 'rootfs' : !included ? 'disabled' : explicit ? 'enabled' : 'default';
      return { id: d.key, name: `${d.storage}:${d.volume}`, included: included ? 1 : 0, reason };
    }),
  }));
  return { data: { children } };
};

const notBackedUp: Handler = (ctx) => {
  requireSysAudit(ctx, '/');
  const { cluster } = ctx;
  // Like PVE, any job counts, enabled or not: that is the gap Proxbox's own coverage report closes.
  const data = cluster.guests
    .filter((g) => !cluster.jobs.some((j) => guestCoveredBy(j, g)))
    .sort((a, b) => a.vmid - b.vmid)
    .map((g) => ({ type: g.type, vmid: g.vmid, name: g.name }));
  return { data };
};

/** Perl's scalar(gmtime): "Mon Jan  1 02:00:00 2024". */
function perlGmtime(epoch: number): string {
  const d = new Date(epoch * 1000);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${day} ${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

const scheduleAnalyze: Handler = (ctx) => {
  onlyParams(ctx.query, ['schedule', 'iterations', 'starttime']);
  const schedule = ctx.query.get('schedule');
  if (!schedule) throw badParam('schedule', 'property is missing and it is not optional');
  const iterations = intParam(ctx.query, 'iterations', 1) ?? 10;
  if (iterations > 100) throw badParam('iterations', 'value must have a maximum value of 100');
  const start = intParam(ctx.query, 'starttime') ?? ctx.now;
  let runs: number[];
  try {
    runs = upcomingRuns(schedule, start, iterations, localZone(ctx));
  } catch (err) {
    throw badParam('schedule', `value does not match the regex pattern - ${(err as Error).message}`);
  }
  return { data: runs.map((t) => ({ timestamp: t, utc: perlGmtime(t) })) };
};

export function registerBackupJobRoutes(r: Router): void {
  r.get('/cluster/backup', list)
    .get('/cluster/backup/{id}', one)
    .get('/cluster/backup/{id}/included_volumes', includedVolumes)
    .get('/cluster/backup-info/not-backed-up', notBackedUp)
    .get('/cluster/jobs/schedule-analyze', scheduleAnalyze);
}
