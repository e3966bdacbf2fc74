// What `proxbox sync` and `proxbox demo` print: pipeline events as a table of stages, counts and times. The
// words of an event for logs come from the one event reducer (core/pipeline/reducer.ts); this is only the CLI's layout.
// Progress and discovery chatter are left to the caller (verbose); stages, problems and the end always show.
// Messages carry server text (names, Proxmox's error words): each goes through the one terminal sanitizer.
import type { CompleteData, PipelineEvent, StageResult } from '../core/pipeline/events';
import { formatDuration } from '../core/text/time';
import { terminalSafe as safe } from '../core/text/terminal';

export interface FormatOptions {
  /** Also show discovery and item progress. */
  verbose?: boolean;
}

function changes(r: StageResult | undefined): string {
  if (!r) return '';
  const parts: string[] = [];
  if (r.created) parts.push(`+${r.created}`);
  if (r.updated) parts.push(`~${r.updated}`);
  if (r.deleted) parts.push(`-${r.deleted}`);
  if (r.stale) parts.push(`${r.stale} stale`);
  if (r.failed) parts.push(`${r.failed} failed`);
  if (r.skipped) parts.push(`${r.skipped} skipped`);
  return parts.length ? parts.join(' ') : 'no change';
}

function formatSeconds(s: number | undefined): string {
  return s === undefined ? '' : formatDuration(s);
}

/** One line (or none) for an event. */
export function formatEvent(e: PipelineEvent, opts: FormatOptions = {}): string | undefined {
  switch (e.event) {
    case 'step': {
      const d = e.data;
      if (d.step === 'sync') return safe(d.message);
      if (d.status === 'started') return opts.verbose ? `  … ${d.step}: ${safe(d.message)}` : undefined;
      if (d.status === 'completed') {
        return `  ✓ ${d.step.padEnd(17)} ${String(d.result?.count ?? 0).padStart(6)}   ${changes(d.result).padEnd(24)} ${formatSeconds(d.duration_seconds).padStart(9)}`;
      }
      if (d.status === 'skipped') return `  - ${d.step.padEnd(17)} ${safe(d.message)}`;
      return `  ✗ ${d.step.padEnd(17)} failed: ${safe(d.message)}`;
    }
    case 'discovery':
      return opts.verbose ? `    ${safe(e.data.message)}` : undefined;
    case 'item_progress':
      return opts.verbose ? `    ${safe(e.data.message)} (${e.data.progress.percent}%)` : undefined;
    case 'phase_summary': {
      // A sink's counts per kind of object (NetBox: virtual machines, interfaces…) under its step line.
      const d = e.data;
      if (!d.object_type) return undefined;
      const r = d.result;
      const unchanged = r.total - r.created - r.updated - r.deleted - r.failed;
      return `    · ${safe(`${d.phase} ${d.object_type}`).padEnd(24)} ${String(r.total).padStart(6)}   ${changes({ count: r.total, created: r.created, updated: r.updated, deleted: r.deleted, failed: r.failed })}${unchanged > 0 && (r.created || r.updated || r.deleted || r.failed) ? `, ${unchanged} unchanged` : ''}`;
    }
    case 'error_detail':
      return `    ! [${safe(e.data.category)}] ${safe(e.data.message)}${e.data.detail && e.data.detail !== e.data.message ? `\n      ${safe(e.data.detail.split('\n')[0])}` : ''}\n      → ${safe(e.data.suggestion)}`;
    case 'error':
      return undefined;
    case 'complete':
      return formatComplete(e.data);
  }
}

export function formatComplete(c: CompleteData): string {
  const r = c.result;
  const head = c.ok ? '✓' : c.cancelled ? '■' : '✗';
  const lines = [
    `${head} ${safe(c.message)}`,
    `  ${r.total} objects: ${r.created} created, ${r.updated} updated, ${r.deleted} deleted, ${r.stale} marked stale, ` +
      `${r.failed} failed, ${r.skipped} skipped; ${r.requests} Proxmox requests, ${r.written} file(s) written, ${formatSeconds(c.duration_seconds)}.`,
  ];
  for (const w of c.warnings) lines.push(`  warning: ${safe(w)}`);
  return lines.join('\n');
}
