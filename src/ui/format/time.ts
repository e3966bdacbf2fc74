// Durations and instants as people read them in a tree, a tooltip or a log line. No vscode import: unit-tested.

/** "0.41 s", "12 s", "3 min 5 s", "2 h 3 min". Negative or missing durations read as "—". */
export function formatDuration(seconds: number | undefined | null): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 10) return `${seconds.toFixed(2).replace(/\.?0+$/, '') || '0'} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m ? `${h} h ${m} min` : `${h} h`;
  return s ? `${m} min ${s} s` : `${m} min`;
}

/** A local date and time, e.g. "Tue 24 Nov 2026, 02:00". The zone is explicit so tests do not depend on the machine. */
export function formatDateTime(epochSeconds: number, timeZone?: string): string {
  const d = new Date(epochSeconds * 1000);
  const fmt = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
    hour12: false, ...(timeZone ? { timeZone } : {}),
  });
  const parts = Object.fromEntries(fmt.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute}`;
}

/** "in 5 min", "in 2 h", "in 3 days", "5 min ago"; "now" within a minute. */
export function formatRelative(epochSeconds: number, nowSeconds: number): string {
  const delta = epochSeconds - nowSeconds;
  const abs = Math.abs(delta);
  if (abs < 60) return 'now';
  let text: string;
  if (abs < 3600) text = `${Math.round(abs / 60)} min`;
  else if (abs < 48 * 3600) text = `${Math.round(abs / 3600)} h`;
  else text = `${Math.round(abs / 86400)} days`;
  return delta > 0 ? `in ${text}` : `${text} ago`;
}

/** Clock time of a log line: "14:03:07". */
export function formatClock(epochMs: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, ...(timeZone ? { timeZone } : {}),
  }).format(new Date(epochMs));
}

/** A log line's local time: "2026-11-23 14:03:07". */
export function formatLogTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
