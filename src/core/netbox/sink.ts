// The NetBox sink: after a sync reconciled the inventory, bring NetBox to match it. Order matters only where objects
// refer to each other (the tag and our custom fields first, because every object we write carries them; then the
// shared objects, the cluster, nodes, guests, their interfaces, MAC addresses, disks and addresses, the primary IPs,
// and a journal entry on what we created). Each collection is listed once, compared in memory and written in bulk
// (reconcile.ts), so a sync with no change in Proxmox only reads. Deletion happens only in a collection whose
// Proxmox listing completed in this run and whose NetBox listing completed too; a failure in one object is that
// object's, a failure of NetBox itself (down, token refused) ends the sink and is reported as the stage's failure.
import type { GuestRecord, Inventory, NodeRecord } from '../inventory/model';
import type { StageName } from '../pipeline/events';
import type { NetBoxApi, NetBoxObject } from './api';
import {
  desiredDevices, desiredIpAddresses, desiredMacAddresses, desiredNodeInterfaces, desiredVirtualDisks, desiredVirtualMachines,
  desiredVmInterfaces, ownerTagRef, platformName, primaryAddresses, type SharedIds, type TagRef, uniqueNames,
} from './desired';
import { CUSTOM_FIELDS, hasOwnerTag, keys, OBJECT_TYPES, OWNER_TAG, ownedFields, slugify } from './identity';
import { listOwned, reconcileCollection, type CollectionCounts, type CollectionResult, type DesiredObject, type ReconcileContext } from './reconcile';
import { BatchWriter, type ItemFailure } from './writer';
import { syncPluginModels } from './plugin';

export interface NetBoxSinkOptions {
  endpoint: { id: string; name: string; url: string };
  /** Site of the nodes and guests: an existing site's name, or one that is created. */
  site: string;
  /** Cluster type name (default "Proxmox VE"). */
  clusterType?: string;
  /** Cluster group name, existing or created; none by default. */
  clusterGroup?: string;
  /** Take over a VM of the same name in our cluster that we did not create (off by default). */
  adopt?: boolean;
  /** Objects per bulk request. */
  batchSize?: number;
  /** Also write the netbox-proxbox plugin's models when the plugin is installed (default true). */
  pluginModels?: boolean;
}

export interface SinkTypeCounts extends CollectionCounts {
  type: string;
}

export interface SinkOutcome {
  types: SinkTypeCounts[];
  failures: ItemFailure[];
  /** NetBox version as reported by /api/status/. */
  version: string;
  /** Whether the netbox-proxbox plugin's models were written. */
  plugin: boolean;
}

export interface SinkRunInput {
  inventory: Inventory;
  /** The stages that completed in this run: only their collections may lose objects. */
  completed: ReadonlySet<StageName>;
  signal?: AbortSignal;
  progress?: (type: string, done: number, total: number) => void;
}

/** Thrown when NetBox cannot take our identity (tag, custom fields): nothing else is written then. */
export class NetBoxSetupError extends Error {
  readonly category = 'permission';
  constructor(message: string, readonly suggestion: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetBoxSetupError';
  }
}

const PROXMOX_TAG_DESCRIPTION = 'Proxmox tag (synced by Proxbox for VS Code)';
const STEPS = 12;

