// What a person types in "Schedule Sync…", checked and turned into numbers, with messages that say what to type.
import type { Checked } from './endpointInput';

/** A whole number within bounds: "every N minutes", "every N seconds", a back-off. */
export function parseWholeNumber(input: string, what: string, min: number, max: number): Checked<number> {
  const v = input.trim();
  if (!/^\d+$/.test(v)) return { ok: false, message: `Enter ${what} as a whole number from ${min} to ${max}.` };
  const n = Number(v);
  if (n < min || n > max) return { ok: false, message: `${what[0]!.toUpperCase()}${what.slice(1)} must be from ${min} to ${max} (got ${n}).` };
  return { ok: true, value: n };
}

/**
 * A local date and time for "run once at": "2026-11-24 02:00", "2026-11-24T02:00", or just "02:00" (today, or
 * tomorrow when that time has passed). Read in the machine's zone, as people mean it. Returns epoch milliseconds.
 */
export function parseOnceAt(input: string, nowMs: number): Checked<number> {
  const v = input.trim();
  const hint = 'Enter a time like 02:00 (the next one) or a date and time like 2026-11-24 02:00 (local time).';
  let m = /^(\d{1,2}):(\d{2})$/.exec(v);
  if (m) {
    const [h, min] = [Number(m[1]), Number(m[2])];
    if (h > 23 || min > 59) return { ok: false, message: `"${v}" is not a time of day. ${hint}` };
    const d = new Date(nowMs);
    d.setHours(h, min, 0, 0);
    if (d.getTime() <= nowMs) d.setDate(d.getDate() + 1);
    return { ok: true, value: d.getTime() };
  }
  m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$/.exec(v);
  if (!m) return { ok: false, message: hint };
  const [y, mo, day, h, min] = m.slice(1).map(Number) as [number, number, number, number, number];
  const d = new Date(y, mo - 1, day, h, min, 0, 0);
  if (d.getFullYear() !== y || d.getMonth() !== mo - 1 || d.getDate() !== day || h > 23 || min > 59) {
    return { ok: false, message: `"${v}" is not a valid date and time. ${hint}` };
  }
  if (d.getTime() <= nowMs) return { ok: false, message: `${v} is in the past: pick a future time, or use "Run now".` };
  return { ok: true, value: d.getTime() };
}
