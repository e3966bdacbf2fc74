// The Backup Health view (browser side): wiring only. Messages, clicks, keys and scrolls become actions, the reducer
// (state.ts) turns them into the next state and effects, effects become requests or setState, and view.ts renders.
// A scroll redraws only the table's rows; any other change redraws the page and then puts back what the user had:
// the focused control and the table's scroll position (a background sync must not move the user).
import { localZone } from '../../core/text/time';
import { textSnapshot } from '../shared/dom';
import { keepScroll } from '../shared/keepPlace';
import { browserTickerEnv, startMinuteTicker } from '../shared/minuteTicker';
import { RpcClient, type ViewMessage } from '../shared/rpc';
import { vscodeApi } from '../shared/vscodeApi';
import type { HealthRequests } from './protocol';
import { initialHealthState, isHealthPush, reduceHealth, type HealthAction, type HealthEffect } from './state';
import { redrawHealth, type HealthRender } from './view';
import { ROW_HEIGHT } from './virtual';

const vscode = vscodeApi<unknown>();
const post = (message: ViewMessage<HealthRequests>) => vscode.postMessage(message);
const rpc = new RpcClient<HealthRequests>(post);
const app = document.getElementById('app') as HTMLElement;
const clock = () => Date.now() / 1000;
let state = initialHealthState(vscode.getState(), localZone());
let drawn: HealthRender | undefined;

function dispatch(action: HealthAction): void {
  const step = reduceHealth(state, action);
  const changed = step.state !== state;
  state = step.state;
  let focus: string | undefined;
  for (const effect of step.effects) {
    if (effect.kind === 'focus') focus = effect.id;
    else run(effect);
  }
  if (action.type === 'scroll') {
    if (changed) drawn?.updateRows(state, clock());
    return;
  }
  render(focus);
}

function run(effect: Exclude<HealthEffect, { kind: 'focus' }>): void {
  switch (effect.kind) {
    case 'persist':
      vscode.setState(effect.state);
      return;
    case 'load':
      rpc.request('load', null).then(
        (data) => dispatch({ type: 'loaded', request: effect.request, data, viewNow: clock() }),
        (e: Error) => dispatch({ type: 'loadFailed', request: effect.request, error: e.message }));
      return;
    case 'openRoutine':
      rpc.request('openRoutine', { endpointId: effect.endpointId, routineId: effect.routineId })
        .catch((e: Error) => dispatch({ type: 'requestFailed', error: `The backup job could not be opened: ${e.message}` }));
      return;
    case 'syncAll':
      rpc.request('syncAll', null).catch((e: Error) => dispatch({ type: 'requestFailed', error: `The sync could not start: ${e.message}` }));
      return;
  }
}

function render(focus?: string): void {
  // The page's own scroll too: emptied for a moment by the redraw, it would jump to the top.
  drawn = keepScroll(document.scrollingElement, () => redrawHealth(app, document, state, clock(), dispatch, focus));
  measure();
  if (state.data.status !== 'loading') post({ type: 'rendered', text: textSnapshot(app) });
}

/** The grid's viewport, once laid out: the virtual window needs its height. */
function measure(): void {
  const grid = drawn?.grid;
  if (!grid) return;
  const height = Math.max(0, grid.clientHeight - ROW_HEIGHT);
  if (height !== state.scroll.height) dispatch({ type: 'scroll', top: grid.scrollTop, height });
}

// "Export CSV" (view.ts) saves the guests of the endpoint filter: the host writes the file and asks where.
app.addEventListener('click', (ev) => {
  if (!(ev.target instanceof Element) || !ev.target.closest('#export-csv')) return;
  rpc.request('exportCsv', { endpointId: state.filter.endpointId })
    .catch((e: Error) => dispatch({ type: 'requestFailed', error: `The export failed: ${e.message}` }));
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (rpc.handleReply(event.data)) return;
  if (isHealthPush(event.data)) dispatch({ type: 'push', message: event.data, viewNow: clock() });
});
window.addEventListener('resize', () => measure());

// Relative ages ("31 min ago") move on each minute while the panel is visible, and at once when it is shown again;
// a hidden page is not redrawn.
startMinuteTicker(() => {
  if (state.data.value) render();
}, browserTickerEnv(document, window));

render();
post({ type: 'ready' });
dispatch({ type: 'start' });