export async function runNetBoxSink(api: NetBoxApi, opts: NetBoxSinkOptions, input: SinkRunInput): Promise<SinkOutcome> {
  const { inventory: inv, completed, signal } = input;
  const endpointId = opts.endpoint.id;
  const ctx: ReconcileContext = { api, writer: new BatchWriter(api, opts.batchSize ?? 250, signal), endpointId, signal };
  const types: SinkTypeCounts[] = [];
  const failures: ItemFailure[] = [];
  let step = 0;
  const done = (type: string, r?: CollectionResult): void => {
    if (r) {
      types.push({ type, ...r.counts });
      failures.push(...r.failures);
    }
    input.progress?.(type, ++step, STEPS);
  };
  const status = await api.status(signal);

  // 1. Our identity: every later write carries the tag and the custom fields, so without them nothing can be written.
  await ensureOwnerTag(api, signal);
  await ensureCustomFields(api, signal);
  done('identity');

  // 2. Shared objects: looked up and used when they exist (never changed), created with our tag when not.
  const ids = await sharedObjects(api, opts, inv, signal);
  done('shared objects');

  // 3. The cluster.
  const clusterName = inv.cluster?.name ?? opts.endpoint.name;
  const cluster = await reconcileCollection(ctx, { type: 'clusters', path: '/api/virtualization/clusters/', deleteMissing: false }, [{
    key: keys.cluster(), label: `cluster ${clusterName}`,
    body: {
      name: clusterName, type: ids.clusterType, group: ids.clusterGroup, status: 'active', scope_type: 'dcim.site', scope_id: ids.site,
      tags: [ownerTagRef], custom_fields: ownedFields(endpointId, keys.cluster()),
    },
  }]);
  done('clusters', cluster);
  const clusterObj = cluster.byKey.get(keys.cluster());
  if (!clusterObj) {
    // Without the cluster no guest can be placed: say why (NetBox's words) rather than fail every guest alike.
    throw Object.assign(new Error(`NetBox did not accept the cluster "${clusterName}": ${cluster.failures[0]?.reason ?? 'no reason given'}`), {
      category: 'validation', suggestion: 'A cluster of that name that Proxbox did not create may exist already: rename it in NetBox, or give this endpoint another cluster group.',
    });
  }
  const shared: SharedIds = { ...ids, cluster: clusterObj.id };

  // 4. Nodes as devices. A node name another endpoint already uses in the same site gets the cluster as qualifier.
  const otherDevices = await api.list('/api/dcim/devices/', { tag: OWNER_TAG.slug, site_id: String(ids.site) }, signal);
  const ours = (o: NetBoxObject): boolean => String((o.custom_fields as Record<string, unknown> | undefined)?.proxbox_endpoint ?? '') === endpointId;
  const nodeNames = uniqueNames<NodeRecord>([...inv.nodes].sort((a, b) => a.name.localeCompare(b.name)), (n) => n.name, () => clusterName,
    new Set(otherDevices.filter((o) => !ours(o)).map((o) => String(o.name))));
  const devices = await reconcileCollection(ctx, { type: 'devices', path: '/api/dcim/devices/', deleteMissing: completed.has('devices') },
    desiredDevices(endpointId, inv.nodes, nodeNames, shared));
  done('devices', devices);
  const deviceIds = idsOf(devices);

  // 5. Node interfaces.
  done('interfaces', await reconcileCollection(ctx, { type: 'interfaces', path: '/api/dcim/interfaces/', deleteMissing: completed.has('node-interfaces') && completed.has('devices') },
    desiredNodeInterfaces(endpointId, inv.interfaces, deviceIds)));

  // 6. Guests as virtual machines, with the adopt option for same-named VMs we did not create.
  const guests = [...inv.guests].sort((a, b) => a.vmid - b.vmid);
  const vmNames = uniqueNames<GuestRecord>(guests, (g) => g.name || `vm-${g.vmid}`, (g) => String(g.vmid));
  const vmListed = await listOwned(ctx, '/api/virtualization/virtual-machines/');
  if (opts.adopt) await adoptByName(api, shared.cluster, guests, vmNames, vmListed.byKey, signal);
  const vms = await reconcileCollection(ctx, { type: 'virtual machines', path: '/api/virtualization/virtual-machines/', deleteMissing: completed.has('virtual-machines') },
    desiredVirtualMachines(endpointId, guests, vmNames, shared, deviceIds), vmListed);
  done('virtual machines', vms);
  const vmIds = idsOf(vms);

  // 7. Guest interfaces, then their MAC addresses (NetBox 4.2+: objects of their own), then each interface's primary MAC.
  const macListed = await listOwned(ctx, '/api/dcim/mac-addresses/');
  const knownMacs = new Map([...macListed.byKey].map(([k, o]) => [k, o.id]));
  const vmIfSpec = { type: 'VM interfaces', path: '/api/virtualization/interfaces/', deleteMissing: completed.has('vm-interfaces') && completed.has('virtual-machines') };
  const vmIfs = await reconcileCollection(ctx, vmIfSpec, desiredVmInterfaces(endpointId, inv.interfaces, vmIds, knownMacs));
  const vmIfIds = idsOf(vmIfs);
  const macs = await reconcileCollection(ctx, { type: 'MAC addresses', path: '/api/dcim/mac-addresses/', deleteMissing: vmIfSpec.deleteMissing },
    desiredMacAddresses(endpointId, inv.interfaces, vmIfIds), macListed);
  done('MAC addresses', macs);
  const macIds = idsOf(macs);
  const newMacs = [...macs.created];
  if (newMacs.length) {
    // Only the interfaces whose MAC was just created: the others were compared with their MAC already.
    const again = desiredVmInterfaces(endpointId, inv.interfaces, vmIds, macIds).filter((d) => newMacs.some((m) => m.slice(4) === d.key.slice(5)));
    const second = await reconcileCollection(ctx, { ...vmIfSpec, deleteMissing: false }, again, { byKey: vmIfs.byKey, duplicates: [] });
    vmIfs.counts.updated += second.counts.updated;
    vmIfs.failures.push(...second.failures);
    vmIfs.counts.failed = vmIfs.failures.length;
  }
  done('VM interfaces', vmIfs);

  // 8. Virtual disks.
  done('virtual disks', await reconcileCollection(ctx, { type: 'virtual disks', path: '/api/virtualization/virtual-disks/', deleteMissing: completed.has('virtual-disks') && completed.has('virtual-machines') },
    desiredVirtualDisks(endpointId, inv.disks, vmIds)));

  // 9. IP addresses, on the guest interfaces.
  const ips = await reconcileCollection(ctx, { type: 'IP addresses', path: '/api/ipam/ip-addresses/', deleteMissing: completed.has('vm-ip-addresses') && completed.has('vm-interfaces') },
    desiredIpAddresses(endpointId, inv.ipAddresses, vmIfIds));
  done('IP addresses', ips);

  // 10. A guest's primary IPv4/IPv6, only where NetBox has none (the user may have chosen another).
  const primaries = primaryAddresses(inv, idsOf(ips));
  const primaryWanted: DesiredObject[] = [];
  for (const g of guests) {
    const p = primaries.get(g.vmid);
    const key = keys.vm(g.vmid);
    if (!p || !vms.byKey.has(key)) continue;
    primaryWanted.push({ key, label: `primary IP of guest ${g.vmid}`, body: {}, createOnly: { ...(p.v4 ? { primary_ip4: p.v4 } : {}), ...(p.v6 ? { primary_ip6: p.v6 } : {}) } });
  }
  const primary = await reconcileCollection(ctx, { type: 'virtual machines', path: '/api/virtualization/virtual-machines/', deleteMissing: false },
    primaryWanted, { byKey: vms.byKey, duplicates: [] });
  const vmCounts = types.find((t) => t.type === 'virtual machines')!;
  vmCounts.updated += primary.counts.updated;
  vmCounts.failed += primary.failures.length;
  failures.push(...primary.failures);
  done('primary IPs');

  // 11. A journal entry on each object we created, saying where it came from.
  const journal = [
    ...[...cluster.created].map((k) => ({ type: OBJECT_TYPES.cluster, obj: cluster.byKey.get(k)!, what: `the cluster ${clusterName}` })),
    ...[...devices.created].map((k) => ({ type: OBJECT_TYPES.device, obj: devices.byKey.get(k)!, what: `node ${k.slice(5)}` })),
    ...[...vms.created].map((k) => ({ type: OBJECT_TYPES.vm, obj: vms.byKey.get(k)!, what: `guest ${k.slice(3)}` })),
  ];
  if (journal.length) {
    const out = await ctx.writer.create('/api/extras/journal-entries/', journal.map((j) => ({
      label: `journal entry of ${j.what}`,
      body: {
        assigned_object_type: j.type, assigned_object_id: j.obj.id, kind: 'info', tags: [ownerTagRef],
        comments: `Created by Proxbox for VS Code from ${j.what} of the Proxmox endpoint "${opts.endpoint.name}" (${opts.endpoint.url}, cluster ${clusterName}).`,
      },
    })));
    types.push({ type: 'journal entries', created: out.results.filter(Boolean).length, updated: 0, deleted: 0, unchanged: 0, failed: out.failures.length });
    failures.push(...out.failures);
  }
  done('journal entries');

  // 12. The netbox-proxbox plugin's models, when it answers and the user wants them (off when its own backend writes them).
  const plugin = opts.pluginModels !== false && await api.hasProxboxPlugin(signal);
  if (plugin) {
    for (const { type, result } of await syncPluginModels(ctx, inv, { clusterId: shared.cluster, vmIds: new Map(guests.flatMap((g) => { const id = vmIds.get(keys.vm(g.vmid)); return id === undefined ? [] : [[g.vmid, id] as const]; })), completed })) {
      types.push({ type, ...result.counts });
      failures.push(...result.failures);
    }
  }
  done('plugin models');
  return { types, failures, version: status.version, plugin };
}

