// Task ids. PVE: `UPID:<node>:<pid 8hex>:<pstart 8-9hex>:<starttime 8hex>:<type>:<id>:<user[!token]>:`.
// PBS adds a task-id field after pstart and escapes ':' in the id as `\x3a`.
import { MAX_UPID_LENGTH, preview, quote, tooLong } from '../decoders/limits';

export interface Upid {
  upid: string;
  product: 'pve' | 'pbs';
  node: string;
  pid: number;
  pstart: number;
  /** PBS only. */
  taskId?: number;
  /** Seconds since the epoch. */
  starttime: number;
  type: string;
  /** The task's object, e.g. a VMID; "" for multi-guest vzdump runs. */
  id: string;
  /** `user@realm`, without the token name. */
  user: string;
  tokenName?: string;
}

const hex = (s: string, what: string, upid: string): number => {
  if (!/^[0-9A-Fa-f]+$/.test(s)) throw new Error(`UPID "${quote(upid)}": ${what} "${quote(s)}" is not hexadecimal`);
  return parseInt(s, 16);
};

const unescapeId = (s: string): string => s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

export function parseUpid(upid: string): Upid {
  if (upid.length > MAX_UPID_LENGTH) throw new Error(`the task id "${preview(upid)}" ${tooLong(upid.length, MAX_UPID_LENGTH)}`);
  const parts = upid.split(':');
  if (parts[0] !== 'UPID' || parts[parts.length - 1] !== '' || (parts.length !== 9 && parts.length !== 10)) {
    throw new Error(`"${quote(upid)}" is not a task id (expected UPID:node:pid:pstart:starttime:type:id:user:)`);
  }
  const pbs = parts.length === 10;
  const [node, pid, pstart] = parts.slice(1, 4);
  const rest = parts.slice(pbs ? 5 : 4, -1);
  const [starttime, type, id, authid] = rest;
  const bang = authid.indexOf('!');
  const out: Upid = {
    upid, product: pbs ? 'pbs' : 'pve', node,
    pid: hex(pid, 'pid', upid), pstart: hex(pstart, 'pstart', upid), starttime: hex(starttime, 'starttime', upid),
    type, id: unescapeId(id), user: bang < 0 ? authid : authid.slice(0, bang),
  };
  if (pbs) out.taskId = hex(parts[4], 'task id', upid);
  if (bang >= 0) out.tokenName = authid.slice(bang + 1);
  return out;
}
