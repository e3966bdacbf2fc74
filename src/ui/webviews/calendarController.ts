// What the calendar panel does, without vscode (calendarPanel.ts adapts it to a WebviewPanel), so it is unit-tested:
// the context the view starts from, the runs of the range it shows (computed from the stored inventories with the
// schedule engine), and opening a job.
import {
  buildCalendar, compareRoutines, CUSTOM_ENDPOINT_ID, readCustomEntries, routineKey, runDetail, type CalendarRoutineInput, type CustomEntry,
} from '../../core/calendar';
import { parseSchedule } from '../../core/schedule';
import type { RoutineRun } from '../../core/health/types';
import { calendarToIcs } from '../../core/export/ics';
import type { Handlers } from '../../webview/shared/rpc';
import { restoreCalendarNav } from '../../webview/calendar/persist';
import type { CalendarContext, CalendarRequests } from '../../webview/calendar/protocol';
import { calendarRoutines } from './calendarInputs';
import type { WebviewServices } from './services';
import { isoToEpoch, type InventoryInput } from './viewInputs';

export interface CalendarActions {
  openRoutine(endpointId: string, routineId: string): Promise<unknown>;
  /** Asks where to save and writes the file; resolves to where, or null when the user cancelled. */
  saveExport?(fileName: string, content: string, filters: Record<string, string[]>): Promise<string | null>;
}

export class CalendarController {
  readonly handlers: Handlers<CalendarRequests>;

  /** `zoneMode` reads the setting proxbox.times.zone on every context, so a changed setting shows at the next push. */
  constructor(private readonly services: WebviewServices, actions: CalendarActions, private readonly zoneMode: () => 'local' | 'node' = () => 'local') {
    this.handlers = {
      context: () => this.context(),
      occurrences: async ({ from, to, timeZone, endpointId }) => {
        const all = await this.routines(endpointId);
        // Identities over every endpoint's routines: filtering to one endpoint must not recolour its jobs. Custom
        // entries belong to no endpoint and show under every filter (the kind filter hides them).
        const shown = endpointId === null ? all : all.filter((r) => r.endpointId === endpointId || r.endpointId === CUSTOM_ENDPOINT_ID);
        // Past runs show what backup health recorded; a routine it has no report for shows its past runs as unknown.
        const outcomes = new Map<string, readonly RoutineRun[]>();
        for (const r of shown) {
          const runs = services.routineRuns(r.endpointId, r.routineId);
          if (runs) outcomes.set(routineKey(r.endpointId, r.routineId), runs);
        }
        return buildCalendar(shown, {
          from, to, timeZone, parse: services.parseSchedule, parseCron: (text) => parseSchedule(text, 'cron'), identityOver: all,
          now: services.now(), outcomes, overlapWindowSeconds: this.overlapWindowSeconds(),
        });
      },
      runDetail: async ({ endpointId, routineId, at }) => {
        const inventory = await services.loadInventory(endpointId).catch(() => undefined);
        const names = new Map((inventory?.guests ?? []).map((g) => [g.vmid, g.name]));
        return runDetail({ endpointId, routineId, at }, services.routineRuns(endpointId, routineId), (vmid) => names.get(vmid));
      },
      openRoutine: async ({ endpointId, routineId }) => {
        await actions.openRoutine(endpointId, routineId);
        return null;
      },
      // The same runs the view shows (the occurrences handler), as iCalendar.
      exportIcs: async (params) => {
        if (!actions.saveExport) throw new Error('saving files is not available here.');
        const data = await this.handlers.occurrences(params);
        const day = new Date(params.from * 1000).toISOString().slice(0, 10);
        const saved = await actions.saveExport(`proxbox-backups-${day}.ics`, calendarToIcs(data, { now: services.now() }), { iCalendar: ['ics'] });
        return { saved };
      },
    };
  }

  async context(): Promise<CalendarContext> {
    const endpoints = await Promise.all(this.services.listEndpoints().map(async (e) => {
      const inventory = await this.services.loadInventory(e.id).catch(() => undefined);
      return { id: e.id, name: e.name, syncedAt: isoToEpoch(inventory?.syncedAt) };
    }));
    const zones = (await this.routines(null).catch(() => [])).sort(compareRoutines)
      // Node time is the PVE nodes' clock: PBS jobs (their server's zone) and custom entries (their own) do not decide it.
      .filter((r) => (r.kind ?? 'backup') === 'backup' || r.kind === 'replication')
      .map((r) => r.timezone).filter((z): z is string => !!z);
    // One page has one clock: "node time" only when every job's node is in the same zone (else this computer's).
    const nodeZone = new Set(zones).size === 1 ? zones[0]! : null;
    return { endpoints, now: this.services.now(), zoneMode: this.zoneMode(), nodeZone, problems: this.customEntries().errors };
  }

  /** The setting, already checked and clamped by the settings table (src/ui/settings.ts); without settings, the
   * calendar's own default. */
  private overlapWindowSeconds(): number | undefined {
    const minutes = this.services.calendarSettings?.().overlapWindowMinutes;
    return minutes === undefined ? undefined : Math.round(minutes * 60);
  }

  /** The setting's entries (checked here, errors to the view) and the policy file's (checked by its parser). */
  private customEntries(): { entries: CustomEntry[]; errors: string[] } {
    const s = this.services.calendarSettings?.();
    const fromSetting = readCustomEntries(s?.customEntries, 'setting', 'proxbox.calendar.customEntries');
    return { entries: [...fromSetting.entries, ...(s?.policyEntries ?? [])], errors: fromSetting.errors };
  }

  private async routines(endpointId: string | null): Promise<CalendarRoutineInput[]> {
    const endpoints = this.services.listEndpoints();
    if (endpointId !== null && !endpoints.some((e) => e.id === endpointId)) {
      throw new Error(`The endpoint '${endpointId}' is no longer configured; choose "All endpoints" in the filter.`);
    }
    const loaded = await Promise.all(endpoints.map((e) => this.services.loadInventory(e.id).catch((err: unknown) => {
      // Another endpoint's inventory only lends its routines to the identities: not reading it must not fail this one.
      if (endpointId === null || e.id === endpointId) throw err;
      this.services.log(`webview calendar: the inventory of ${e.id} could not be read (${err instanceof Error ? err.message : String(err)}); its jobs are left out of the colours`);
      return undefined;
    })));
    return calendarRoutines(loaded.filter((i): i is InventoryInput => i !== undefined), null, this.customEntries().entries);
  }
}

/** After a window reload the view restores its own navigation (getState); the host only notes a state it had to
 * repair, so the log explains why the calendar did not open where the user left it. */
export function noteRestoredCalendar(services: WebviewServices, saved: unknown): void {
  const restored = restoreCalendarNav(saved);
  if (restored.how === 'repaired') services.log(`webview calendar: restored with defaults for unreadable saved settings (${restored.problems.join('; ')})`);
}
