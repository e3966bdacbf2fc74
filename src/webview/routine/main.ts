// The routine detail view (browser side): wiring only. Messages and clicks become actions, the reducer (state.ts)
// turns them into the next state and effects, effects become requests or setState, and view.ts renders the page
// model (present.ts). The saved state shows at once, so a re-shown panel has content before the extension answers.
import { localZone } from '../../core/text/time';
import { textSnapshot } from '../shared/dom';
import { keepPlace } from '../shared/keepPlace';
import { browserTickerEnv, startMinuteTicker } from '../shared/minuteTicker';
import { RpcClient, type ViewMessage } from '../shared/rpc';
import { vscodeApi } from '../shared/vscodeApi';
import { routinePage } from './present';
import type { RoutineRequests } from './protocol';
import { initialRoutineState, isRoutinePush, reduceRoutine, type RoutineAction, type RoutineEffect } from './state';
import { renderRoutine } from './view';

const vscode = vscodeApi<unknown>();
const post = (message: ViewMessage<RoutineRequests>) => vscode.postMessage(message);
const rpc = new RpcClient<RoutineRequests>(post);
const app = document.getElementById('app') as HTMLElement;
const zone = localZone();
let state = initialRoutineState(vscode.getState());

function dispatch(action: RoutineAction): void {
  const step = reduceRoutine(state, action);
  state = step.state;
  for (const effect of step.effects) run(effect);
  render();
}

function run(effect: RoutineEffect): void {
  switch (effect.kind) {
    case 'persist':
      vscode.setState(effect.state);
      return;
    case 'load':
      rpc.request('load', null).then(
        (s) => dispatch({ type: 'loaded', request: effect.request, state: s }),
        (e: Error) => dispatch({ type: 'loadFailed', request: effect.request, error: e.message }));
      return;
    case 'syncNow':
      // A sync of a large cluster takes minutes; it has its own progress and cancel in VS Code.
      rpc.request('syncNow', { endpointId: effect.endpointId }, 3_600_000).then(
        (result) => dispatch({ type: 'syncEnded', result }),
        (e: Error) => dispatch({ type: 'syncFailed', error: e.message }));
      return;
    case 'openCalendar':
      rpc.request('openCalendar', { endpointId: effect.endpointId }).catch((e: Error) => dispatch({ type: 'requestFailed', error: e.message }));
      return;
    case 'pickRoutine':
      // The quick pick waits for the user, who may take a while.
      rpc.request('pickRoutine', null, 3_600_000).catch((e: Error) => dispatch({ type: 'requestFailed', error: e.message }));
      return;
  }
}

function render(): void {
  // A push from a background sync redraws the page: the focused control and the scroll position stay.
  keepPlace(document, document.scrollingElement, () => renderRoutine(app, routinePage(state, Date.now() / 1000, zone), state, dispatch));
  post({ type: 'rendered', text: textSnapshot(app) });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (rpc.handleReply(event.data)) return;
  if (isRoutinePush(event.data)) dispatch({ type: 'push', message: event.data });
});

// "in 3 min" and "5 min ago" move on each minute while the panel is visible.
startMinuteTicker(render, browserTickerEnv(document, window));

render();
post({ type: 'ready' });
dispatch({ type: 'start' });