function idsOf(r: CollectionResult): Map<string, number> {
  return new Map([...r.byKey].map(([k, o]) => [k, o.id]));
}

async function ensureOwnerTag(api: NetBoxApi, signal?: AbortSignal): Promise<void> {
  const found = await api.list('/api/extras/tags/', { slug: OWNER_TAG.slug }, signal);
  if (found.length) return;
  try {
    await api.create('/api/extras/tags/', [{ ...OWNER_TAG }], signal);
  } catch (err) {
    throw setupError(`NetBox did not let Proxbox create its tag "${OWNER_TAG.name}" (${OWNER_TAG.slug})`, err,
      'The NetBox token needs permission to add tags (extras | tag). Give it that permission, or create the tag with slug "proxbox-vscode" in NetBox yourself, then sync again.');
  }
}

async function ensureCustomFields(api: NetBoxApi, signal?: AbortSignal): Promise<void> {
  const found = await api.list('/api/extras/custom-fields/', { name: CUSTOM_FIELDS.map((f) => f.name) }, signal);
  const byName = new Map(found.map((f) => [String(f.name), f]));
  const missing = CUSTOM_FIELDS.filter((f) => !byName.has(f.name));
  try {
    if (missing.length) {
      await api.create('/api/extras/custom-fields/', missing.map((f) => ({
        name: f.name, type: f.type, label: f.label, description: f.description, object_types: [...f.object_types], required: false,
        filter_logic: 'exact', ui_editable: 'hidden', is_cloneable: false,
      })), signal);
    }
    // A field that exists for fewer object types than we write it on (an older version, or made by hand) is widened.
    const widen = CUSTOM_FIELDS.flatMap((f) => {
      const have = byName.get(f.name);
      const types = Array.isArray(have?.object_types) ? (have!.object_types as unknown[]).map(String) : [];
      const lacking = f.object_types.filter((t) => !types.includes(t));
      return have && lacking.length ? [{ id: have.id, object_types: [...types, ...lacking] }] : [];
    });
    if (widen.length) await api.update('/api/extras/custom-fields/', widen, signal);
  } catch (err) {
    throw setupError(`NetBox did not let Proxbox create its custom fields (${CUSTOM_FIELDS.map((f) => f.name).join(', ')})`, err,
      'The NetBox token needs permission to add and change custom fields (extras | custom field) once; after the first sync a token that may only change the synced objects is enough.');
  }
}

