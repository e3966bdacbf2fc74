// Custom calendar entries: backups that live outside Proxmox (database dumps, restic runs, integrity checks), from the
// setting proxbox.calendar.customEntries and from the workspace policy file's "calendar": { "entries": [...] }, so a
// team shares them. Each entry is checked on its own: a bad one is an error naming it and the fix, the rest still show.
import { isValidTimeZone, parseSchedule } from '../schedule';

export interface CustomEntry {
  /** Unique within its origin: the name. */
  name: string;
  /** A Proxmox calendar event ('calendar') or a cron expression ('cron'). */
  schedule: string;
  scheduleKind: 'calendar' | 'cron';
  /** The zone the schedule is read in; undefined = UTC assumed (the description says so). */
  timeZone: string | undefined;
  /** "#rgb" or "#rrggbb"; undefined = a palette colour like any job. */
  color: string | undefined;
  note: string | undefined;
  /** The storage or datastore name it writes to: runs of others writing there are overlaps. */
  target: string | undefined;
  origin: 'setting' | 'policy';
}

export const CUSTOM_ENTRY_KEYS = ['name', 'schedule', 'timeZone', 'color', 'note', 'target'] as const;
const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
export const CUSTOM_ENTRY_EXAMPLE = '{ "name": "db dump", "schedule": { "cron": "15 2 * * *", "timeZone": "Europe/Vienna" }, "color": "#e07000", "target": "nfs-backup" }';

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** One entry checked; `where` names it in errors ("entry 2 of proxbox.calendar.customEntries"). Every problem of the
 * entry is listed, each with its fix. */
export function readCustomEntry(raw: unknown, where: string, origin: CustomEntry['origin']): { entry?: CustomEntry; errors: string[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { errors: [`${where} must be an object like ${CUSTOM_ENTRY_EXAMPLE}; found ${describe(raw)}.`] };
  }
  const o = raw as Record<string, unknown>;
  const errors: string[] = [];
  const named = typeof o.name === 'string' && o.name.trim() !== '' ? `${where} ("${o.name.trim()}")` : where;
  for (const key of Object.keys(o)) {
    if (!(CUSTOM_ENTRY_KEYS as readonly string[]).includes(key)) errors.push(`${named}: unknown key "${key}"; an entry has ${CUSTOM_ENTRY_KEYS.join(', ')}.`);
  }
  if (typeof o.name !== 'string' || o.name.trim() === '') errors.push(`${named}: "name" must be a non-empty text, like "db dump"; found ${describe(o.name)}.`);
  let schedule = '';
  let scheduleKind: CustomEntry['scheduleKind'] = 'calendar';
  let timeZone = typeof o.timeZone === 'string' ? o.timeZone : undefined;
  if (o.timeZone !== undefined && typeof o.timeZone !== 'string') errors.push(`${named}: "timeZone" must be an IANA zone name like "Europe/Vienna"; found ${describe(o.timeZone)}.`);
  if (typeof o.schedule === 'string') {
    schedule = o.schedule;
  } else if (typeof o.schedule === 'object' && o.schedule !== null && !Array.isArray(o.schedule) && typeof (o.schedule as { cron?: unknown }).cron === 'string') {
    const s = o.schedule as { cron: string; timeZone?: unknown };
    schedule = s.cron;
    scheduleKind = 'cron';
    for (const key of Object.keys(s)) if (key !== 'cron' && key !== 'timeZone') errors.push(`${named}: unknown key "${key}" in "schedule"; a cron schedule is { "cron": "15 2 * * *", "timeZone": "Europe/Vienna" }.`);
    if (s.timeZone !== undefined) {
      if (typeof s.timeZone === 'string') timeZone = s.timeZone;
      else errors.push(`${named}: "schedule.timeZone" must be an IANA zone name like "Europe/Vienna"; found ${describe(s.timeZone)}.`);
    }
  } else {
    errors.push(`${named}: "schedule" must be a Proxmox calendar event like "02:15" or "sat 03:00", or { "cron": "15 2 * * *", "timeZone": "Europe/Vienna" }; found ${describe(o.schedule)}.`);
  }
  if (schedule) {
    try {
      parseSchedule(schedule, scheduleKind);
    } catch (e) {
      errors.push(`${named}: the ${scheduleKind === 'cron' ? 'cron expression' : 'calendar event'} "${schedule}" cannot be read (${message(e)}); fix "schedule".`);
    }
  }
  if (timeZone !== undefined && !isValidTimeZone(timeZone)) errors.push(`${named}: the time zone "${timeZone}" is not known; use an IANA zone name like "Europe/Vienna" or "UTC".`);
  if (o.color !== undefined && (typeof o.color !== 'string' || !COLOR.test(o.color))) errors.push(`${named}: "color" must be "#rgb" or "#rrggbb", like "#e07000"; found ${describe(o.color)}.`);
  if (o.note !== undefined && typeof o.note !== 'string') errors.push(`${named}: "note" must be text; found ${describe(o.note)}.`);
  if (o.target !== undefined && (typeof o.target !== 'string' || o.target.trim() === '')) errors.push(`${named}: "target" must be the name of the storage or datastore it writes to, like "nfs-backup"; found ${describe(o.target)}.`);
  if (errors.length) return { errors };
  return {
    errors,
    entry: {
      name: (o.name as string).trim(), schedule, scheduleKind, timeZone, color: o.color as string | undefined,
      note: o.note as string | undefined, target: (o.target as string | undefined)?.trim(), origin,
    },
  };
}

/** A list of entries (the setting's value): the valid ones, and one error per bad one. A name used twice keeps the first. */
export function readCustomEntries(raw: unknown, origin: CustomEntry['origin'], source: string): { entries: CustomEntry[]; errors: string[] } {
  if (raw === undefined || raw === null) return { entries: [], errors: [] };
  if (!Array.isArray(raw)) return { entries: [], errors: [`${source} must be an array of entries like [${CUSTOM_ENTRY_EXAMPLE}]; found ${describe(raw)}.`] };
  const entries: CustomEntry[] = [];
  const errors: string[] = [];
  raw.forEach((item, i) => {
    const read = readCustomEntry(item, `Entry ${i + 1} of ${source}`, origin);
    errors.push(...read.errors);
    if (!read.entry) return;
    if (entries.some((e) => e.name === read.entry!.name)) {
      errors.push(`Entry ${i + 1} of ${source}: the name "${read.entry.name}" is used by an earlier entry; give each entry its own name.`);
      return;
    }
    entries.push(read.entry);
  });
  return { entries, errors };
}
