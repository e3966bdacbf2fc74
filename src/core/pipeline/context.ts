// What a stage works with: the API, the inventory as it stands (previous sync plus the stages already done in this
// run), the data fetched once and shared between stages, and a StageRun that records its changes, counts and item
// failures. A stage's changes go into a draft that is committed only when the stage completes, so a failed stage
// leaves the inventory exactly as it was.
//
// Stages run at the same time when neither depends on the other, so their commits come in an order that depends on
// timing. The result must not: every collection is written by one stage only, except `interfaces`, which
// node-interfaces and vm-interfaces share, each owning the records of one `owner` (its listing holds only those, its
// reconcile scope covers only those). A commit that finds its collection changed since the stage read it (the other
// owner committed first) reconciles the same listing again against the collection as it now stands. The other
// owner's records are out of scope, so they are kept as they are, and the stage's own records are the same ones it
// read: the merged collection (sorted by key) and the stage's counts are the same in either order.
import pLimit, { type LimitFunction } from 'p-limit';
import type { CallOptions, GuestConfig, PveApi } from './api';
import type { PbsApi } from '../pbs/api';
import type { AgentInterfaces, ClusterResource, LxcInterface } from '../proxmox/types';
import { explainError, type ExplainedError } from '../errors/explain';
import { describeDroppedRow, type DroppedRow } from '../proxmox/decoders/primitives';
import { CancelledError, StageFailure, isRunFatal } from './errors';
import { EventEmitterOnce, ItemInfo, PipelineStageName, progress } from './events';
import type { PipelineOptions } from './options';
import { COLLECTIONS, ClusterInfo, CollectionName, GuestRecord, Inventory, recordKey } from '../inventory/model';
import { ReconcileCounts, addCounts, emptyCounts, naturalCompare, reconcile } from '../inventory/reconcile';
import { COLLECTION_RULES } from '../inventory/rules';
import { redactDeepIfNeeded } from '../secrets/redact';

function subtractCounts(from: ReconcileCounts, c: ReconcileCounts): void {
  from.created -= c.created;
  from.updated -= c.updated;
  from.deleted -= c.deleted;
  from.stale -= c.stale;
  from.unchanged -= c.unchanged;
}

/** One reconcile step onto `prev`; records the step's counts on it. */
function applyStep(c: CollectionName, prev: readonly unknown[], step: ReconcileStep): { records: unknown[]; changed: boolean; counts: ReconcileCounts } {
  type R = Inventory[typeof c][number];
  const res = reconcile(prev as R[], step.incoming as R[], {
    key: recordKey[c] as (r: R) => string,
    inScope: step.inScope as ((r: R) => boolean) | undefined,
    volatile: COLLECTION_RULES[c].volatile,
    lifecycleNow: step.lifecycleNow,
  });
  step.counts = res.counts;
  return res;
}

export class SyncContext {
  readonly limits: { vm: LimitFunction; backup: LimitFunction; node: LimitFunction };
  /** Collections changed by committed stages (they are written at the end). */
  readonly dirty = new Set<CollectionName>();
  clusterChanged = false;

  /** Guest configs read by the virtual-machines stage, shared by disks, interfaces and addresses. */
  readonly configs = new Map<number, GuestConfig>();
  /** Guests whose discovery did not fully succeed: nothing of theirs may be removed in this run. */
  readonly incompleteGuests = new Set<number>();
  /** Nodes that could not be reached in this run. */
  readonly unreachableNodes = new Set<string>();

  private readonly resourcesRead = new SharedRead((call) => this.api.clusterResources(undefined, call));
  private readonly agentCache = new Map<number, SharedRead<AgentInterfaces>>();
  private readonly lxcRuntimeCache = new Map<number, SharedRead<LxcInterface[]>>();

  /** The PVE stages' API; a PBS run has none (see `pbs`). */
  get api(): PveApi {
    if (!this.pveApi) throw new Error('a Proxmox VE stage ran in the sync of a Proxmox Backup Server (no PVE API in this run)');
    return this.pveApi;
  }

  /** The PBS stages' API; a PVE run has none. */
  get pbs(): PbsApi {
    if (!this.pbsApi) throw new Error('a Proxmox Backup Server stage ran in the sync of a Proxmox VE cluster (no PBS API in this run)');
    return this.pbsApi;
  }

