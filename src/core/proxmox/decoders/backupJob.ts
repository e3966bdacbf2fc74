import type { BackupJob } from '../types';
import { parseFleecing } from '../parsers/fleecing';
import { parsePerformance } from '../parsers/performance';
import { parsePruneBackups } from '../parsers/pruneBackups';
import { parseVmidList } from '../parsers/vmidList';
import { arrayOf, bool, DecodeError, type Decoder, int, opt, optText, parsed, rawOf, record, req, rowsOf, str } from './primitives';

/** The compound job options come as objects (values as strings) and, from older or unusual servers, as strings. */
function compound<T>(parse: (value: string | Record<string, unknown>) => T): Decoder<T> {
  return (v, at) => {
    if (typeof v !== 'string' && (typeof v !== 'object' || v === null || Array.isArray(v))) {
      throw new DecodeError(at, 'expected an object or a property string');
    }
    try {
      return parse(v as string | Record<string, unknown>);
    } catch (e) {
      throw new DecodeError(at, e instanceof Error ? e.message : String(e));
    }
  };
}

const vmidList = parsed(parseVmidList);

/** `exclude-path` is an array, but a single path may come as a plain string. */
const pathList: Decoder<string[]> = (v, at) => (typeof v === 'string' ? [v] : arrayOf(str)(v, at));

export const decodeBackupJob: Decoder<BackupJob> = (v, at) => {
  const o = record(v, at);
  return {
    id: req(o, 'id', str, at),
    type: opt(o, 'type', str, at),
    schedule: optText(o, 'schedule', at),
    enabled: opt(o, 'enabled', bool, at) ?? true,
    nextRun: opt(o, 'next-run', int, at),
    comment: opt(o, 'comment', str, at),
    node: optText(o, 'node', at),
    all: opt(o, 'all', bool, at) ?? false,
    vmids: opt(o, 'vmid', vmidList, at) ?? [],
    pool: optText(o, 'pool', at),
    exclude: opt(o, 'exclude', vmidList, at) ?? [],
    excludePath: opt(o, 'exclude-path', pathList, at) ?? [],
    mode: opt(o, 'mode', str, at),
    compress: opt(o, 'compress', str, at),
    storage: optText(o, 'storage', at),
    notesTemplate: opt(o, 'notes-template', str, at),
    protected: opt(o, 'protected', bool, at),
    remove: opt(o, 'remove', bool, at),
    repeatMissed: opt(o, 'repeat-missed', bool, at) ?? false,
    pruneBackups: opt(o, 'prune-backups', compound(parsePruneBackups), at),
    maxfiles: opt(o, 'maxfiles', int, at),
    fleecing: opt(o, 'fleecing', compound(parseFleecing), at),
    performance: opt(o, 'performance', compound(parsePerformance), at),
    bwlimit: opt(o, 'bwlimit', int, at),
    mailto: opt(o, 'mailto', str, at),
    mailnotification: opt(o, 'mailnotification', str, at),
    notificationMode: opt(o, 'notification-mode', str, at),
    pbsChangeDetectionMode: opt(o, 'pbs-change-detection-mode', str, at),
    raw: rawOf(o, at),
  };
};
export const decodeBackupJobs = rowsOf(decodeBackupJob);
