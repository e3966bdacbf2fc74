// Reads a vzdump task's log (GET /nodes/{node}/tasks/{upid}/log) into what backup health needs: the job's selection
// from the first line, and per guest whether it started, finished or failed (with Proxmox's own words). The line
// formats are those pve-manager's PVE/VZDump.pm writes; anything else is ignored, so logs of other PVE versions,
// hook-script output and CRLF line ends never break it, and it never throws (a log is untrusted server text).
//
// Note on `--job-id`: the scheduler passes `job-id` to vzdump (pve-manager PVE/Jobs/VZDump.pm), but
// PVE::VZDump::Common::command_line leaves it out of the printed command line, so real logs do not show it. It is
// still read when present (a future PVE, or a hand-written `vzdump --job-id`), and callers must match by node, start
// time, storage and selection when it is absent.
import type { VzdumpLogSummary } from '../inventory/model';

/** Lines kept per failed guest: enough for the cause, bounded whatever the log holds. */
const MAX_GUEST_LINES = 50;
const MAX_REASON = 2000;

const FIRST_LINE = /^INFO: starting new backup job: vzdump(?:\s+(.*))?$/;
const STARTING = /^INFO: Starting Backup of VM (\d+) \((?:qemu|lxc|[\w-]+)\)/;
const FINISHED = /^INFO: Finished Backup of VM (\d+) \(/;
const GUEST_FAILED = /^ERROR: Backup of VM (\d+) failed - (.*)$/;
/** `storage 'nas'` in an error text; storage ids are letters, digits, `-`, `_` and `.`. */
const STORAGE_IN_ERROR = /storage '([A-Za-z][A-Za-z0-9_.-]*)'/;
const ERROR_LINE = /^ERROR: (.*)$/;
const TASK_ERROR = /^TASK ERROR: (.*)$/;

/** Splits a shell-quoted argument string as String::ShellQuote writes it ('…' with '\'' for a quote, "…", \x). */
function shellWords(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      cur += end < 0 ? text.slice(i + 1) : text.slice(i + 1, end);
      i = end < 0 ? text.length : end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        cur += text[j];
      }
      i = j;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

const vmidsOf = (text: string): number[] =>
  text.split(/[,;\s]+/).filter((p) => /^\d{1,9}$/.test(p)).map(Number);

function applyArgs(args: string, s: VzdumpLogSummary): void {
  const words = shellWords(args);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith('-')) {
      // Positional arguments are the vmid list (command_line prints it space-separated before the options).
      s.vmids.push(...vmidsOf(w));
      continue;
    }
    // `--opt value` and `--opt=value` are both accepted by PVE's CLI parser.
    const eq = w.indexOf('=');
    const name = (eq > 0 ? w.slice(0, eq) : w).replace(/^--?/, '');
    let value: string | undefined;
    if (eq > 0) value = w.slice(eq + 1);
    else if (i + 1 < words.length && !/^--?[a-z]/i.test(words[i + 1])) value = words[++i];
    switch (name) {
      case 'job-id': s.jobId = value || null; break;
      case 'storage': s.storage = value || null; break;
      case 'all': s.all = value === undefined || /^(1|yes|true|on)$/i.test(value); break;
      case 'exclude': s.exclude.push(...vmidsOf(value ?? '')); break;
      case 'pool': s.pool = value || null; break;
      case 'node': s.node = value || null; break;
      case 'vmid': s.vmids.push(...vmidsOf(value ?? '')); break;
      default: break;
    }
  }
}

export function emptyVzdumpSummary(truncated = false): VzdumpLogSummary {
  return {
    jobId: null, storage: null, all: false, vmids: [], exclude: [], pool: null, node: null,
    started: [], finished: [], failed: [], jobError: null, truncated,
  };
}

export function parseVzdumpLog(lines: string[], truncated: boolean): VzdumpLogSummary {
  const s = emptyVzdumpSummary(truncated === true);
  try {
    let sawFirst = false;
    /** The guest whose backup is under way, and the lines logged about it since its Starting line. */
    let current: { vmid: number; lines: string[] } | null = null;
    let taskError: string | null = null;
    for (const raw of Array.isArray(lines) ? lines : []) {
      if (typeof raw !== 'string') continue;
      // Task logs read from a file on Windows-edited hooks or through proxies may carry CR; timestamps are not
      // part of task-log lines (only of the per-guest log files), but hook output may prefix blanks.
      const line = raw.replace(/\r+$/, '').trimStart();
      if (!sawFirst) {
        const m = FIRST_LINE.exec(line);
        if (m) {
          sawFirst = true;
          applyArgs(m[1] ?? '', s);
          continue;
        }
      }
      let m = STARTING.exec(line);
      if (m) {
        const vmid = Number(m[1]);
        s.started.push(vmid);
        current = { vmid, lines: [line] };
        continue;
      }
      if (current && current.lines.length < MAX_GUEST_LINES) current.lines.push(line);
      m = FINISHED.exec(line);
      if (m) {
        s.finished.push(Number(m[1]));
        current = null;
        continue;
      }
      m = GUEST_FAILED.exec(line);
      if (m) {
        const vmid = Number(m[1]);
        const lines = current?.vmid === vmid ? current.lines : [line];
        s.failed.push({ vmid, reason: m[2].slice(0, MAX_REASON), lines });
        current = null;
        continue;
      }
      m = TASK_ERROR.exec(line);
      if (m) {
        taskError = m[1].slice(0, MAX_REASON);
        continue;
      }
      m = ERROR_LINE.exec(line);
      // An error before any guest started is the job's own (storage offline, lock held, hook failed).
      if (m && s.started.length === 0 && s.jobError === null) s.jobError = m[1].slice(0, MAX_REASON);
    }
    // A job that died before its first line or its first guest (PVE::VZDump->new fails inside the worker, e.g. on
    // a storage that cannot be activated) leaves only `TASK ERROR: <reason>`; `job errors` is the per-guest summary.
    if (s.jobError === null && s.started.length === 0 && taskError !== null && taskError !== 'job errors') s.jobError = taskError;
    // Without a first line, the error's storage is the only trace of which job it was (`could not activate storage
    // 'nas': storage 'nas' is not online`): it lets the run be told apart from another job's at the same minute.
    if (!sawFirst && s.storage === null && s.jobError !== null) s.storage = STORAGE_IN_ERROR.exec(s.jobError)?.[1] ?? null;
  } catch {
    // Never throws: whatever was read so far is the summary.
  }
  return s;
}
