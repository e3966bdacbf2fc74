// The backup calendar (browser side): wiring only. Messages and clicks become actions, the reducer (state.ts) turns
// them into the next state and effects, effects become requests or setState, and view.ts renders the state.
import { localZone } from '../../core/text/time';
import { textSnapshot } from '../shared/dom';
import { RpcClient, type ViewMessage } from '../shared/rpc';
import { vscodeApi } from '../shared/vscodeApi';
import type { CalendarRequests } from './protocol';
import { initialCalendarState, isCalendarPush, keyAction, reduceCalendar, type CalendarAction, type CalendarEffect } from './state';
import { renderCalendar } from './view';

const vscode = vscodeApi<unknown>();
const post = (message: ViewMessage<CalendarRequests>) => vscode.postMessage(message);
const rpc = new RpcClient<CalendarRequests>(post);
const app = document.getElementById('app') as HTMLElement;
const clock = () => Date.now() / 1000;
let state = initialCalendarState(vscode.getState(), localZone(), clock());

function dispatch(action: CalendarAction): void {
  const step = reduceCalendar(state, action);
  state = step.state;
  let focus: string | undefined;
  for (const effect of step.effects) {
    if (effect.kind === 'focus') focus = effect.id;
    else run(effect);
  }
  render(focus);
}

function run(effect: Exclude<CalendarEffect, { kind: 'focus' }>): void {
  switch (effect.kind) {
    case 'persist':
      vscode.setState(effect.state);
      return;
    case 'fetchContext':
      rpc.request('context', null).then(
        (context) => dispatch({ type: 'contextLoaded', request: effect.request, context, viewNow: clock() }),
        (e: Error) => dispatch({ type: 'contextFailed', request: effect.request, error: e.message }));
      return;
    case 'fetchRuns':
      rpc.request('occurrences', effect.params).then(
        (data) => dispatch({ type: 'runsLoaded', request: effect.request, data }),
        (e: Error) => dispatch({ type: 'runsFailed', request: effect.request, error: e.message }));
      return;
    case 'openRoutine':
      rpc.request('openRoutine', effect.params).catch((e: Error) => dispatch({ type: 'openFailed', error: e.message }));
      return;
    case 'fetchRunDetail':
      rpc.request('runDetail', effect.params).then(
        (detail) => dispatch({ type: 'runDetailLoaded', request: effect.request, detail }),
        (e: Error) => dispatch({ type: 'runDetailFailed', request: effect.request, error: e.message }));
      return;
  }
}

/** A run that had the focus but was missing from a redraw (a refresh under way, a sync that rewrote the job): the
 * focus waits on its day and goes back to the run when a later redraw brings it back, unless the user moved on. */
let lostFocus: { id: string; fallback: string } | null = null;

function render(focus?: string): void {
  // A render replaces the page. The focus goes where the action sent it; otherwise it stays on the element the user
  // was on, found again by its id (ids are stable keys: a run's routine badge and time, a day's date), and the page
  // keeps its scroll position: a background sync redraws without the user noticing.
  const active = document.activeElement && document.activeElement !== document.body ? document.activeElement : null;
  const activeId = active?.id ?? '';
  const activeDay = active?.closest<HTMLElement>('[data-date]')?.dataset.date;
  const scroller = document.scrollingElement ?? document.documentElement;
  const scroll = { top: scroller.scrollTop, left: scroller.scrollLeft };
  renderCalendar(app, state, clock(), dispatch);
  if (focus) {
    lostFocus = null;
    document.getElementById(focus)?.focus();
  } else {
    scroller.scrollTop = scroll.top;
    scroller.scrollLeft = scroll.left;
    // The element the user was on gets the focus back only when the page has the keyboard: a background redraw
    // must never pull it from the command palette or an editor (see keepPlace.ts).
    if (!document.hasFocus()) {
      if (state.runs.status !== 'loading' && state.context.status !== 'loading') post({ type: 'rendered', text: textSnapshot(app) });
      return;
    }
    if (lostFocus && activeId !== lostFocus.fallback) lostFocus = null; // the user moved on
    const wanted = lostFocus?.id ?? activeId;
    const again = wanted ? document.getElementById(wanted) : null;
    if (again) {
      lostFocus = null;
      again.focus({ preventScroll: true });
    } else if (wanted && activeDay) {
      // Gone from this redraw: its day holds the focus meanwhile, never the page.
      const day = document.getElementById(`day-${activeDay}`);
      day?.focus({ preventScroll: true });
      lostFocus = day ? { id: wanted, fallback: day.id } : null;
    }
  }
  if (state.runs.status !== 'loading' && state.context.status !== 'loading') post({ type: 'rendered', text: textSnapshot(app) });
}

// "Export .ics" (view.ts) saves the range on screen: the host builds the file from the same runs and asks where.
app.addEventListener('click', (ev) => {
  if (!(ev.target instanceof Element) || !ev.target.closest('#export-ics')) return;
  const shown = state.runs.value;
  if (!shown) return;
  rpc.request('exportIcs', { from: shown.from, to: shown.to, timeZone: shown.timeZone, endpointId: state.nav.endpointId })
    .catch((e: Error) => dispatch({ type: 'openFailed', error: `The export failed: ${e.message}` }));
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (rpc.handleReply(event.data)) return;
  if (!isCalendarPush(event.data)) return;
  // Counted where a test (and a curious developer) can see that a background push redrew the page.
  document.body.dataset.pushes = String(Number(document.body.dataset.pushes ?? 0) + 1);
  dispatch({ type: 'push', message: event.data, viewNow: clock() });
});

document.addEventListener('keydown', (ev) => {
  // Plain Tab reaches every control; the keys handled here are in keyAction (state.ts).
  const action = keyAction(state, ev.key);
  if (!action) return;
  ev.preventDefault();
  dispatch(action);
});

render();
post({ type: 'ready' });
dispatch({ type: 'start' });
