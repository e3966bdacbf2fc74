// The backup calendar: which runs fall on which local day (occurrences), dense runs as bands, and how routines are
// told apart (identity). Imported by the webview host, the CLI and the benchmarks; the browser side mirrors the
// data types in src/webview/calendar/protocol.ts.
export {
  buildCalendar, checkCalendarRange, CalendarRangeError, CALENDAR_MAX_RANGE_SECONDS,
  type CalendarData, type CalendarDay, type CalendarOptions, type CalendarRoutine, type CalendarRoutineInput,
  type OccurrenceSource, type ParseSchedule,
} from './occurrences';
export { CALENDAR_KINDS, isCalendarKind, type CalendarKind } from './kinds';
export { findOverlaps, MAX_OVERLAPS, type CalendarOverlap, type CalendarResource, type OverlapRun } from './overlaps';
export { readCustomEntries, readCustomEntry, CUSTOM_ENTRY_KEYS, type CustomEntry } from './custom';
export { fastCronBetween } from './cronRuns';
export { collapseRuns, entryStart, type CalendarEntry } from './bands';
export { localDateKeyer, localDayFinder, type LocalDay } from './localDays';
export {
  CALENDAR_OUTCOMES, OUTCOME_SEVERITY, outcomeAt, runDetail, summarizeRuns, worseOutcome,
  type CalendarOutcome, type RunDetail, type RunDetailFailure, type RunDetailNode, type RunSummary,
} from './outcomes';
export {
  assignIdentities, badgeLetters, compareRoutines, routineKey, CALENDAR_PALETTE_SIZE, CALENDAR_PATTERN_COUNT,
  type RoutineIdentity, type RoutineRef,
} from './identity';
export { calendarSources, CUSTOM_ENDPOINT_ID, CUSTOM_ENDPOINT_NAME, PBS_ZONE_WORDS, type CalendarInventory } from './sources';