function setupError(what: string, err: unknown, suggestion: string): Error {
  const e = err as { category?: string; message?: string };
  // NetBox down or the token refused altogether: that is the error to show, not the tag.
  if (e?.category === 'connection' || e?.category === 'timeout' || e?.category === 'authentication' || e?.category === 'cancelled') return err as Error;
  return new NetBoxSetupError(`${what}: ${e?.message ?? String(err)}`, suggestion, { cause: err });
}

interface SharedLookups {
  site: number;
  clusterType: number;
  clusterGroup: number | null;
  deviceType: number;
  nodeRole: number;
  vmRole: { qemu: number; lxc: number };
  platforms: Map<string, number>;
  tags: Map<string, TagRef>;
}

/** An object found by slug (or name), or created with our tag: shared objects are never changed or deleted. */
async function findOrCreate(api: NetBoxApi, path: string, name: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<number> {
  const slug = typeof body.slug === 'string' ? body.slug : slugify(name);
  const bySlug = await api.list(path, { slug }, signal);
  if (bySlug.length) return bySlug[0].id;
  const byName = await api.list(path, { name }, signal);
  const same = byName.find((o) => String(o.name).toLowerCase() === name.toLowerCase());
  if (same) return same.id;
  const [made] = await api.create(path, [{ name, slug, ...body, tags: [ownerTagRef] }], signal);
  return made.id;
}

async function sharedObjects(api: NetBoxApi, opts: NetBoxSinkOptions, inv: Inventory, signal?: AbortSignal): Promise<SharedLookups> {
  const site = await findOrCreate(api, '/api/dcim/sites/', opts.site, { slug: slugify(opts.site), status: 'active' }, signal);
  const clusterType = await findOrCreate(api, '/api/virtualization/cluster-types/', opts.clusterType ?? 'Proxmox VE', { slug: slugify(opts.clusterType ?? 'proxmox-ve') }, signal);
  const clusterGroup = opts.clusterGroup
    ? await findOrCreate(api, '/api/virtualization/cluster-groups/', opts.clusterGroup, {}, signal)
    : null;
  const manufacturer = await findOrCreate(api, '/api/dcim/manufacturers/', 'Proxmox Server Solutions', { slug: 'proxmox' }, signal);
  const deviceType = await (async () => {
    const found = await api.list('/api/dcim/device-types/', { slug: 'proxmox-ve-node' }, signal);
    if (found.length) return found[0].id;
    const [made] = await api.create('/api/dcim/device-types/', [{ manufacturer, model: 'Proxmox VE node', slug: 'proxmox-ve-node', u_height: 1, tags: [ownerTagRef] }], signal);
    return made.id;
  })();
  const nodeRole = await findOrCreate(api, '/api/dcim/device-roles/', 'Proxmox VE node', { slug: 'proxmox-ve-node', color: 'e57000', vm_role: false }, signal);
  const qemuRole = await findOrCreate(api, '/api/dcim/device-roles/', 'Virtual machine', { slug: 'proxmox-qemu', color: '2f6f8f', vm_role: true }, signal);
  const lxcRole = await findOrCreate(api, '/api/dcim/device-roles/', 'Container', { slug: 'proxmox-lxc', color: '4f8f2f', vm_role: true }, signal);
  const platforms = new Map<string, number>();
  for (const name of new Set(inv.guests.map(platformName).filter((p): p is string => !!p))) {
    platforms.set(name, await findOrCreate(api, '/api/dcim/platforms/', name, { slug: slugify(name) }, signal));
  }
  // Proxmox tags become NetBox tags (created once, marked as ours so a user's own tags on our objects are kept).
  const wanted = [...new Set(inv.guests.flatMap((g) => g.tags))];
  const tags = new Map<string, TagRef>();
  if (wanted.length) {
    const existing = await api.list('/api/extras/tags/', { slug: wanted.map(slugify) }, signal);
    const bySlug = new Map(existing.map((t) => [String(t.slug), t]));
    const create = wanted.filter((t) => !bySlug.has(slugify(t)) && slugify(t) !== OWNER_TAG.slug);
    if (create.length) {
      const made = await api.create('/api/extras/tags/', create.map((t) => ({ name: t.slice(0, 100), slug: slugify(t), description: PROXMOX_TAG_DESCRIPTION })), signal);
      for (const t of made) bySlug.set(String(t.slug), t);
    }
    for (const t of wanted) {
      const row = bySlug.get(slugify(t));
      if (row) tags.set(t, { name: String(row.name), slug: String(row.slug) });
    }
  }
  return { site, clusterType, clusterGroup, deviceType, nodeRole, vmRole: { qemu: qemuRole, lxc: lxcRole }, platforms, tags };
}

/** With "adopt": a VM in our cluster without our tag whose name is a guest's becomes ours (updated in place). */
async function adoptByName(api: NetBoxApi, clusterId: number, guests: readonly GuestRecord[], names: Map<GuestRecord, string>,
  owned: Map<string, NetBoxObject>, signal?: AbortSignal): Promise<void> {
  const inCluster = await api.list('/api/virtualization/virtual-machines/', { cluster_id: String(clusterId) }, signal);
  const foreign = new Map(inCluster.filter((o) => !hasOwnerTag(o)).map((o) => [String(o.name).toLowerCase(), o]));
  for (const g of guests) {
    const key = keys.vm(g.vmid);
    if (owned.has(key)) continue;
    const match = foreign.get((names.get(g) ?? g.name).toLowerCase());
    if (match) owned.set(key, match);
  }
}
