// Proleptic Gregorian calendar arithmetic on plain integers (Howard Hinnant's days_from_civil / civil_from_days).
// Used instead of Date because Date.UTC maps years 0..99 to 19xx and allocates in the hot loop.

/** Broken-down wall-clock time, like C's `struct tm` (month 1..12, weekday 0 = Sunday as in tm_wday). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday .. 6 = Saturday (tm_wday). */
  weekday: number;
}

/** Days since 1970-01-01 of a date; month and day may be out of range and carry like mktime does. */
export function daysFromCivil(year: number, month: number, day: number): number {
  // Carry months into years first (mktime normalises tm_mon before tm_mday).
  const m0 = month - 1;
  const y = year + Math.floor(m0 / 12);
  const m = m0 - Math.floor(m0 / 12) * 12 + 1; // 1..12
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12; // March = 0
  const doy = Math.floor((153 * mp + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468 + (day - 1);
}

/** Seconds since the epoch of a wall-clock reading taken as if it were UTC; every field may overflow. */
export function wallSeconds(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  return daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

/** Breaks seconds-as-if-UTC into fields (like gmtime). */
export function civilFromSeconds(s: number): WallTime {
  const days = Math.floor(s / 86400);
  const secOfDay = s - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {
    year,
    month,
    day,
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor((secOfDay % 3600) / 60),
    second: secOfDay % 60,
    weekday: (((days + 4) % 7) + 7) % 7, // 1970-01-01 was a Thursday
  };
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** ISO-8601 text of seconds-as-if-UTC without an offset, e.g. 2024-03-31T02:30:00. */
export function isoWall(s: number): string {
  const w = civilFromSeconds(s);
  const y = w.year >= 0 && w.year <= 9999 ? String(w.year).padStart(4, '0') : String(w.year);
  return `${y}-${pad2(w.month)}-${pad2(w.day)}T${pad2(w.hour)}:${pad2(w.minute)}:${pad2(w.second)}`;
}