  constructor(
    /** null in the run of a PBS endpoint, which reads through `pbsApi`. */
    private readonly pveApi: PveApi | null,
    readonly signal: AbortSignal,
    readonly options: PipelineOptions,
    readonly emitter: EventEmitterOnce,
    readonly now: () => number,
    readonly inventory: Inventory,
    /** The run's token secret(s): decoded data that echoes one (or any token shape) is redacted before it is kept. */
    readonly secrets: readonly string[] = [],
    private readonly pbsApi?: PbsApi,
  ) {
    this.limits = {
      vm: pLimit(options.concurrency.vm),
      backup: pLimit(options.concurrency.backupBatch),
      node: pLimit(options.concurrency.fetch),
    };
  }

  /** The run's signal only. A stage's requests use StageRun.call, which also reports rows left out of a listing. */
  get call(): { signal: AbortSignal } {
    return { signal: this.signal };
  }

  checkCancelled(): void {
    if (this.signal.aborted) throw new CancelledError();
  }

  /** /cluster/resources, fetched once per run: nodes, guests and storages all come from this one request. */
  resources(run: StageRun): Promise<ClusterResource[]> {
    return this.resourcesRead.get(run);
  }

  /** The guest agent's view of a running qemu guest's NICs, fetched at most once per run. */
  agentInterfaces(guest: GuestRecord, run: StageRun): Promise<AgentInterfaces> {
    let r = this.agentCache.get(guest.vmid);
    if (!r) {
      r = new SharedRead((call) => this.api.qemuAgentInterfaces(guest.node, guest.vmid, call));
      this.agentCache.set(guest.vmid, r);
    }
    return r.get(run);
  }

  lxcRuntimeInterfaces(guest: GuestRecord, run: StageRun): Promise<LxcInterface[]> {
    let r = this.lxcRuntimeCache.get(guest.vmid);
    if (!r) {
      r = new SharedRead((call) => this.api.lxcInterfaces(guest.node, guest.vmid, call));
      this.lxcRuntimeCache.set(guest.vmid, r);
    }
    return r.get(run);
  }

  isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  nodeTimezone(node: string | null | undefined): string | null {
    if (!node) return null;
    return this.inventory.nodes.find((n) => n.name === node)?.timezone ?? null;
  }
}

/**
 * A read shared by several stages of a run, made once. The rows the client left out of it make every stage that
 * reads it partial (see StageRun.rowsDropped); they are reported as warnings once, by the first such stage.
 */
class SharedRead<T> {
  private promise?: Promise<T>;
  private readonly dropped: DroppedRow[] = [];
  private reported = false;

  constructor(private readonly fetch: (call: CallOptions) => Promise<T>) {}

  async get(run: StageRun): Promise<T> {
    this.promise ??= this.fetch({ signal: run.ctx.signal, onDropped: (rows) => this.dropped.push(...rows) });
    const value = await this.promise;
    if (this.dropped.length) {
      run.rowsDropped(this.dropped, { warn: !this.reported });
      this.reported = true;
    }
    return value;
  }
}

/** One reconcile of a listing into a collection, kept so that a commit can replay it on a newer base. */
interface ReconcileStep {
  incoming: readonly unknown[];
  inScope?: (r: never) => boolean;
  /** The lifecycle time the step used, so that a replay stamps the same time. */
  lifecycleNow?: string;
  counts: ReconcileCounts;
  /** false: a record the stage keeps beside what it lists (a PBS's zone in the pbs-jobs stage), left out of the
   * stage's created/updated counts, which speak of its listing. */
  counted: boolean;
}

interface Draft {
  /** The collection array the first step read; a commit that finds another array there replays the steps. */
  base: readonly unknown[];
  steps: ReconcileStep[];
  records: unknown[];
  changed: boolean;
}

interface FailureGroup {
  /** Each failed item with its own error (the messages name the item's path). */
  items: { item: ItemInfo; classified: ExplainedError }[];
}

/** The bookkeeping of one stage while it runs. */
export class StageRun {
  readonly counts: ReconcileCounts = emptyCounts();
  failed = 0;
  skipped = 0;
  attempted = 0;
  readonly warnings: string[] = [];
  /**
   * Set when a listing this stage read had rows left out: the listing no longer speaks for every record of its
   * scope, so this stage's reconcile deletes nothing and marks nothing stale in this run.
   */
  partial = false;
  private readonly draft = new Map<CollectionName, Draft>();
  private clusterDraft: { value: ClusterInfo | null } | undefined;
  private readonly failures = new Map<string, FailureGroup>();
  private readonly expectedSkips = new Map<string, number>();
  private lastProgressBucket = -1;

