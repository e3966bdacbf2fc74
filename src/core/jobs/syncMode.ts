// The headless scheduler's --mode values (the scheduler container's PROXBOX_MODE): off, interval=<s>,
// continuous, cron=<expr>.
import { JobError, ScheduleSpec } from './types';
import { validateSchedule } from './recurrence';

export function parseSyncMode(mode: string, options: { tz?: string; backoffSeconds?: number; now: number }): ScheduleSpec | 'off' {
  const m = mode.trim();
  const backoff = options.backoffSeconds !== undefined ? { backoffSeconds: options.backoffSeconds } : {};
  let spec: ScheduleSpec;
  if (m === 'off') return 'off';
  // The container's continuous mode runs back to back; the CLI keeps that (the extension's default pause is 30 s).
  if (m === 'continuous') spec = { mode: 'continuous', ...backoff, pauseSeconds: 0 };
  else if (m.startsWith('interval=')) {
    const raw = m.slice('interval='.length);
    if (!/^\d+$/.test(raw)) throw new JobError(`--mode interval=<seconds> needs a whole number of seconds greater than 0 (got '${raw}').`);
    spec = { mode: 'seconds', seconds: Number(raw), ...backoff };
  } else if (m.startsWith('cron=')) {
    spec = { mode: 'cron', expr: m.slice('cron='.length).trim(), tz: options.tz ?? 'UTC', ...backoff };
  } else {
    throw new JobError(`unknown --mode '${mode}'; use off, interval=<seconds>, continuous or cron=<expression> (with --tz ZONE).`);
  }
  validateSchedule(spec, options.now);
  return spec;
}
