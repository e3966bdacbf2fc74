// The status bar's text and tooltip: the running sync, or the last result and the next scheduled run.
import { progressMessage, type RunProgress } from '../../core/pipeline/reducer';
import { formatDateTime, formatRelative } from '../../core/text/time';

export interface StatusInput {
  /** `progress` is known for a run of this window; a run of another window shows as running only. */
  running?: { endpointName: string; progress?: RunProgress; more?: number };
  last?: { endpointName: string; ok: boolean; finishedAtMs: number; message?: string };
  nextRun?: { atSeconds: number; label: string };
  nowMs: number;
  timeZone?: string;
}
export interface StatusPresentation { text: string; tooltip: string; kind: 'running' | 'ok' | 'failed' | 'idle' }

export function presentStatus(s: StatusInput): StatusPresentation {
  const now = Math.floor(s.nowMs / 1000);
  const nextLine = s.nextRun ? `Next scheduled sync: ${s.nextRun.label}, ${formatDateTime(s.nextRun.atSeconds, s.timeZone)} (${formatRelative(s.nextRun.atSeconds, now)})` : 'No sync scheduled';
  if (s.running) {
    const msg = s.running.progress ? progressMessage(s.running.progress) : 'running in another window';
    const others = s.running.more ? ` (+${s.running.more} more)` : '';
    return {
      kind: 'running',
      text: `$(sync~spin) Proxbox: ${s.running.endpointName} · ${msg}${others}`,
      tooltip: `Syncing ${s.running.endpointName}: ${msg}${others}\n${nextLine}\nClick to show the job and its log.`,
    };
  }
  if (s.last) {
    const at = formatDateTime(s.last.finishedAtMs / 1000, s.timeZone).replace(/^.*, /, '');
    const next = s.nextRun ? ` · next ${formatRelative(s.nextRun.atSeconds, now)}` : '';
    return {
      kind: s.last.ok ? 'ok' : 'failed',
      text: `${s.last.ok ? '$(check)' : '$(error)'} Proxbox: ${s.last.ok ? 'synced' : 'sync failed'} ${at}${next}`,
      tooltip: `Last sync of ${s.last.endpointName} ${s.last.ok ? 'succeeded' : 'failed'} at ${formatDateTime(s.last.finishedAtMs / 1000, s.timeZone)}` +
        `${s.last.message ? ` — ${s.last.message}` : ''}\n${nextLine}\nClick to show the job and its log.`,
    };
  }
  return {
    kind: 'idle',
    text: s.nextRun ? `$(clock) Proxbox: next sync ${formatRelative(s.nextRun.atSeconds, now)}` : '$(server-environment) Proxbox',
    tooltip: `${nextLine}\nClick to show the Proxbox log.`,
  };
}
