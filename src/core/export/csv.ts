// Backup health as CSV (RFC 4180): one row per guest under a header row, for spreadsheets and audits. A field with a
// comma, a quote or a line break is quoted, quotes doubled; records end in CRLF. Values are written as they are (no
// spreadsheet-formula guard): the file is data for scripts too, and a changed value would no longer match the report.
import type { GuestHealth, HealthReport } from '../health/types';

export const HEALTH_CSV_COLUMNS = [
  'endpoint', 'vmid', 'name', 'type', 'node', 'status', 'reason', 'last_backup', 'backup_count', 'next_backup', 'routines', 'verification',
] as const;

/** One field, quoted only when it must be. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRecords(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** ISO 8601 in UTC ("2026-11-24T02:00:00Z"), or '' for none: sortable, and the same wherever it is opened. */
export function isoUtc(epoch: number | null): string {
  return epoch === null ? '' : new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function guestCsvRow(g: GuestHealth): string[] {
  return [
    g.endpoint, String(g.vmid), g.name, g.type, g.node, g.status, g.reason, isoUtc(g.lastBackup), String(g.backupCount),
    isoUtc(g.nextBackup), g.routines.join(' '), g.verification ?? '',
  ];
}

/** Every guest of the report (in report order), one row each. */
export function healthCsv(guests: readonly GuestHealth[]): string {
  return csvRecords([[...HEALTH_CSV_COLUMNS], ...guests.map(guestCsvRow)]);
}

/** The guests of a report as CSV. */
export function reportCsv(report: Pick<HealthReport, 'guests'>): string {
  return healthCsv(report.guests);
}
