// What the routine panel does, without vscode (routinePanel.ts adapts it to a WebviewPanel), so it is unit-tested:
// which routine the panel shows, including after a window reload (restoredRoutineController reads the state VS Code
// saved, and a state it cannot read gives a panel that offers to choose a job instead of a blank one), how that
// routine is loaded from the inventory, and the requests the view makes.
import type { SyncResult } from '../commands/sync';
import type { Handlers } from '../../webview/shared/rpc';
import { restoreRoutinePanel, type RoutineTarget } from '../../webview/routine/persist';
import type { RoutineRequests, RoutineViewState, TimesZone } from '../../webview/routine/protocol';
import { syncOutcome } from './commandArgs';
import { buildRoutineDetail } from './routineDetail';
import type { WebviewServices } from './services';

/** What the panel asks of the rest of the extension (commands, in the real one). */
export interface RoutineActions {
  /** Runs a sync of the endpoint; resolves with the finished run, or undefined when none started. */
  syncEndpoint(endpointId: string): Promise<SyncResult | undefined>;
  openCalendar(endpointId: string): Promise<unknown>;
  /** Lets the user choose a backup job; undefined when they cancel. */
  pickRoutine(): Promise<RoutineTarget | undefined>;
  /** The setting `proxbox.times.zone`, read on each load (the panel reloads when it changes); 'local' when absent. */
  timesZone?(): TimesZone;
}

export class RoutineController {
  readonly handlers: Handlers<RoutineRequests>;

  /**
   * @param target the routine shown, or null when a restored panel cannot tell (see `problem`).
   * @param onRetarget called when the user chose a job for a panel that had none; the panel re-keys itself.
   */
  constructor(
    private readonly services: WebviewServices,
    private current: RoutineTarget | null,
    private readonly actions: RoutineActions,
    private readonly problem: string | null = null,
    private readonly onRetarget?: (target: RoutineTarget) => void,
  ) {
    this.handlers = {
      load: () => this.load(),
      syncNow: async ({ endpointId }) => syncOutcome(await actions.syncEndpoint(endpointId)),
      openCalendar: async ({ endpointId }) => {
        await actions.openCalendar(endpointId);
        return null;
      },
      pickRoutine: async () => {
        const chosen = await actions.pickRoutine();
        if (chosen) {
          this.current = chosen;
          this.onRetarget?.(chosen);
        }
        return null;
      },
    };
  }

  get target(): RoutineTarget | null {
    return this.current;
  }

  /** Whether a change of this endpoint's inventory changes what the panel shows. */
  showsEndpoint(endpointId: string): boolean {
    return this.current?.endpointId === endpointId;
  }

  /** The routine as the inventory has it now; never throws: a failure is an error state that says what to do. */
  async load(): Promise<RoutineViewState> {
    const state = await this.read();
    return { ...state, timesZone: this.actions.timesZone?.() ?? 'local' };
  }

  private async read(): Promise<RoutineViewState> {
    const target = this.current;
    if (!target) {
      return {
        status: 'no-target', endpointId: '', routineId: '', detail: null,
        error: `This panel was reopened after a reload, but it cannot tell which backup job it showed (${this.problem ?? 'its saved state is missing'}). Choose a job to show here, or close the panel.`,
      };
    }
    const base = { endpointId: target.endpointId, routineId: target.routineId };
    try {
      const endpoint = this.services.listEndpoints().find((e) => e.id === target.endpointId);
      if (!endpoint) {
        return { ...base, status: 'error', detail: null, error: `The endpoint '${target.endpointId}' is no longer configured. Add it again (Proxbox: Add Endpoint) or close this panel.` };
      }
      const inventory = await this.services.loadInventory(target.endpointId);
      if (!inventory) {
        return { ...base, status: 'error', detail: null, error: `${endpoint.name} has not been synced yet. Use "Sync now" to read its backup jobs.` };
      }
      const routine = inventory.backupRoutines.find((r) => r.jobId === target.routineId);
      if (!routine) {
        return { ...base, status: 'error', detail: null, error: `The backup job '${target.routineId}' is not in the inventory of ${endpoint.name}. It may have been deleted in Proxmox; sync the endpoint to update the list.` };
      }
      const now = this.services.now();
      const detail = buildRoutineDetail(inventory, routine, this.services.parseSchedule, now);
      return { ...base, status: 'ready', error: null, detail };
    } catch (e) {
      return { ...base, status: 'error', detail: null, error: `Could not read the inventory: ${e instanceof Error ? e.message : String(e)}. Sync the endpoint again; if this persists, see the Proxbox log.` };
    }
  }
}

/** The controller of a panel VS Code brings back after a window reload, from the state the view saved. */
export function restoredRoutineController(
  services: WebviewServices,
  saved: unknown,
  actions: RoutineActions,
  onRetarget?: (target: RoutineTarget) => void,
): RoutineController {
  const restored = restoreRoutinePanel(saved);
  if (!restored.target) services.log(`webview routine: a restored panel's saved state is unreadable (${restored.problem}); it offers to choose a job`);
  return new RoutineController(services, restored.target, actions, restored.problem, onRetarget);
}

/**
 * "backup-e8126dee-e977" → "e8126dee": Proxmox's generated job ids carry a random tail that tells a person nothing;
 * ids a person chose ("weekly") stay whole.
 */
export function shortRoutineId(id: string): string {
  return /^backup-([0-9a-f]{8})-[0-9a-f]{4}$/i.exec(id)?.[1] ?? id;
}

/**
 * The panel's title, in the names users gave (issue 11, item 8): the job's comment or "Backup job <short id>", the
 * endpoint's name once the detail is loaded, and whether the job is stale or disabled.
 */
export function routineTitle(state: RoutineViewState | null, target: RoutineTarget | null): string {
  if (!target) return 'Backup job';
  const d = state?.detail;
  const flag = d?.status === 'stale' ? ' (stale)' : d?.enabled === false ? ' (disabled)' : '';
  const name = d?.comment.trim().split('\n')[0]?.trim() || `Backup job ${shortRoutineId(target.routineId)}`;
  return `${name}${d ? ` · ${d.endpointName}` : ''}${flag}`;
}