  constructor(readonly ctx: SyncContext, readonly stage: PipelineStageName) {}

  /** Options for this stage's requests: the run's signal, and rows left out of a listing reach rowsDropped. */
  get call(): CallOptions {
    return { signal: this.ctx.signal, onDropped: (rows) => this.rowsDropped(rows) };
  }

  /**
   * Rows the client left out of a listing: each becomes a warning that names it (up to a few per listing), and the
   * stage becomes partial. A stage that knows which records the listing speaks for narrows its own reconcile scope
   * instead and passes `partial: false`; `warn: false` is for rows another stage has reported already.
   */
  rowsDropped(rows: readonly DroppedRow[], opts: { warn?: boolean; partial?: boolean } = {}): void {
    if (opts.partial ?? true) this.partial = true;
    if (!(opts.warn ?? true)) return;
    const shown = 5;
    for (const r of rows.slice(0, shown)) this.warnings.push(`${this.stage}: ${describeDroppedRow(r)}`);
    if (rows.length > shown) this.warnings.push(`${this.stage}: GET ${rows[0].path}: ${rows.length - shown} more row(s) left out`);
  }

  /** The collection as this stage sees it (its own draft first). */
  get<C extends CollectionName>(c: C): Inventory[C] {
    const d = this.draft.get(c);
    return (d ? d.records : this.ctx.inventory[c]) as Inventory[C];
  }

  /**
   * Folds a fresh listing into a collection. `inScope` names the stored records the listing speaks for: only
   * those can be deleted (or marked stale). Call it only with a complete listing of that scope. `counted: false`
   * keeps the step out of the stage's counts (a side record, not what the stage lists).
   */
  reconcile<C extends CollectionName>(c: C, incoming: Inventory[C], inScope?: (r: Inventory[C][number]) => boolean, { counted = true } = {}): ReconcileCounts {
    const before = this.draft.get(c);
    const prev = this.get(c) as readonly unknown[];
    // Server text is redacted as it enters the inventory, so what is compared, kept and stored never holds a
    // credential (and a server that keeps echoing one does not make every sync an update).
    incoming = redactDeepIfNeeded(incoming, this.ctx.secrets);
    const step: ReconcileStep = {
      // A partial listing speaks for no stored record: nothing is deleted or marked stale on its word.
      incoming, inScope: (this.partial ? () => false : inScope) as ReconcileStep['inScope'], lifecycleNow: COLLECTION_RULES[c].lifecycle ? this.ctx.isoNow() : undefined,
      counts: emptyCounts(), counted,
    };
    const res = applyStep(c, prev, step);
    this.draft.set(c, {
      base: before?.base ?? prev, steps: [...(before?.steps ?? []), step], records: res.records, changed: (before?.changed ?? false) || res.changed,
    });
    if (counted) addCounts(this.counts, res.counts);
    return res.counts;
  }

  /** Replays this stage's reconciles of `c` onto the collection as it stands now (see the header). */
  private rebase(c: CollectionName, d: Draft): void {
    let records = this.ctx.inventory[c] as readonly unknown[];
    let changed = false;
    for (const step of d.steps) {
      if (step.counted) subtractCounts(this.counts, step.counts);
      const res = applyStep(c, records, step);
      if (step.counted) addCounts(this.counts, res.counts);
      records = res.records;
      changed ||= res.changed;
    }
    d.base = this.ctx.inventory[c];
    d.records = records as unknown[];
    d.changed = changed;
  }

  setCluster(info: ClusterInfo | null): void {
    this.clusterDraft = { value: redactDeepIfNeeded(info, this.ctx.secrets) };
  }

  /** Applies the draft to the inventory: called once the stage completed. */
  commit(): void {
    for (const [c, d] of this.draft) {
      if (this.ctx.inventory[c] !== d.base) this.rebase(c, d);
      (this.ctx.inventory as unknown as Record<string, unknown>)[c] = d.records;
      if (d.changed) this.ctx.dirty.add(c);
    }
    if (this.clusterDraft) {
      const next = this.clusterDraft.value;
      if (JSON.stringify(next) !== JSON.stringify(this.ctx.inventory.cluster)) {
        this.ctx.inventory.cluster = next;
        this.ctx.clusterChanged = true;
      }
    }
  }

