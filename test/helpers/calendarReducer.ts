// Runs actions through the calendar view's reducer, as its main.ts does, for tests of the view's state.
import { reduceCalendar, type CalendarAction, type CalendarEffect, type CalendarState } from '../../src/webview/calendar/state';

/** The state after `actions`, and every effect they asked for, in order. */
export function play(state: CalendarState, ...actions: CalendarAction[]): { state: CalendarState; effects: CalendarEffect[] } {
  const effects: CalendarEffect[] = [];
  for (const a of actions) {
    const step = reduceCalendar(state, a);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}
