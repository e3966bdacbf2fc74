// The table of verbs. Each verb lives in its own file under commands/.
import { Verb } from './io';
import { schedule } from './commands/schedule';
import { sim } from './commands/sim';
import { sync } from './commands/sync';
import { routines } from './commands/routines';
import { guests } from './commands/guests';
import { demo } from './commands/demo';
import { scheduleSync } from './commands/scheduleSync';
import { health } from './commands/health';
import { netboxSweep } from './commands/netboxSweep';
import { calendar } from './commands/calendar';
import { report } from './commands/report';
import { serve } from './commands/serve';

export const verbs: Record<string, Verb> = {
  schedule,
  sim,
  sync,
  routines,
  guests,
  health,
  demo,
  'schedule-sync': scheduleSync,
  'netbox-sweep': netboxSweep,
  calendar,
  report,
  serve,
};
