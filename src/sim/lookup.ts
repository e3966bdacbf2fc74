// Finding the node, guest or job a path names, with the errors PVE gives when it is not there.
import { ApiError, badParam, permissionDenied, RequestContext } from './router';
import type { GuestType, SimGuest, SimNode, SimToken } from './model';

export function findNode(ctx: RequestContext): SimNode {
  const name = ctx.params.node;
  const node = ctx.cluster.nodes.find((n) => n.name === name);
  if (!node) {
    throw new ApiError(500, `hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known`);
  }
  return node;
}

export function canAuditVm(token: SimToken, vmid: number): boolean {
  return token.vmAudit === 'all' || token.vmAudit.includes(vmid);
}

export function parseVmid(raw: string): number {
  if (!/^\d+$/.test(raw)) throw badParam('vmid', `type check ('integer') failed - got '${raw}'`);
  const vmid = Number(raw);
  if (vmid < 100 || vmid > 999999999) throw badParam('vmid', 'value must have a minimum value of 100');
  return vmid;
}

export function configPath(node: string, type: GuestType, vmid: number): string {
  return type === 'qemu' ? `nodes/${node}/qemu-server/${vmid}.conf` : `nodes/${node}/lxc/${vmid}.conf`;
}

const indexes = new WeakMap<SimGuest[], Map<number, number>>();

/**
 * The guest with that vmid, through a vmid → position index. Tests may splice, push or replace guests at any time,
 * so every hit is checked against the array and a miss rebuilds the index.
 */
export function guestByVmid(guests: SimGuest[], vmid: number): SimGuest | undefined {
  let index = indexes.get(guests);
  const at = index?.get(vmid);
  if (at !== undefined && guests[at]?.vmid === vmid) return guests[at];
  index = new Map(guests.map((g, i) => [g.vmid, i]));
  indexes.set(guests, index);
  const i = index.get(vmid);
  return i === undefined ? undefined : guests[i];
}

/** The guest of a /nodes/{node}/{qemu|lxc}/{vmid}/... path; it must live on that node, as its config file does. */
export function findGuest(ctx: RequestContext, type: GuestType, privilege = 'VM.Audit'): SimGuest {
  const node = findNode(ctx);
  const vmid = parseVmid(ctx.params.vmid);
  if (privilege === 'VM.Audit' && !canAuditVm(ctx.token, vmid)) throw permissionDenied(`/vms/${vmid}`, 'VM.Audit');
  const found = guestByVmid(ctx.cluster.guests, vmid);
  const guest = found && found.type === type && found.node === node.name ? found : undefined;
  if (!guest) throw new ApiError(500, `Configuration file '${configPath(node.name, type, vmid)}' does not exist`);
  return guest;
}

export function requireSysAudit(ctx: RequestContext, path: string): void {
  if (!ctx.token.sysAudit) throw permissionDenied(path, 'Sys.Audit');
}
