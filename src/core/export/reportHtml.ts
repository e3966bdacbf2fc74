// The static backup report (`proxbox report`, `/report.html` of `proxbox serve`): one self-contained page for teams
// without a dashboard and for an audit trail. No script, no remote resource, CSS inline, readable when printed; every
// text that came from Proxmox (names, reasons, comments) is HTML-escaped, so a hostile job comment stays text.
import { entryStart, localDateKeyer, type CalendarData, type CalendarEntry, type CalendarOutcome } from '../calendar';
import { RUN_LABELS, RUN_SYMBOLS, STATUS_LABELS } from '../health/labels';
import { HEALTH_STATUS_ORDER, isHealthy, type HealthReport, type RoutineRun, type RunOutcome } from '../health/types';
import { formatStamp, formatTime } from '../text/time';

export interface ReportInput {
  report: HealthReport;
  /** This month's calendar, in `timeZone`. */
  calendar: CalendarData;
  timeZone: string;
  /** Endpoint id → name, for headings. */
  endpointNames: ReadonlyMap<string, string>;
  /** Days of the per-routine strips (default 14). */
  stripDays?: number;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value: the five characters that could end it escaped. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const OUTCOME_SYMBOLS: Record<CalendarOutcome, string> = { ...RUN_SYMBOLS, unknown: '?' };
const OUTCOME_LABELS: Record<CalendarOutcome, string> = { ...RUN_LABELS, unknown: 'No record' };
const SEVERITY: Record<RunOutcome, number> = { ok: 0, running: 1, warnings: 2, missed: 3, failed: 4 };

const CSS = `
:root{color-scheme:light;font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1f24;background:#fff}
body{margin:24px auto;max-width:1100px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.meta{color:#57606a}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
.counts{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0}.counts li{border:1px solid #d0d7de;border-radius:6px;padding:6px 10px}
.counts b{font-size:18px;margin-right:4px}
.s-failed,.o-failed{background:#ffebe9;color:#82071e}.s-overdue,.s-never,.o-missed{background:#fff1e5;color:#7a3a00}
.s-not-covered,.s-verify-failed,.o-warnings{background:#fff8c5;color:#6a5300}.s-ok,.o-ok{background:#dafbe1;color:#0f5323}
.s-excluded,.o-unknown,.o-none{background:#f6f8fa;color:#57606a}.o-running{background:#ddf4ff;color:#0a3069}
.status{border-radius:4px;padding:0 6px;white-space:nowrap}
.strip{display:flex;gap:2px}.strip span{width:22px;height:22px;display:inline-flex;align-items:center;justify-content:center;border-radius:3px;font-size:12px}
.month{table-layout:fixed}.month td{height:84px;border:1px solid #d0d7de;font-size:11px}.month .out{background:#fafbfc;color:#8c959f}
.month .date{font-weight:600;font-size:12px}.month ul{list-style:none;margin:2px 0 0;padding:0}.month li{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.badge{font-weight:700;margin-right:2px}.legend{columns:2;font-size:12px}
@media print{body{margin:0;max-width:none;font-size:11px}h2{break-after:avoid}table,tr,.strip{break-inside:avoid}
 .s-failed,.s-overdue,.s-never,.s-not-covered,.s-verify-failed,.o-failed,.o-missed,.o-warnings{background:none;font-weight:700}
 .counts li{border-color:#000}a{color:inherit;text-decoration:none}}
`;

function stamp(epoch: number | null, zone: string): string {
  return epoch === null ? '—' : formatStamp(epoch, zone);
}

/** YYYY-MM-DD plus `days` (negative: before), by calendar arithmetic. */
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Monday = 0 .. Sunday = 6. */
function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** Per local day, the worst outcome of the routine's runs scheduled that day. */
export function stripOf(runs: readonly RoutineRun[], days: readonly string[], dayOf: (t: number) => string): (RunOutcome | null)[] {
  const worst = new Map<string, RunOutcome>();
  for (const r of runs) {
    const day = dayOf(r.scheduled);
    const known = worst.get(day);
    if (!known || SEVERITY[r.status] > SEVERITY[known]) worst.set(day, r.status);
  }
  return days.map((d) => worst.get(d) ?? null);
}

function summary(report: HealthReport): string {
  const items = HEALTH_STATUS_ORDER.map((s) => `<li class="s-${s}"><b>${report.summary[s]}</b>${esc(STATUS_LABELS[s])}</li>`);
  return `<ul class="counts">${items.join('')}</ul>`;
}

function problems(input: ReportInput): string {
  const { report, timeZone } = input;
  const guests = report.guests.filter((g) => !isHealthy(g.status));
  const jobs = (report.jobs ?? []).filter((j) => j.problem);
  const routineProblems = report.routines.flatMap((r) => r.problems
    .filter((p) => p.kind === 'schedule-stops' || p.kind === 'schedule-error').map((p) => ({ r, p })));
  if (!guests.length && !jobs.length && !routineProblems.length) return '<p>No problems: every guest is backed up as its jobs plan.</p>';
  const parts: string[] = [];
  if (guests.length) {
    parts.push('<table><thead><tr><th>Status</th><th>Guest</th><th>Endpoint</th><th>Node</th><th>Last backup</th><th>Reason</th></tr></thead><tbody>');
    for (const g of guests) {
      parts.push(`<tr><td><span class="status s-${g.status}">${esc(STATUS_LABELS[g.status])}</span></td><td>${esc(g.name)} (${g.vmid})</td>`
        + `<td>${esc(input.endpointNames.get(g.endpoint) ?? g.endpoint)}</td><td>${esc(g.node)}</td><td>${esc(stamp(g.lastBackup, timeZone))}</td><td>${esc(g.reason)}</td></tr>`);
    }
    parts.push('</tbody></table>');
  }
  if (jobs.length) {
    parts.push('<h3>PBS jobs</h3><table><thead><tr><th>Status</th><th>Job</th><th>Endpoint</th><th>Datastore</th><th>Last run</th><th>Reason</th></tr></thead><tbody>');
    for (const j of jobs) {
      const status = j.status ?? 'missed';
      parts.push(`<tr><td><span class="status o-${status}">${esc(RUN_LABELS[status])}</span></td><td>${esc(`${j.kind} ${j.id}`)}</td>`
        + `<td>${esc(input.endpointNames.get(j.endpoint) ?? j.endpoint)}</td><td>${esc(j.store)}</td><td>${esc(stamp(j.lastRun, timeZone))}</td><td>${esc(j.reason)}</td></tr>`);
    }
    parts.push('</tbody></table>');
  }
  if (routineProblems.length) {
    parts.push('<ul>' + routineProblems.map(({ r, p }) => `<li>Backup job ${esc(r.jobId)} on ${esc(input.endpointNames.get(r.endpoint) ?? r.endpoint)}: ${esc(p.message)}</li>`).join('') + '</ul>');
  }
  return parts.join('');
}

function strips(input: ReportInput): string {
  const { report, timeZone } = input;
  const n = input.stripDays ?? 14;
  const dayOf = localDateKeyer(timeZone);
  const today = dayOf(report.now);
  const days = Array.from({ length: n }, (_, i) => addDays(today, i - n + 1));
  const labels = new Map(input.calendar.routines.map((r) => [r.key, r.label]));
  if (!report.routines.length) return '<p>No backup jobs in the store.</p>';
  const head = days.map((d) => `<th title="${d}">${d.slice(8)}</th>`).join('');
  const rows = report.routines.map((r) => {
    const label = labels.get(`${r.endpoint}/${r.jobId}`) ?? r.jobId;
    const cells = stripOf(r.runs, days, dayOf).map((o, i) => {
      const title = `${days[i]}: ${o ? RUN_LABELS[o] : 'no run'}`;
      return `<td><span class="o-${o ?? 'none'}" title="${esc(title)}">${o ? RUN_SYMBOLS[o] : '·'}</span></td>`;
    }).join('');
    return `<tr><td>${esc(label)}<br><small>${esc(r.jobId)} · ${esc(input.endpointNames.get(r.endpoint) ?? r.endpoint)}</small></td>${cells}</tr>`;
  });
  return `<table class="strips"><thead><tr><th>Backup job</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`
    + `<p class="meta">${(['ok', 'warnings', 'failed', 'missed', 'running'] as RunOutcome[]).map((o) => `${RUN_SYMBOLS[o]} ${RUN_LABELS[o]}`).join(' · ')} · · no run</p>`;
}

function entryText(e: CalendarEntry, badge: string, zone: string): { text: string; outcome: CalendarOutcome | undefined } {
  if (e.kind === 'run') return { text: `${formatTime(e.at, zone)} ${badge}`, outcome: e.outcome };
  return { text: `${formatTime(e.start, zone)}–${formatTime(e.end, zone)} ${badge} ×${e.count}`, outcome: e.worst };
}

function month(input: ReportInput): string {
  const cal = input.calendar;
  const zone = cal.timeZone;
  const dayOf = localDateKeyer(zone);
  const first = dayOf(cal.from);
  const last = dayOf(cal.to - 1);
  const byDate = new Map(cal.days.map((d) => [d.date, d.entries]));
  const routines = new Map(cal.routines.map((r) => [r.key, r]));
  const cells: string[] = [];
  const start = addDays(first, -weekday(first));
  const end = addDays(last, 6 - weekday(last));
  for (let d = start; d <= end; d = addDays(d, 1)) {
    const inMonth = d >= first && d <= last;
    // Disabled and stale jobs do not run: as in the calendar view's default, they stay in the legend only.
    const entries = inMonth ? (byDate.get(d) ?? []).filter((e) => { const r = routines.get(e.routine); return !r || (r.enabled && r.status === 'active'); }) : [];
    const shown = entries.slice(0, 6).map((e) => {
      const r = routines.get(e.routine);
      const { text, outcome } = entryText(e, r?.badge ?? '?', zone);
      const title = `${r?.label ?? e.routine} · ${new Date(entryStart(e) * 1000).toISOString()}${outcome ? ` · ${OUTCOME_LABELS[outcome]}` : ''}`;
      return `<li class="${outcome ? `o-${outcome}` : ''}" title="${esc(title)}">${esc(text)}${outcome ? ` ${OUTCOME_SYMBOLS[outcome]}` : ''}</li>`;
    });
    if (entries.length > 6) shown.push(`<li>+${entries.length - 6} more</li>`);
    cells.push(`<td class="${inMonth ? '' : 'out'}"><div class="date">${Number(d.slice(8))}</div>${shown.length ? `<ul>${shown.join('')}</ul>` : ''}</td>`);
  }
  const weeks: string[] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(`<tr>${cells.slice(i, i + 7).join('')}</tr>`);
  const head = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((w) => `<th>${w}</th>`).join('');
  const legend = cal.routines.map((r) => `<li><span class="badge">${esc(r.badge)}</span>${esc(r.label)} <small>(${esc(r.routineId)}, ${esc(r.endpointName)}${r.enabled ? '' : ', disabled'})</small></li>`);
  return `<table class="month"><thead><tr>${head}</tr></thead><tbody>${weeks.join('')}</tbody></table>`
    + (legend.length ? `<ul class="legend">${legend.join('')}</ul>` : '<p>No scheduled jobs.</p>');
}

/** The report page. Deterministic for its input, so two renders of one store at one instant are identical. */
export function renderReportHtml(input: ReportInput): string {
  const { report, timeZone } = input;
  const monthTitle = new Intl.DateTimeFormat('en-GB', { timeZone: input.calendar.timeZone, month: 'long', year: 'numeric' })
    .format(new Date(input.calendar.from * 1000));
  const endpoints = [...input.endpointNames.values()];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Proxbox backup report</title><style>${CSS}</style></head>
<body>
<h1>Backup report</h1>
<p class="meta">Generated ${esc(formatStamp(report.now, timeZone))} (${esc(timeZone)}) from ${endpoints.length} endpoint${endpoints.length === 1 ? '' : 's'}: ${esc(endpoints.join(', ') || 'none')}. ${report.guests.length} guests, ${report.routines.length} backup jobs.</p>
<h2>Health</h2>
${summary(report)}
<h2>Problems</h2>
${problems(input)}
<h2>Backup jobs, last ${input.stripDays ?? 14} days</h2>
${strips(input)}
<h2>Calendar: ${esc(monthTitle)}</h2>
${month(input)}
</body></html>
`;
}