  discovery(items: ItemInfo[], message: string, metadata?: Record<string, unknown>): void {
    // Listing thousands of guests in one event helps nobody; the count is what matters past a screenful.
    const shown = items.slice(0, 50);
    this.ctx.emitter.emit({
      event: 'discovery',
      data: {
        event: 'discovery', phase: this.stage, status: 'discovered', message, count: items.length, items: shown,
        progress: progress(0, items.length), ...(metadata || items.length > shown.length ? { metadata: { ...metadata, truncated: items.length > shown.length } } : {}),
      },
    });
  }

  /** Progress over items; throttled to about one event per tenth, plus the last. */
  progress(done: number, total: number, item?: ItemInfo): void {
    const bucket = total > 0 ? Math.floor((done * 10) / total) : 10;
    if (bucket === this.lastProgressBucket && done !== total) return;
    this.lastProgressBucket = bucket;
    this.ctx.emitter.emit({
      event: 'item_progress',
      data: {
        event: 'item_progress', phase: this.stage, status: done >= total ? 'completed' : 'processing',
        message: `${this.stage}: ${done} of ${total}`, ...(item ? { item } : {}), progress: progress(done, total),
      },
    });
  }

  /**
   * Records an item that could not be read. Errors that doom every further request (bad token, cancel) stop the
   * stage at once; others are grouped by cause and reported once per cause at the end of the stage.
   */
  itemFailed(item: ItemInfo, err: unknown): void {
    const c = explainError(err);
    if (this.ctx.signal.aborted) throw new CancelledError();
    if (isRunFatal(c)) throw new StageFailure(this.stage, c);
    this.failed++;
    const k = `${c.category}\u0000${c.status ?? ''}\u0000${c.suggestion}\u0000${(c.path ?? '').replace(/\d+/g, 'N')}`;
    const g = this.failures.get(k);
    if (g) g.items.push({ item, classified: c });
    else this.failures.set(k, { items: [{ item, classified: c }] });
  }

  /** An item deliberately not read, or not readable for an ordinary reason (a stopped guest's agent). */
  itemSkipped(reason: string): void {
    this.skipped++;
    this.expectedSkips.set(reason, (this.expectedSkips.get(reason) ?? 0) + 1);
  }

  /**
   * The failure groups in a fixed order, each with its items sorted by name. Items fail in the order their answers
   * arrive, which depends on timing: naming causes and items (and quoting the first item's error) in name order
   * gives the same events and warnings for the same faults in every run.
   */
  private sortedFailures(): FailureGroup[] {
    const groups = [...this.failures].sort((a, b) => naturalCompare(a[0], b[0])).map(([, g]) => g);
    for (const g of groups) g.items.sort((a, b) => naturalCompare(a.item.name, b.item.name));
    return groups;
  }

  /** Emits one error_detail per failure cause; returns the warning lines. */
  flushFailures(): void {
    for (const g of this.sortedFailures()) {
      const first = g.items[0];
      const names = g.items.slice(0, 5).map((i) => i.item.name).join(', ') + (g.items.length > 5 ? `, … (${g.items.length} in all)` : '');
      const message = `${this.stage}: ${g.items.length} item(s) could not be read (${names}): ${first.classified.message}`;
      this.warnings.push(message);
      this.ctx.emitter.emit({
        event: 'error_detail',
        data: {
          event: 'error_detail', phase: this.stage, item: first.item, category: first.classified.category, message,
          detail: first.classified.detail, suggestion: first.classified.suggestion, occurrences: g.items.length,
        },
      });
    }
  }

  /** Ordinary skips (an agent not running, a node offline) by reason: information, not warnings. */
  skipSummary(): string {
    return [...this.expectedSkips].sort((a, b) => naturalCompare(a[0], b[0])).map(([reason, n]) => `${n} skipped: ${reason}`).join('; ');
  }

  /** A stage whose every item failed has learned nothing: that is a stage failure, not a warning. */
  assertNotAllFailed(): void {
    if (this.attempted > 0 && this.failed === this.attempted) {
      const c = this.sortedFailures()[0]?.items[0]?.classified ?? explainError(new Error('every item failed'));
      throw new StageFailure(this.stage, {
        ...c,
        message: `${this.stage}: none of the ${this.attempted} item(s) could be read: ${c.message}`,
      });
    }
  }
}

export function allCollections(): readonly CollectionName[] {
  return COLLECTIONS;
}
