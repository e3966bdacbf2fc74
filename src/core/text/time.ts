// Durations and instants as people read them: one wording for the tree, tooltips, log lines, the CLI and both
// webviews. Pure (Intl only, no Node or DOM API), so the extension host and the browser bundles import the same code.

/** "0.41 s", "12 s", "3 min 5 s", "2 h 3 min", "2 d 3 h". Negative or missing durations read as "—". */
export function formatDuration(seconds: number | undefined | null): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 10) return `${seconds.toFixed(2).replace(/\.?0+$/, '') || '0'} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const total = Math.round(seconds);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return h ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m ? `${h} h ${m} min` : `${h} h`;
  return s ? `${m} min ${s} s` : `${m} min`;
}

/**
 * "in 5 min", "in 3 h 20 min", "in 3 d", "5 min ago"; "now" within a minute. Rounded to whole minutes: a
 * relative time that ticked in seconds would make every refresh look like a change.
 */
export function formatRelative(epochSeconds: number, nowSeconds: number): string {
  const delta = epochSeconds - nowSeconds;
  if (Math.abs(delta) < 60) return 'now';
  const text = formatDuration(Math.round(Math.abs(delta) / 60) * 60);
  return delta > 0 ? `in ${text}` : `${text} ago`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl formatters are costly to build and a calendar formats thousands of times: one per options and zone. */
function formatter(options: Intl.DateTimeFormatOptions, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${JSON.stringify(options)}|${timeZone ?? ''}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { ...options, hour12: false, ...(timeZone ? { timeZone } : {}) });
    formatters.set(key, f);
  }
  return f;
}

function parts(epochMs: number, options: Intl.DateTimeFormatOptions, timeZone: string | undefined): Record<string, string> {
  return Object.fromEntries(formatter(options, timeZone).formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
}

/**
 * A date and time, e.g. "Tue 24 Nov 2026, 02:00", in `timeZone` (the machine's or the browser's zone when absent).
 * The zone is a parameter so that tests and the calendar never depend on where they run.
 */
export function formatDateTime(epochSeconds: number, timeZone?: string): string {
  const p = parts(epochSeconds * 1000, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }, timeZone);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

/** "02:00", or "02:00:30" when the instant has seconds (schedules like `*:*:30`). */
export function formatTime(epochSeconds: number, timeZone?: string): string {
  const withSeconds = Math.round(epochSeconds) % 60 !== 0;
  const p = parts(epochSeconds * 1000, { hour: '2-digit', minute: '2-digit', ...(withSeconds ? { second: '2-digit' } : {}) }, timeZone);
  return withSeconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
}

/** Clock time of a log line: "14:03:07". */
export function formatClock(epochMs: number, timeZone?: string): string {
  const p = parts(epochMs, { hour: '2-digit', minute: '2-digit', second: '2-digit' }, timeZone);
  return `${p.hour}:${p.minute}:${p.second}`;
}

/** A log line's date and time: "2026-11-23 14:03:07". */
export function formatLogTime(epochMs: number, timeZone?: string): string {
  const p = parts(epochMs, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** A compact, sortable date and time for tables: "2026-11-24 02:00". */
export function formatStamp(epochSeconds: number, timeZone?: string): string {
  const p = parts(epochSeconds * 1000, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The zone this code runs in (the viewer's, in a webview); UTC when the runtime does not say. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
