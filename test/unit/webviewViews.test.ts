import { strict as assert } from 'node:assert';
import { buildCalendar, type CalendarRoutineInput } from '../../src/core/calendar';
import { buildRoutineDetail } from '../../src/ui/webviews/routineDetail';
import { dayStart } from '../../src/webview/calendar/dates';
import type { CalendarData } from '../../src/webview/calendar/protocol';
import { initialCalendarState, reduceCalendar, type CalendarAction, type CalendarState } from '../../src/webview/calendar/state';
import { renderCalendar } from '../../src/webview/calendar/view';
import { routinePage } from '../../src/webview/routine/present';
import type { RoutineViewState } from '../../src/webview/routine/protocol';
import { initialRoutineState, reduceRoutine, type RoutineAction, type RoutineUiState } from '../../src/webview/routine/state';
import { renderRoutine } from '../../src/webview/routine/view';
import { textSnapshot } from '../../src/webview/shared/dom';
import { FakeElement, useFakeDom } from './webviewFakeDom';
import { inventory, job, NOW, parse, XSS } from './webviewFixtures';

const ZONE = 'Europe/Berlin';
const TODAY = Date.UTC(2026, 10, 25, 11) / 1000; // Wednesday 25 Nov 2026, 12:00 in Berlin

function routine(i: number, extra: Partial<CalendarRoutineInput> = {}): CalendarRoutineInput {
  return { endpointId: 'pve1', endpointName: 'Lab', routineId: `job-${i}`, label: `job ${i}`, scheduleText: '02:30', timezone: ZONE, enabled: true, status: 'active', ...extra };
}

function calendar(view: 'month' | 'week', routines: CalendarRoutineInput[]): { state: CalendarState; data: CalendarData } {
  let s = initialCalendarState({ version: 1, view, anchor: '2026-11-25', endpointId: null, showDisabled: true }, ZONE, TODAY);
  s = reduceCalendar(s, { type: 'start' }).state;
  s = reduceCalendar(s, { type: 'contextLoaded', request: s.requests, viewNow: TODAY, context: { endpoints: [{ id: 'pve1', name: 'Lab', syncedAt: 1 }], now: TODAY } }).state;
  const from = view === 'month' ? dayStart('2026-10-26', ZONE) : dayStart('2026-11-23', ZONE);
  const to = view === 'month' ? dayStart('2026-12-07', ZONE) : dayStart('2026-11-30', ZONE);
  const data = buildCalendar(routines, { from, to, timeZone: ZONE, parse });
  return { state: reduceCalendar(s, { type: 'runsLoaded', request: s.requests, data }).state, data };
}

function renderCal(state: CalendarState): { app: FakeElement; actions: CalendarAction[] } {
  const app = new FakeElement('main');
  const actions: CalendarAction[] = [];
  renderCalendar(app as unknown as HTMLElement, state, TODAY, (a) => actions.push(a));
  return { app, actions };
}

