// The one table of numeric settings: default and the range a value is clamped to. The extension's settings adapter
// clamps with it (the manifest's minimum/maximum are only advice to the Settings editor, and a test checks that
// package.json says the same), and the CLI refuses a flag outside the same range. Each bound is what still works:
// a timeout above 600 s is a hung request, not a slow one (and above 2^31-1 ms Node's timer fires at once), and
// concurrency or history sizes beyond these only cost memory and load on the cluster.

export interface SettingRange {
  /** The setting's default (package.json has the same). */
  default: number;
  min: number;
  max: number;
}

export const SETTING_RANGES = {
  requestTimeoutSeconds: { default: 15, min: 1, max: 600 },
  // MiB per answer: real answers are far smaller (about 5 MB for 10,000 guests); past 1 GiB V8 cannot hold the text.
  maxResponseMegabytes: { default: 64, min: 1, max: 1024 },
  retries: { default: 3, min: 0, max: 10 },
  'concurrency.fetch': { default: 8, min: 1, max: 64 },
  'concurrency.vm': { default: 8, min: 1, max: 64 },
  'concurrency.backupBatch': { default: 5, min: 1, max: 64 },
  'jobs.historyMaxCount': { default: 100, min: 1, max: 10_000 },
  'jobs.historyMaxAgeDays': { default: 30, min: 1, max: 3650 },
  'jobs.continuousBackoffSeconds': { default: 30, min: 1, max: 86_400 },
  // At least a second: a sync of a small cluster takes a fraction of one, and back to back it floods the history.
  'jobs.continuousPauseSeconds': { default: 30, min: 1, max: 86_400 },
  'tree.pageSize': { default: 500, min: 10, max: 10_000 },
  // A run is not late before its backups could have finished: 6 h covers a long nightly job; a week is the most
  // that still says something about a daily job.
  'health.graceMinutes': { default: 360, min: 0, max: 10_080 },
  // Days of vzdump runs read and judged; a year at most (the task-history stage reaches back this far).
  'health.historyDays': { default: 14, min: 1, max: 366 },
  // Runs on one storage or datastore this close are overlaps; a day at most (beyond that every nightly job overlaps).
  'calendar.overlapWindowMinutes': { default: 30, min: 0, max: 1440 },
} as const satisfies Record<string, SettingRange>;

/** A numeric setting's name under `proxbox.`. */
export type NumericSetting = keyof typeof SETTING_RANGES;

export interface Clamped {
  /** The whole number to use. */
  value: number;
  /** Set when the configured value was not used as it is: says what was configured and what is used instead. */
  note?: string;
}

/**
 * The value to use for a setting: a whole number inside its range. Unset means the default, silently; anything else
 * that is not used as it is (out of range, not a number) comes with a note for a warning.
 */
export function clampSetting(key: NumericSetting, raw: unknown): Clamped {
  const r: SettingRange = SETTING_RANGES[key];
  if (raw === undefined || raw === null) return { value: r.default };
  const name = `proxbox.${key}`;
  if (typeof raw !== 'number' || !Number.isFinite(raw)) {
    return { value: r.default, note: `${name} is ${describe(raw)}, not a number from ${r.min} to ${r.max}; using the default, ${r.default}.` };
  }
  const whole = Math.floor(raw);
  const value = Math.min(r.max, Math.max(r.min, whole));
  if (value !== whole) {
    return { value, note: `${name} is ${raw}, outside ${r.min} to ${r.max}; using ${value}.` };
  }
  return { value };
}

/**
 * Reads numeric settings through clampSetting and reports each note once (a clamped value is read on every sync;
 * one warning names the setting, the configured value and the value used).
 */
export function settingReader(warn: (message: string) => void): (key: NumericSetting, raw: unknown) => number {
  const reported = new Set<string>();
  return (key, raw) => {
    const { value, note } = clampSetting(key, raw);
    if (note && !reported.has(note)) {
      reported.add(note);
      warn(note);
    }
    return value;
  };
}

/** The range of a setting as a CLI flag in other units (seconds → milliseconds: scale 1000). */
export function flagRange(key: NumericSetting, scale = 1): { min: number; max: number } {
  const r: SettingRange = SETTING_RANGES[key];
  return { min: r.min * scale, max: r.max * scale };
}

function describe(raw: unknown): string {
  if (typeof raw === 'string') return `the text ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw)}`;
  if (typeof raw === 'number') return String(raw);
  return Array.isArray(raw) ? 'a list' : `a ${typeof raw}`;
}
