// Dates and durations in the viewer's locale and zone (the webview's own), so "local time" means the user's.

const dateTime = new Intl.DateTimeFormat(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const timeWithSeconds = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function formatDateTime(epochSeconds: number): string {
  return dateTime.format(new Date(epochSeconds * 1000));
}

export function formatTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return d.getSeconds() ? timeWithSeconds.format(d) : time.format(d);
}

export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
  if (s < 86_400) {
    const m = Math.round((s % 3600) / 60);
    return m ? `${Math.floor(s / 3600)} h ${m} min` : `${s / 3600} h`;
  }
  const hours = Math.round((s % 86_400) / 3600);
  return hours ? `${Math.floor(s / 86_400)} d ${hours} h` : `${s / 86_400} d`;
}

/** "in 3 h 20 min" / "5 min ago". */
export function formatRelative(epochSeconds: number, nowSeconds: number): string {
  const d = epochSeconds - nowSeconds;
  if (Math.abs(d) < 60) return 'now';
  return d > 0 ? `in ${formatDuration(d)}` : `${formatDuration(d)} ago`;
}
