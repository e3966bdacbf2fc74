// Wall-clock stamps in a node's IANA time zone: vzdump names backup files after the node's local time. Offsets come
// from the schedule engine's zone clock, which already caches them per zone.
import { zoneOffsetAt } from '../core/schedule';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** vzdump's file-name stamp: YYYY_MM_DD-HH_MM_SS in the node's local time. */
export function vzdumpStamp(epochSec: number, timeZone: string): string {
  const d = new Date((epochSec + zoneOffsetAt(epochSec, timeZone)) * 1000);
  return `${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}-${pad(d.getUTCHours())}_${pad(d.getUTCMinutes())}_${pad(d.getUTCSeconds())}`;
}
