import { strict as assert } from 'node:assert';
import { buildRoutineDetail } from '../../src/ui/webviews/routineDetail';
import { isRoutineDetail, persistRoutine, restoreRoutinePanel } from '../../src/webview/routine/persist';
import { detailModel, routinePage, type Block } from '../../src/webview/routine/present';
import type { RoutineViewState } from '../../src/webview/routine/protocol';
import { initialRoutineState, isRoutinePush, reduceRoutine, type RoutineAction, type RoutineEffect, type RoutineUiState } from '../../src/webview/routine/state';
import { inventory, job, NOW, parse, XSS } from './webviewFixtures';

const detail = buildRoutineDetail(inventory([job()]), job(), parse, NOW);
const ready: RoutineViewState = { status: 'ready', endpointId: 'pve1', routineId: 'backup-daily', error: null, detail };
const saved = { version: 1, endpointId: 'pve1', routineId: 'backup-daily', state: ready };

function play(state: RoutineUiState, ...actions: RoutineAction[]): { state: RoutineUiState; effects: RoutineEffect[] } {
  const effects: RoutineEffect[] = [];
  for (const a of actions) {
    const step = reduceRoutine(state, a);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}

const texts = (blocks: Block[]) => blocks.map((b) => ('text' in b ? b.text : b.kind === 'table' ? b.rows.map((r) => `${r.label}: ${r.value}`).join('\n') : b.kind));

describe('webview routine: saved state', () => {
  it('saves which routine it shows and the state shown, and reads both back', () => {
    const p = persistRoutine(ready);
    assert.deepEqual(p, saved);
    const r = restoreRoutinePanel(JSON.parse(JSON.stringify(p)));
    assert.deepEqual(r.target, { endpointId: 'pve1', routineId: 'backup-daily' });
    assert.deepEqual(r.cached, ready);
    assert.equal(r.problem, null);
  });

  it('restores a detail saved before it had scheduleStop, but not one with a wrong scheduleStop', () => {
    const old: Record<string, unknown> = { ...detail };
    delete old.scheduleStop;
    assert.deepEqual(restoreRoutinePanel({ ...saved, state: { ...ready, detail: old } }).cached?.detail, old);
    assert.equal(restoreRoutinePanel({ ...saved, state: { ...ready, detail: { ...detail, scheduleStop: 5 } } }).cached, null);
  });

  it('saves nothing for a panel that does not know its routine', () => {
    assert.equal(persistRoutine({ status: 'no-target', endpointId: '', routineId: '', error: 'x', detail: null }), null);
  });

  it('reads the target of a state saved before version 1, but not its \'loading\' state', () => {
    const r = restoreRoutinePanel({ endpointId: 'pve1', routineId: 'backup-daily', state: { status: 'loading', endpointId: 'pve1', routineId: 'backup-daily', error: null, detail: null } });
    assert.deepEqual(r.target, { endpointId: 'pve1', routineId: 'backup-daily' });
    assert.equal(r.cached, null);
  });

  it('uses a cached state only when it is whole and about the same routine', () => {
    const { selection: _selection, ...noSelection } = detail;
    for (const state of [
      { ...ready, detail: noSelection },
      { ...ready, detail: { ...detail, nextRuns: ['tomorrow'] } },
      { ...ready, routineId: 'other' },
      { ...ready, status: 'done' },
      'ready',
    ]) {
      const r = restoreRoutinePanel({ ...saved, state });
      assert.deepEqual(r.target, { endpointId: 'pve1', routineId: 'backup-daily' }, JSON.stringify(state).slice(0, 60));
      assert.equal(r.cached, null, JSON.stringify(state).slice(0, 60));
    }
    assert.ok(isRoutineDetail(detail));
  });

  it('says why a saved state names no routine', () => {
    assert.match(restoreRoutinePanel(undefined).problem ?? '', /nothing was saved/);
    assert.match(restoreRoutinePanel('pve1/backup').problem ?? '', /a string, not an object/);
    assert.match(restoreRoutinePanel([1]).problem ?? '', /a list/);
    for (const broken of [{}, { endpointId: 'pve1' }, { endpointId: '', routineId: 'x' }, { endpointId: 1, routineId: 2 }]) {
      const r = restoreRoutinePanel(broken);
      assert.equal(r.target, null, JSON.stringify(broken));
      assert.match(r.problem ?? '', /does not say which endpoint and backup job/);
    }
  });
});

describe('webview routine: state', () => {
  it('shows the saved state at once, marked as such, while it asks for the current one', () => {
    let { state, effects } = play(initialRoutineState(saved), { type: 'start' });
    assert.deepEqual(effects, [{ kind: 'load', request: 1 }]);
    let page = routinePage(state, NOW, 'UTC');
    assert.equal(page.kind, 'detail');
    assert.match(page.kind === 'detail' ? page.banner?.text ?? '' : '', /as it was when the panel was last open; asking for the current state/);
    ({ state, effects } = play(state, { type: 'loaded', request: 1, state: ready }));
    page = routinePage(state, NOW, 'UTC');
    assert.ok(page.kind === 'detail' && page.banner === null);
    assert.deepEqual(effects, [{ kind: 'persist', state: saved }]);
  });

  it('ends a failed first load in an error with a retry, and a failed refresh under the content it had', () => {
    let { state } = play(initialRoutineState(undefined), { type: 'start' });
    assert.deepEqual(routinePage(state, NOW, 'UTC'), { kind: 'loading', text: 'Loading the backup job…' });
    ({ state } = play(state, { type: 'loadFailed', request: 1, error: 'The extension did not answer \'load\' within 60 s.' }));
    const failed = routinePage(state, NOW, 'UTC');
    assert.equal(failed.kind, 'failed');
    assert.match(failed.kind === 'failed' ? failed.error : '', /^The backup job could not be loaded: The extension did not answer/);
    const retried = play(state, { type: 'retry' });
    assert.deepEqual(retried.effects, [{ kind: 'load', request: 2 }]);
    state = retried.state;
    ({ state } = play(state, { type: 'loaded', request: 2, state: ready }, { type: 'retry' }, { type: 'loadFailed', request: 3, error: 'gone' }));
    const page = routinePage(state, NOW, 'UTC');
    assert.ok(page.kind === 'detail', 'the content stays');
    assert.deepEqual(page.banner, { text: 'Could not refresh: gone', error: true, retry: true });
  });

  it('takes a pushed state over an answer still under way', () => {
    const changed: RoutineViewState = { ...ready, detail: { ...detail, enabled: false } };
    const { state } = play(initialRoutineState(undefined), { type: 'start' }, { type: 'push', message: { type: 'state', state: changed } }, { type: 'loaded', request: 1, state: ready });
    assert.equal(state.routine.value?.detail?.enabled, false);
  });

  it('runs one sync at a time and shows how it ended', () => {
    const first = play(initialRoutineState(saved), { type: 'syncNow', endpointId: 'pve1' }, { type: 'syncNow', endpointId: 'pve1' });
    let { state } = first;
    const { effects } = first;
    assert.deepEqual(effects, [{ kind: 'syncNow', endpointId: 'pve1' }]);
    assert.deepEqual(state.sync, { running: true, message: { text: 'Sync started.', error: false } });
    ({ state } = play(state, { type: 'syncEnded', result: { started: true, ok: false, message: 'Sync failed: 401.' } }));
    assert.deepEqual(state.sync, { running: false, message: { text: 'Sync failed: 401.', error: true } });
    ({ state } = play(state, { type: 'syncFailed', error: 'timeout' }));
    assert.equal(state.sync.message?.text, 'Sync failed: timeout');
  });

  it('shows a panel without a routine as a choice, not as a blank page', () => {
    const lost: RoutineViewState = { status: 'no-target', endpointId: '', routineId: '', error: 'Choose a job to show here.', detail: null };
    let { state, effects } = play(initialRoutineState({ nonsense: true }), { type: 'start' }, { type: 'loaded', request: 1, state: lost });
    assert.deepEqual(effects, [{ kind: 'load', request: 1 }], 'nothing saved for it');
    assert.deepEqual(routinePage(state, NOW, 'UTC'), { kind: 'no-target', title: 'Backup job', message: 'Choose a job to show here.' });
    ({ state, effects } = play(state, { type: 'pickRoutine' }));
    assert.deepEqual(effects, [{ kind: 'pickRoutine' }]);
  });

  it('accepts only well-formed pushes', () => {
    assert.ok(isRoutinePush({ type: 'state', state: ready }));
    for (const m of [null, { type: 'state' }, { type: 'state', state: { status: 'ready', endpointId: 'x', routineId: 'y', error: null, detail: {} } }, { type: 'reply', seq: 1 }]) {
      assert.equal(isRoutinePush(m), false, JSON.stringify(m));
    }
  });
});

describe('webview routine: page', () => {
  it('says everything about the routine, times in the viewer\'s zone, Proxmox text unchanged', () => {
    const m = detailModel(detail, NOW, 'Europe/Berlin');
    assert.equal(m.title, 'Backup job backup-daily');
    assert.equal(m.endpoint, ' on Lab cluster');
    assert.equal(m.comment, XSS);
    assert.deepEqual(m.sections.map((s) => s.title), ['Schedule', 'Next 10 runs (Europe/Berlin, your time)', 'Status', 'Target', 'Selection', 'Retention', 'Advanced options', 'Notes template', 'Raw configuration']);
    const schedule = texts(m.sections[0].blocks).join('\n');
    assert.match(schedule, /As written: mon\.\.fri 02:30\nNormalized: Mon\.\.Fri \*-\*-\* 02:30:00\nIn plain words: every weekday at 02:30 \(Europe\/Berlin, node time\)\nTime zone: Europe\/Berlin/);
    // The fixture's Proxmox next-run is an hour after the schedule's first run: the page says they differ.
    assert.match(schedule, /Next run: Proxmox reports Tue 24 Nov 2026, 03:30 Europe\/Berlin \(in 14 h 30 min\), but Proxbox computes Tue 24 Nov 2026, 02:30 Europe\/Berlin \(in 13 h 30 min\) from the schedule in Europe\/Berlin\. They differ/);
    const runs = m.sections[1].blocks[0];
    assert.ok(runs.kind === 'runs');
    assert.deepEqual(runs.runs[0], { iso: '2026-11-24T01:30:00.000Z', text: 'Tue 24 Nov 2026, 02:30', relative: 'in 13 h 30 min', title: 'Tue 24 Nov 2026, 02:30 Europe/Berlin' });
    const newYork = detailModel(detail, NOW, 'America/New_York').sections[1].blocks[0];
    assert.ok(newYork.kind === 'runs');
    assert.equal(newYork.runs[0].text, 'Mon 23 Nov 2026, 20:30', 'the zone given, not the machine\'s');
  });

  it('puts where Proxmox stops scheduling first in the Schedule section, as a warning', () => {
    const message = 'Proxmox will not schedule this job after Sat 2027-03-27 01:15 GMT: its calendar engine gives up at the daylight-saving change in Europe/Dublin';
    const m = detailModel({ ...detail, scheduleStop: message }, NOW, 'UTC');
    assert.deepEqual(m.sections[0].blocks[0], { kind: 'warning', label: 'Proxmox stops scheduling', text: message });
    assert.ok(!detailModel(detail, NOW, 'UTC').sections.some((s) => s.blocks.some((b) => b.kind === 'warning')));
  });

  it('explains what is missing instead of leaving a section empty', () => {
    const bare = job({ enabled: false, schedule: 'mon..frx 02:30', nextRun: null, keepLast: null, keepDaily: null, keepWeekly: null, notesTemplate: null, timezone: null });
    const m = detailModel(buildRoutineDetail(inventory([bare]), bare, parse, NOW), NOW, 'UTC');
    const all = m.sections.flatMap((s) => texts(s.blocks)).join('\n');
    assert.match(all, /frx.*Fix the job's schedule in Proxmox/);
    assert.match(all, /Next run: none \(disabled\)/);
    assert.match(all, /UTC \(assumed: the node's time zone is not known yet\)/);
    assert.match(all, /The job is disabled: these are the times it would run if enabled\./);
    assert.match(all, /No runs: the schedule cannot be read\./);
    assert.match(all, /The job sets no retention: the storage's prune settings apply\./);
    assert.deepEqual(m.badges.map((b) => b.text), ['disabled — will not run', 'active']);
  });

  it('lists the guests, naming the ones the inventory does not know', () => {
    const m = detailModel(detail, NOW, 'UTC');
    const guests = m.sections[4].blocks.find((b) => b.kind === 'guests');
    assert.ok(guests && guests.kind === 'guests');
    assert.deepEqual(guests.guests.map((g) => [g.vmid, g.name, g.type, g.missing]), [['100', 'web', 'VM', false], ['101', 'db', 'Container', false], ['999', 'not in the inventory', '', true]]);
  });
});
