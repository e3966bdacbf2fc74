// The lease role of one window: holder (it runs the schedule) or viewer (it shows the jobs and forwards what the
// user asks for as request documents). Every heartbeat renews the lease or tries to take it.
//
// A renewed lease is not proof of life: a window can keep renewing and stop working (in code-server, a closed
// browser tab's extension host keeps running). So a viewer watches the requests it forwarded: one still not
// picked up `pickupTimeoutMs` after it was sent means the holder does not answer, and the viewer takes the lease
// over. The race with a holder that is merely slow is settled by the request itself: the viewer first claims it
// (an atomic rename; see JobStore.claim). If the holder took it first, it is alive and nothing happens; if the
// viewer got it, the holder never will, and the viewer takes the lease (naming the holder it replaces) and applies
// the request itself. The old holder sees the new owner at its next renewal, and stops its runs.
import type { JobCommand } from './jobMachine';
import { JobStore } from './jobStore';
import { Lease, LeaseInfo } from './lease';
import { Clock } from './types';

export interface LeaseRoleOptions {
  /** How often the lease is renewed or tried, and requests are picked up (holder) or watched (viewer). */
  heartbeatMs: number;
  /**
   * How long a forwarded request may wait before the holder counts as stalled. Must be longer than the holder's
   * heartbeat plus its longest state change, or a healthy holder is replaced. Checked at this window's heartbeats.
   */
  pickupTimeoutMs: number;
  /** False: hold the lease but never pick up forwarded requests, as a stalled window does (for tests only). */
  pickUpRequests?: boolean;
}

/** At least this long, however short the heartbeat: a holder busy for a moment is not a stalled one. */
export const MIN_PICKUP_TIMEOUT_MS = 3_000;
export const defaultPickupTimeoutMs = (heartbeatMs: number): number => Math.max(3 * heartbeatMs, MIN_PICKUP_TIMEOUT_MS);

export type Heartbeat =
  /** `gained`: this window just became the holder. `tookOver`: from a holder that stopped answering; apply `commands` (requests this window claimed back). */
  | { role: 'holder'; gained: boolean; tookOver?: { reason: string; commands: JobCommand[] } }
  /** `lost`: this window held the lease until now; why it lost it. */
  | { role: 'viewer'; lost?: string };

interface Forwarded {
  name: string;
  command: JobCommand;
  /** The holder it was left for, and since when it waits for that holder. */
  holder: string | undefined;
  since: number;
}

export class LeaseRole {
  private holding = false;
  /** Set by retire(): the lease is not taken before this time (epoch ms). */
  private retiredUntil = 0;
  private renewedAt = -Infinity;
  private forwarded: Forwarded[] = [];

  constructor(
    private readonly lease: Lease,
    private readonly store: JobStore,
    private readonly clock: Clock,
    private readonly options: LeaseRoleOptions,
  ) {}

  get isHolder(): boolean {
    return this.holding;
  }

  holder(): Promise<LeaseInfo | undefined> {
    return this.lease.current();
  }

  /** Renews or tries the lease; as a viewer, also takes it over from a holder that leaves requests unanswered. */
  async heartbeat(): Promise<Heartbeat> {
    if (this.clock.now() < this.retiredUntil) return { role: 'viewer' };
    const was = this.holding;
    let held = await this.lease.tryAcquire().catch(() => false); // an unreadable folder: a viewer until it comes back
    let tookOver: { reason: string; commands: JobCommand[] } | undefined;
    if (!held && !was) {
      tookOver = await this.checkForwarded().catch(() => undefined);
      held = tookOver !== undefined;
    }
    this.holding = held;
    if (held) {
      this.renewedAt = this.clock.now();
      // Whatever is still waiting is picked up by this window itself from now on.
      this.forwarded = [];
      return { role: 'holder', gained: !was, ...(tookOver ? { tookOver } : {}) };
    }
    return was ? { role: 'viewer', lost: await this.whyLost() } : { role: 'viewer' };
  }

  /**
   * Before work that arrives between heartbeats (a run ending after a long stall), makes sure the lease is still
   * held: renews it if the last renewal is older than a heartbeat. False when it is lost (call `lost()` for why).
   */
  async confirm(): Promise<boolean> {
    if (!this.holding) return false;
    if (this.clock.now() - this.renewedAt <= this.options.heartbeatMs) return true;
    const still = await this.lease.tryAcquire().catch(() => false);
    if (still) this.renewedAt = this.clock.now();
    else this.holding = false;
    return still;
  }

