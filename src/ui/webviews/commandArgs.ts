// How the routine view reads what "Sync Now" resolved with. No vscode import, so unit-tested in plain mocha.
import type { SyncNowResult } from '../../webview/routine/protocol';
import type { SyncResult } from '../commands/sync';

/** Without its trailing dots and white space; a loop from the end, as `/[.\s]+$/` is quadratic on a long inner run. */
function withoutTrailingStop(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '.' || /\s/.test(text[end - 1]))) end--;
  return text.slice(0, end);
}

/** Reads what `proxbox.sync.endpoint` resolved with (a SyncResult), or undefined when the user backed out. */
export function syncOutcome(result: SyncResult | undefined): SyncNowResult {
  if (!result) return { started: false, ok: false, message: 'No sync started.' };
  const { job, record } = result;
  if (!job) return { started: true, ok: true, message: 'The sync runs in the VS Code window that runs the sync schedule; this view shows the new inventory when it ends.' };
  if (job.status === 'completed') return { started: true, ok: true, message: 'Sync finished; this view shows the new inventory.' };
  if (job.interrupted) return { started: true, ok: false, message: `Sync stopped${job.error ? `: ${withoutTrailingStop(job.error)}` : ''}.` };
  const detail = withoutTrailingStop(record?.error?.message ?? job.error ?? '');
  const next = record?.error?.suggestion ? ` ${record.error.suggestion}` : ' See the Proxbox log for the details.';
  return { started: true, ok: false, message: `Sync failed${detail ? `: ${detail}` : ''}.${next}` };
}
