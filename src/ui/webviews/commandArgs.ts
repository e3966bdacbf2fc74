// How the routine view reads what "Sync Now" resolved with. No vscode import, so unit-tested in plain mocha.
import type { SyncNowResult } from '../../webview/routine/protocol';
import type { SyncResult } from '../commands/sync';

/** Reads what `proxbox.sync.endpoint` resolved with (a SyncResult), or undefined when the user backed out. */
export function syncOutcome(result: SyncResult | undefined): SyncNowResult {
  if (!result) return { started: false, ok: false, message: 'No sync started.' };
  const { job, record } = result;
  if (!job) return { started: true, ok: true, message: 'The sync runs in the VS Code window that runs the sync schedule; this view shows the new inventory when it ends.' };
  if (job.status === 'completed') return { started: true, ok: true, message: 'Sync finished; this view shows the new inventory.' };
  if (job.interrupted) return { started: true, ok: false, message: `Sync stopped${job.error ? `: ${job.error.replace(/[.\s]+$/, '')}` : ''}.` };
  const detail = (record?.error?.message ?? job.error ?? '').replace(/[.\s]+$/, '');
  const next = record?.error?.suggestion ? ` ${record.error.suggestion}` : ' See the Proxbox log for the details.';
  return { started: true, ok: false, message: `Sync failed${detail ? `: ${detail}` : ''}.${next}` };
}
