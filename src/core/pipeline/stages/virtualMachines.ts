// Stage 3: guests (qemu and lxc). The guest list comes from the shared /cluster/resources (one request, not a walk
// over every node); each guest's config is read exactly once here and shared with the disk, interface and
// address stages. A guest whose config cannot be read keeps what the last sync knew, and is marked incomplete so
// that no later stage removes anything of it in this run.
import type { GuestRecord, GuestType } from '../../inventory/model';
import type { PveGuestConfig, PveResource } from '../api';
import type { StageDefinition } from './types';
import { forEachItem } from './types';
import { agentEnabled, configuredDiskBytes, flag, num, parseDisks, str } from './guestConfig';

function guestFromResource(r: PveResource, prev: GuestRecord | undefined): GuestRecord {
  const type = r.type as GuestType;
  return {
    vmid: r.vmid as number,
    type,
    name: r.name ?? prev?.name ?? `${type === 'qemu' ? 'VM' : 'CT'} ${r.vmid}`,
    node: r.node ?? prev?.node ?? '',
    status: r.status ?? 'unknown',
    template: r.template === true,
    tags: (r.tags ?? '').split(/[;,\s]+/).map((t) => t.trim()).filter(Boolean).sort(),
    pool: str(r.pool),
    cpus: num(r.maxcpu),
    maxMemBytes: num(r.maxmem),
    maxDiskBytes: num(r.maxdisk),
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

export function applyConfig(g: GuestRecord, config: PveGuestConfig): void {
  g.onBoot = flag(config.onboot) ?? false;
  g.agent = g.type === 'qemu' ? agentEnabled(config) : null;
  g.osType = str(config.ostype);
  g.description = str(config.description);
  g.parentSnapshot = str(config.parent);
  g.configDigest = str(config.digest);
  g.configuredDiskBytes = configuredDiskBytes(parseDisks(g.vmid, g.type, config));
  if (typeof config.name === 'string' && g.type === 'qemu' && config.name) g.name = config.name;
  if (typeof config.hostname === 'string' && g.type === 'lxc' && config.hostname) g.name = config.hostname;
}

export const virtualMachines: StageDefinition = {
  name: 'virtual-machines',
  startMessage: 'Reading virtual machines and containers.',
  async run(run) {
    const { ctx } = run;
    const resources = await ctx.resources();
    const prev = new Map(run.get('guests').map((g) => [g.vmid, g]));
    const guests = resources
      .filter((r) => (r.type === 'qemu' || r.type === 'lxc') && typeof r.vmid === 'number')
      .map((r) => guestFromResource(r, prev.get(r.vmid as number)));
    run.discovery(guests.map((g) => ({ name: `${g.name} (${g.vmid})`, item_type: g.type })), `Discovered ${guests.length} guest(s).`);

    const reachable = guests.filter((g) => {
      if (ctx.unreachableNodes.has(g.node)) {
        ctx.incompleteGuests.add(g.vmid);
        run.itemSkipped(`guest on unreachable node (kept as last synced)`);
        return false;
      }
      return true;
    });
    run.attempted = reachable.length;
    await forEachItem(run, reachable, ctx.limits.vm, (g) => ({ name: `${g.name} (${g.vmid})`, item_type: g.type }), async (g) => {
      try {
        const config = g.type === 'qemu' ? await ctx.api.qemuConfig(g.node, g.vmid, ctx.call) : await ctx.api.lxcConfig(g.node, g.vmid, ctx.call);
        ctx.configs.set(g.vmid, config);
        applyConfig(g, config);
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
