// The schedule engine: the only module other parts of Proxbox import.
export { ScheduleError } from './errors';
export { parseSchedule, MAX_SCHEDULE_LENGTH } from './schedule';
export type { Schedule, ScheduleKind } from './schedule';
export { isValidTimeZone, localTimeZone, zoneOffsetAt, epochFromWallTime, isRepeatedWallTime } from './timeZone';
export { parseCalendarEvent } from './calendarParser';
export type { CalendarEvent, DateTimeValue } from './calendarEvent';
export { parseInstant } from './instant';
export { proxmoxGivesUp } from './proxmoxStops';
export type { ScheduleStop } from './proxmoxStops';