describe('webview views in a DOM', () => {
  useFakeDom();

  describe('calendar', () => {
    it('renders the toolbar, today\'s cell and the legend the workbench tests look for', () => {
      const { app } = renderCal(calendar('month', [routine(1), routine(2)]).state);
      const title = app.find((e) => e.tagName === 'h1');
      assert.equal(title?.parent?.className, 'toolbar');
      assert.equal(title?.textContent, 'November 2026');
      for (const id of ['prev', 'today', 'next', 'view-month', 'view-week', 'endpoint', 'show-disabled']) assert.ok(app.byId(id), `#${id} is missing`);
      const today = app.byClass('today-mark');
      assert.equal(today.length, 1);
      assert.equal(today[0].parent?.parent?.getAttribute('data-date'), '2026-11-25');
      assert.equal(app.getAttribute('aria-busy'), 'false');
      assert.match(textSnapshot(app as unknown as HTMLElement), /\d+ runs of 2 backup job\(s\) in this month, times in Europe\/Berlin\./);
    });

    it('puts Proxmox text in as text: a comment full of markup creates no element', () => {
      const { app } = renderCal(calendar('month', [routine(1, { label: XSS })]).state);
      assert.ok(!app.find((e) => e.tagName === 'img'));
      const entry = app.byClass('run')[0];
      assert.ok(entry.textContent.endsWith(`${XSS} 02:30`), entry.textContent);
      assert.ok(textSnapshot(app as unknown as HTMLElement).includes(XSS));
    });

    it('shows each routine\'s badge chip, in its colour and pattern, on entries and in the legend alike', () => {
      const { state, data } = calendar('week', Array.from({ length: 30 }, (_, i) => routine(i)));
      const { app } = renderCal(state);
      const legend = app.byClass('legend-item');
      assert.equal(legend.length, 30);
      for (const r of data.routines) {
        const item = legend.find((e) => e.getAttribute('data-routine') === r.key);
        assert.ok(item, r.key);
        assert.equal(item.byClass('mark')[0].textContent, r.badge);
        assert.ok(item.classList.includes(`c${r.color}`) && item.classList.includes(`p${r.pattern}`));
        const entries = app.byClass('entry').filter((e) => !e.classList.includes('legend-item') && e.byClass('mark')[0]?.textContent === r.badge);
        assert.ok(entries.length >= 5, `${r.key} has ${entries.length} entries in the week`);
        for (const e of entries) assert.ok(e.classList.includes(`c${r.color}`) && e.classList.includes(`p${r.pattern}`));
      }
    });

    it('positions week entries from script, inside their day, side by side when they overlap', () => {
      const { app } = renderCal(calendar('week', [routine(1), routine(2)]).state);
      const columns = app.byClass('day');
      assert.equal(columns.length, 7);
      const wednesday = columns.find((c) => c.getAttribute('data-date') === '2026-11-25')!;
      const entries = wednesday.byClass('entry');
      assert.deepEqual(entries.map((e) => [e.style.top, e.style.left, e.style.width]), [['10.417%', '0.000%', '50.000%'], ['10.417%', '50.000%', '50.000%']]);
      assert.equal(wednesday.byClass('now-line')[0]?.style.top, '50.000%');
    });

    it('offers "Try again" after a failure, and sends the actions the reducer expects', () => {
      let { state } = calendar('month', [routine(1)]);
      state = reduceCalendar(state, { type: 'retry' }).state;
      state = reduceCalendar(state, { type: 'runsFailed', request: state.requests, error: 'The extension did not answer in 60 s.' }).state;
      const { app, actions } = renderCal(state);
      const alert = app.find((e) => e.getAttribute('role') === 'alert');
      assert.match(alert?.textContent ?? '', /^The runs could not be computed: The extension did not answer/);
      app.byId('retry')?.fire('click');
      app.byId('next')?.fire('click');
      const select = app.byId('endpoint')!;
      select.value = 'pve1';
      select.fire('change');
      app.byClass('legend-item')[0].fire('click');
      assert.deepEqual(actions, [
        { type: 'retry' },
        { type: 'step', direction: 1 },
        { type: 'navigate', change: { endpointId: 'pve1' }, focus: 'endpoint' },
        { type: 'openRoutine', endpointId: 'pve1', routineId: 'job-1' },
      ]);
    });

    it('says it waits for the extension before anything has come, and is busy', () => {
      const { app } = renderCal(initialCalendarState(undefined, ZONE, TODAY));
      assert.equal(app.getAttribute('aria-busy'), 'true');
      assert.match(textSnapshot(app as unknown as HTMLElement), /Waiting for the extension…/);
      assert.ok(!app.byId('retry'));
    });
  });

  describe('routine', () => {
    const detail = buildRoutineDetail(inventory([job()]), job(), parse, NOW);
    function render(ui: RoutineUiState): { app: FakeElement; actions: RoutineAction[] } {
      const app = new FakeElement('main');
      const actions: RoutineAction[] = [];
      renderRoutine(app as unknown as HTMLElement, routinePage(ui, NOW, ZONE), ui, (a) => actions.push(a));
      return { app, actions };
    }
    const loaded = (state: RoutineViewState) => {
      const s = reduceRoutine(initialRoutineState(undefined), { type: 'start' }).state;
      return reduceRoutine(s, { type: 'loaded', request: 1, state }).state;
    };

    it('renders the detail with its title, sections and next runs, and Proxmox text as text', () => {
      const { app } = render(loaded({ status: 'ready', endpointId: 'pve1', routineId: 'backup-daily', error: null, detail }));
      assert.equal(app.find((e) => e.tagName === 'h1')?.textContent, 'Backup job backup-daily on Lab cluster');
      const text = textSnapshot(app as unknown as HTMLElement);
      assert.match(text, /Next 10 runs \(Europe\/Berlin, your time\)/);
      assert.ok(text.includes(XSS));
      assert.ok(!app.find((e) => e.tagName === 'img'));
      assert.equal(app.byClass('comment')[0]?.textContent, XSS);
      assert.equal(app.find((e) => e.tagName === 'time')?.getAttribute('datetime'), new Date(detail.nextRuns[0] * 1000).toISOString());
      for (const id of ['sync-now', 'open-calendar']) assert.ok(app.byId(id), `#${id} is missing`);
    });

    it('shows an error with Sync now, the calendar and Try again', () => {
      const { app, actions } = render(loaded({ status: 'error', endpointId: 'pve1', routineId: 'gone', error: 'The backup job \'gone\' is not in the inventory.', detail: null }));
      assert.match(app.find((e) => e.getAttribute('role') === 'alert')?.textContent ?? '', /is not in the inventory/);
      app.byId('retry')?.fire('click');
      app.byId('sync-now')?.fire('click');
      app.byId('open-calendar')?.fire('click');
      assert.deepEqual(actions, [{ type: 'retry' }, { type: 'syncNow', endpointId: 'pve1' }, { type: 'openCalendar', endpointId: 'pve1' }]);
    });

    it('offers to choose a job when the panel does not know its own', () => {
      const { app, actions } = render(loaded({ status: 'no-target', endpointId: '', routineId: '', error: 'Choose a job to show here, or close the panel.', detail: null }));
      assert.match(textSnapshot(app as unknown as HTMLElement), /Choose a job to show here/);
      app.byId('pick-routine')?.fire('click');
      assert.deepEqual(actions, [{ type: 'pickRoutine' }]);
    });

    it('shows where Proxmox stops scheduling as a warning, its text as text', () => {
      const stop = { ...detail, scheduleStop: `Proxmox will not schedule this job again: ${XSS}` };
      const { app } = render(loaded({ status: 'ready', endpointId: 'pve1', routineId: 'backup-daily', error: null, detail: stop }));
      const warning = app.byClass('warning')[0];
      assert.equal(warning?.getAttribute('role'), 'alert');
      assert.equal(warning?.byClass('badge')[0]?.textContent, 'Proxmox stops scheduling');
      assert.equal(warning?.textContent, `Proxmox stops scheduling${stop.scheduleStop}`);
      assert.ok(!app.find((e) => e.tagName === 'img'));
      assert.equal(render(loaded({ status: 'ready', endpointId: 'pve1', routineId: 'backup-daily', error: null, detail })).app.byClass('warning').length, 0);
    });

    it('disables Sync now while a sync runs', () => {
      let ui = loaded({ status: 'ready', endpointId: 'pve1', routineId: 'backup-daily', error: null, detail });
      ui = reduceRoutine(ui, { type: 'syncNow', endpointId: 'pve1' }).state;
      const button = render(ui).app.byId('sync-now')!;
      assert.equal(button.disabled, true);
      assert.equal(button.textContent, 'Syncing…');
    });
  });
});
