// The guest agent is asked only for running qemu guests with the agent enabled (a missing agent costs PVE up to
// 8 s), once per run, shared by the interface and address stages. "Agent not running" is an ordinary state of a
// guest, not a failure of the sync.
import type { GuestRecord } from '../../inventory/model';
import type { AgentInterface } from '../../proxmox/types';
import type { StageRun } from '../context';

export function wantsAgent(g: GuestRecord): boolean {
  return g.type === 'qemu' && g.status === 'running' && g.agent === true && !g.template;
}

// Each alternative is literal text or one run of digits followed by a literal, so a match attempt costs at most its
// own run: linear on any text. `qga command <anything on the line> failed` is found by qgaCommandFailed below, as the
// pattern `qga command .* failed` backtracked over every later occurrence (4.8 s on 240 KB).
const EXPECTED = /guest agent is not running|no qemu guest agent configured|vm \d+ is not running/i;

/** `qga command … failed` on one line (as `.` in a pattern: any characters but line terminators), in linear time. */
function qgaCommandFailed(lower: string): boolean {
  const head = 'qga command ';
  let from = 0;
  let failed = -1; // the next ' failed' at or after the current position, found once and reused by later lines
  for (;;) {
    const i = lower.indexOf(head, from);
    if (i < 0) return false;
    const rest = i + head.length;
    if (failed < rest) {
      failed = lower.indexOf(' failed', rest);
      if (failed < 0) return false;
    }
    let end = rest;
    while (end < lower.length && !isLineEnd(lower.charCodeAt(end))) end++;
    // The earliest occurrence on a line sees the longest rest of it; a later one on the same line cannot do better.
    if (failed + ' failed'.length <= end) return true;
    from = end + 1;
  }
}

const isLineEnd = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;

/** True for the agent errors that describe the guest (agent down, not configured), not a broken sync. */
export function isExpectedAgentError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { pveMessage?: unknown; message?: unknown; category?: unknown };
  if (e.category === 'cancelled' || e.category === 'authentication' || e.category === 'connection') return false;
  const text = `${typeof e.pveMessage === 'string' ? e.pveMessage : ''} ${typeof e.message === 'string' ? e.message : ''}`;
  return EXPECTED.test(text) || qgaCommandFailed(text.toLowerCase());
}

export type AgentOutcome =
  | { kind: 'ok'; interfaces: AgentInterface[] }
  | { kind: 'unavailable'; reason: string };

/** Reads the agent; an expected agent error becomes `unavailable`, anything else is thrown. */
export async function readAgent(run: StageRun, g: GuestRecord): Promise<AgentOutcome> {
  try {
    const result = await run.ctx.agentInterfaces(g, run);
    if (result.error) return { kind: 'unavailable', reason: `guest agent error (${result.error.class})` };
    return { kind: 'ok', interfaces: result.interfaces };
  } catch (err) {
    if (isExpectedAgentError(err)) return { kind: 'unavailable', reason: 'guest agent not running' };
    throw err;
  }
}