  /** Runs a holder-only write (the job index) if the lease is still held; false (and a viewer now) when it is not. */
  async whileHeld(fn: () => Promise<unknown>): Promise<boolean> {
    if (!this.holding) return false;
    if ((await this.lease.whileHeld(fn)) === 'done') return true;
    this.holding = false;
    return false;
  }

  /** Why this window lost the lease, in words for the runs it stops. */
  async whyLost(): Promise<string> {
    const current = await this.lease.current().catch(() => undefined);
    if (current?.supersedes?.owner === this.lease.owner) {
      return 'Stopped: another window took over the schedule because this one did not pick up its requests in time.';
    }
    return 'Stopped: another window took over the schedule while this one was unresponsive.';
  }

  /** Viewer: leaves a command for the holder and watches that it is picked up. */
  async forward(command: JobCommand): Promise<void> {
    const now = this.clock.now();
    const name = await this.store.submit(command, now);
    const holder = (await this.lease.current().catch(() => undefined))?.owner;
    this.forwarded.push({ name, command, holder, since: now });
  }

  /** Holder: takes the waiting requests, oldest first (broken ones are dropped). */
  async takeRequests(): Promise<JobCommand[]> {
    if (this.options.pickUpRequests === false || !this.holding) return [];
    const taken = await this.store.takeRequests().catch(() => []);
    // A broken request document has no job to attach its error to; it was removed and is skipped.
    return taken.flatMap((t) => (t.command && !t.error ? [t.command] : []));
  }

  /**
   * Gives the lease up and leaves it to the other windows for `forMs`: for a window whose VS Code no longer answers (a
   * closed code-server tab keeps its extension host alive for minutes to hours, still renewing the lease). A live
   * window takes the lease meanwhile and keeps it; when there is none (one slow window), this one takes it back.
   */
  async retire(forMs: number): Promise<void> {
    this.retiredUntil = this.clock.now() + forMs;
    await this.release();
  }

  /** Gives the lease up (a clean close), so another window takes over at once. */
  async release(): Promise<void> {
    if (!this.holding) return;
    this.holding = false;
    await this.lease.release();
  }

  /** Marks this window a viewer without touching the lease (it learnt of the loss elsewhere). */
  markLost(): void {
    this.holding = false;
  }

  /** The viewer's check: takes the lease over when a holder leaves this window's requests unanswered too long. */
  private async checkForwarded(): Promise<{ reason: string; commands: JobCommand[] } | undefined> {
    if (!this.forwarded.length) return undefined;
    const now = this.clock.now();
    const current = await this.lease.current();
    const stalled: Forwarded[] = [];
    const waiting: Forwarded[] = [];
    for (const f of this.forwarded) {
      if (!(await this.store.isWaiting(f.name))) continue; // picked up
      if (current?.owner !== f.holder) {
        // Another holder since it was sent: that one gets the full time to answer.
        waiting.push({ ...f, holder: current?.owner, since: now });
      } else if (current && now - f.since >= this.options.pickupTimeoutMs) {
        stalled.push(f);
      } else {
        waiting.push(f);
      }
    }
    this.forwarded = waiting;
    if (!current || !stalled.length) return undefined;
    const claimed: JobCommand[] = [];
    for (const f of stalled) {
      // Taken back only if the holder has not taken it in the meantime: then it is merely slow, and alive.
      const taken = await this.store.claim(f.name);
      if (taken?.command) claimed.push(taken.command);
    }
    if (!claimed.length) return undefined;
    const who = current.label ?? `process ${current.pid}`;
    const seconds = Math.round(this.options.pickupTimeoutMs / 1000);
    const reason = `${who} held the schedule lease but did not pick up a request from another window within ${seconds} s`;
    if (await this.lease.takeOver(current.owner, reason)) return { reason, commands: claimed };
    // The lease changed hands meanwhile: the requests go back to whoever holds it now, who gets the full time.
    for (const command of claimed) await this.forward(command);
    return undefined;
  }
}
