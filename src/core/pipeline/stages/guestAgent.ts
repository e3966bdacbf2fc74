// The guest agent is asked only for running qemu guests with the agent enabled (a missing agent costs PVE up to
// 8 s), once per run, shared by the interface and address stages. "Agent not running" is an ordinary state of a
// guest, not a failure of the sync.
import type { GuestRecord } from '../../inventory/model';
import type { AgentInterface } from '../../proxmox/types';
import type { StageRun } from '../context';

export function wantsAgent(g: GuestRecord): boolean {
  return g.type === 'qemu' && g.status === 'running' && g.agent === true && !g.template;
}

const EXPECTED = /guest agent is not running|no qemu guest agent configured|vm \d+ is not running|qga command .* failed/i;

/** True for the agent errors that describe the guest (agent down, not configured), not a broken sync. */
export function isExpectedAgentError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { pveMessage?: unknown; message?: unknown; category?: unknown };
  if (e.category === 'cancelled' || e.category === 'authentication' || e.category === 'connection') return false;
  const text = `${typeof e.pveMessage === 'string' ? e.pveMessage : ''} ${typeof e.message === 'string' ? e.message : ''}`;
  return EXPECTED.test(text);
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
