import { strict as assert } from 'node:assert';
import type * as Core from '../../src/core/calendar';
import type * as Health from '../../src/core/health/types';
import type * as View from '../../src/webview/calendar/protocol';

// The calendar's protocol.ts may import nothing, so it repeats the core's data types. These checks fail to compile
// (tsc --noEmit, run before every commit) the moment the two differ in any field, in either direction.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;

const checks: {
  routine: Same<Core.CalendarRoutine, View.CalendarRoutine>;
  entry: Same<Core.CalendarEntry, View.CalendarEntry>;
  day: Same<Core.CalendarDay, View.CalendarDay>;
  data: Same<Core.CalendarData, View.CalendarData>;
  outcome: Same<Health.RunOutcome, View.RunOutcome>;
  detail: Same<Core.RunDetail, View.RunDetail>;
} = { routine: true, entry: true, day: true, data: true, outcome: true, detail: true };

describe('webview calendar protocol', () => {
  it('mirrors the core calendar\'s data types exactly', () => {
    assert.deepEqual(Object.values(checks), [true, true, true, true, true, true]);
  });
});
