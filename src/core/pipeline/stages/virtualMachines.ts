// Stage 3: guests (qemu and lxc). The guest list comes from the shared /cluster/resources (one request, not a walk
// over every node); each guest's config is read exactly once here and shared with the disk, interface and
// address stages. A guest whose config cannot be read keeps what the last sync knew, and is marked incomplete so
// that no later stage removes anything of it in this run.
import type { GuestRecord } from '../../inventory/model';
import type { GuestResource } from '../../proxmox/types';
import type { GuestConfig } from '../api';
import type { StageDefinition } from './types';
import { forEachItem } from './types';
import { configuredDiskBytes, disksOf, num, str } from './guestConfig';

/**
 * The guest's disk size. Proxmox's `maxdisk` is the size of the boot disk (qemu) or the root volume (lxc), and it
 * is 0 or absent when Proxmox found no disk in the boot order (a VM still installing from an ISO, a network-booted
 * one) or could not size it. A user who sees such a guest at 0 bytes while its config holds a 32 GiB disk reads it
 * as wrong, so then the config speaks: the total of its configured disks. The total rather than "the first disk",
 * because with no boot disk named there is no principled first, because the total is what a backup of the guest
 * reads, and because it is what Proxbox itself puts into NetBox's VM disk field; for the common one-disk guest it is
 * the very number Proxmox would have shown.
 */
export function guestDiskBytes(reported: number | null, configured: number | null): number | null {
  return reported !== null && reported > 0 ? reported : configured ?? reported;
}

function guestFromResource(r: GuestResource, prev: GuestRecord | undefined): GuestRecord {
  return {
    vmid: r.vmid,
    type: r.type,
    name: r.name ?? prev?.name ?? `${r.type === 'qemu' ? 'VM' : 'CT'} ${r.vmid}`,
    node: r.node,
    status: r.status ?? 'unknown',
    template: r.template,
    tags: [...r.tags].sort(),
    pool: str(r.pool),
    cpus: num(r.maxcpu),
    maxMemBytes: num(r.maxmem),
    // Until this sync reads the config, the size the last sync derived from it stands in for a missing maxdisk.
    maxDiskBytes: guestDiskBytes(num(r.maxdisk), prev?.configuredDiskBytes ?? null),
    haState: str(r.hastate),
    // Config-derived fields: the last sync's values until this sync reads the config.
    onBoot: prev?.onBoot ?? null,
    agent: prev?.agent ?? null,
    osType: prev?.osType ?? null,
    description: prev?.description ?? null,
    parentSnapshot: prev?.parentSnapshot ?? null,
    configDigest: prev?.configDigest ?? null,
    configuredDiskBytes: prev?.configuredDiskBytes ?? null,
  };
}

export function applyConfig(g: GuestRecord, gc: GuestConfig): void {
  const c = gc.config;
  g.onBoot = c.onboot;
  g.agent = gc.type === 'qemu' ? gc.config.agent.enabled : null;
  g.osType = str(c.ostype);
  g.description = str(c.description);
  g.parentSnapshot = str(c.raw.parent);
  g.configDigest = str(c.digest);
  g.configuredDiskBytes = configuredDiskBytes(disksOf(g.vmid, gc));
  const name = gc.type === 'qemu' ? gc.config.name : gc.config.hostname;
  if (name) g.name = name;
}

export const virtualMachines: StageDefinition = {
  name: 'virtual-machines',
  startMessage: 'Reading virtual machines and containers.',
  async run(run) {
    const { ctx } = run;
    const resources = await ctx.resources(run);
    const prev = new Map(run.get('guests').map((g) => [g.vmid, g]));
    const guestRows = resources.filter((r): r is GuestResource => r.type === 'qemu' || r.type === 'lxc');
    const reportedDisk = new Map(guestRows.map((r) => [r.vmid, num(r.maxdisk)]));
    const guests = guestRows.map((r) => guestFromResource(r, prev.get(r.vmid)));
    run.discovery(guests.map((g) => ({ name: `${g.name} (${g.vmid})`, item_type: g.type })), `Discovered ${guests.length} guest(s).`);

    const reachable = guests.filter((g) => {
      if (ctx.unreachableNodes.has(g.node)) {
        ctx.incompleteGuests.add(g.vmid);
        run.itemSkipped('guest on an unreachable node (kept as last synced)');
        return false;
      }
      return true;
    });
    run.attempted = reachable.length;
    await forEachItem(run, reachable, ctx.limits.vm, (g) => ({ name: `${g.name} (${g.vmid})`, item_type: g.type }), async (g) => {
      try {
        const gc: GuestConfig = g.type === 'qemu'
          ? { type: 'qemu', config: await ctx.api.qemuConfig(g.node, g.vmid, run.call) }
          : { type: 'lxc', config: await ctx.api.lxcConfig(g.node, g.vmid, run.call) };
        ctx.configs.set(g.vmid, gc);
        applyConfig(g, gc);
        g.maxDiskBytes = guestDiskBytes(reportedDisk.get(g.vmid) ?? null, g.configuredDiskBytes);
      } catch (err) {
        ctx.incompleteGuests.add(g.vmid);
        throw err;
      }
    });
    run.assertNotAllFailed();
    run.reconcile('guests', guests);
    return guests.length;
  },
};
