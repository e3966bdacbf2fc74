// Reading an instant the way people write it: epoch seconds, or ISO-8601 with or without an offset.
import { daysFromCivil } from './civil';
import { epochFromWallTime } from './timeZone';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Text longer than this is no instant (ISO-8601 with nanoseconds and an offset has 35 characters). */
const MAX_INSTANT_LENGTH = 64;

const HELP = 'use epoch seconds (e.g. 1700000000) or ISO-8601 (e.g. 2024-10-27T02:30:00+02:00, or without an offset for the schedule\'s zone)';

/**
 * Epoch seconds from a number or text. ISO text without an offset is a wall time in `tz` (a time that occurs twice
 * is the earlier one, a time in a spring-forward gap moves forward). Throws RangeError with the accepted forms.
 */
export function parseInstant(value: unknown, tz: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`invalid time ${String(value)}: ${HELP}`);
    return Math.floor(value);
  }
  if (typeof value !== 'string') throw new RangeError(`invalid time ${JSON.stringify(value)}: ${HELP}`);
  // The longest accepted form (2024-10-27T02:30:00.123456789+02:00) is far shorter; checked before any trim or match.
  if (value.length > MAX_INSTANT_LENGTH) throw new RangeError(`invalid time '${value.slice(0, 40)}…' (${value.length} characters): ${HELP}`);
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Math.floor(Number(text));
  const m = ISO.exec(text);
  if (!m) throw new RangeError(`invalid time '${value}': ${HELP}`);
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  const daysInMonth = daysFromCivil(year, month + 1, 1) - daysFromCivil(year, month, 1);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    throw new RangeError(`invalid time '${value}': no such date or time of day; ${HELP}`);
  }
  const zone = m[7];
  if (zone === undefined) return epochFromWallTime(tz, year, month, day, hour, minute, second);
  const wall = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  if (zone === 'Z' || zone === 'z') return wall;
  const om = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
  const offset = (Number(om[2]) * 3600 + Number(om[3] ?? '0') * 60) * (om[1] === '-' ? -1 : 1);
  return wall - offset;
}
