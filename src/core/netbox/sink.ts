// The NetBox sink: after a sync reconciled the inventory, bring NetBox to match it. Order matters only where objects
// refer to each other (the tag and our custom fields first, because every object we write carries them; then the
// shared objects, the cluster, nodes, guests, their interfaces, MAC addresses, disks and addresses, the primary IPs,
// and a journal entry on what we created). Each collection is listed once, compared in memory and written in bulk
// (reconcile.ts), so a sync with no change in Proxmox only reads. Deletion happens only in a collection whose
// Proxmox listing completed in this run and whose NetBox listing completed too; a failure in one object is that
// object's, a failure of NetBox itself (down, token refused) ends the sink and is reported as the stage's failure.
import type { GuestRecord, Inventory, NodeRecord } from '../inventory/model';
import type { StageName } from '../pipeline/events';
import type { SinkPartial } from '../pipeline/sink';
import type { NetBoxApi, NetBoxObject } from './api';
import {
  desiredDevices, desiredIpAddresses, desiredMacAddresses, desiredNodeInterfaces, desiredVirtualDisks, desiredVirtualMachines,
  desiredVmInterfaces, ownerTagRef, platformName, primaryAddresses, type SharedIds, type TagRef, uniqueNames,
} from './desired';
import { CF_ENDPOINT, CUSTOM_FIELDS, customFieldValue, hasOwnerTag, keys, OBJECT_TYPES, OWNER_TAG, ownedFields, slugify } from './identity';
import { deleteObjects, listOwned, reconcileCollection, type CollectionCounts, type CollectionResult, type ReconcileContext } from './reconcile';
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
const STEPS = 13;

export async function runNetBoxSink(api: NetBoxApi, opts: NetBoxSinkOptions, input: SinkRunInput): Promise<SinkOutcome> {
  const failures: ItemFailure[] = [];
  const results = new Map<string, CollectionResult>();
  const tally = (): SinkPartial => ({
    types: [...results].map(([type, r]) => ({ type, ...r.counts })),
    failures: [...failures, ...[...results.values()].flatMap((r) => r.failures)],
  });
  try {
    const { version, plugin } = await sinkSteps(api, opts, input, results, failures);
    return { ...tally(), version, plugin };
  } catch (err) {
    // What was written before the error is reported with it (the runner counts and says it).
    if (err && typeof err === 'object') Object.defineProperty(err, 'sinkPartial', { value: tally(), enumerable: false });
    throw err;
  }
}

async function sinkSteps(api: NetBoxApi, opts: NetBoxSinkOptions, input: SinkRunInput, results: Map<string, CollectionResult>,
  failures: ItemFailure[]): Promise<{ version: string; plugin: boolean }> {
  const { inventory: inv, completed, signal } = input;
  const endpointId = opts.endpoint.id;
  const ctx: ReconcileContext = {
    api, writer: new BatchWriter(api, opts.batchSize ?? 250, signal), endpointId, signal, deferred: [], deleted: new Map(),
    track: (type, r) => { if (!results.has(type)) results.set(type, r); },
  };
  let step = 0;
  const done = (type: string, r?: CollectionResult): void => {
    if (r) results.set(type, r);
    input.progress?.(type, ++step, STEPS);
  };
  const status = await api.status(signal);

  // 1. Our identity: every later write carries the tag and the custom fields, so without them nothing can be written.
  await ensureOwnerTag(api, signal);
  await ensureCustomFields(api, signal);
  done('identity');

  // 2. Shared objects: looked up and used when they exist (never changed), created with our tag when not.
  const ids = await sharedObjects(ctx, opts, inv, failures);
  ctx.managedTag = ids.managedTag;
  done('shared objects');

  // 3. The cluster. Cluster names repeat (a standalone node's cluster is its host name, "pve" by default): a name another
  // endpoint's cluster already has gets this endpoint's name as qualifier.
  const proxmoxName = inv.cluster?.name ?? opts.endpoint.name;
  const otherClusters = (await api.list('/api/virtualization/clusters/', { tag: OWNER_TAG.slug }, signal))
    .filter((c) => customFieldValue(c, CF_ENDPOINT) !== endpointId).map((c) => String(c.name).toLowerCase());
  const clusterName = otherClusters.includes(proxmoxName.toLowerCase()) ? `${proxmoxName} (${opts.endpoint.name})`.slice(0, 100) : proxmoxName;
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
  // Removed nodes are deleted last: until the guests are written, some may still name them as their host.
  const otherDevices = await api.list('/api/dcim/devices/', { tag: OWNER_TAG.slug, site_id: String(ids.site) }, signal);
  const ours = (o: NetBoxObject): boolean => customFieldValue(o, CF_ENDPOINT) === endpointId;
  const nodeNames = uniqueNames<NodeRecord>([...inv.nodes].sort((a, b) => a.name.localeCompare(b.name)), (n) => n.name, () => clusterName,
    new Set(otherDevices.filter((o) => !ours(o)).map((o) => String(o.name))));
  const devices = await reconcileCollection(ctx, { type: 'devices', path: '/api/dcim/devices/', deleteMissing: completed.has('devices') ? 'last' : false },
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
  const newMacs = new Set([...macs.created].map((k) => k.slice('mac/'.length)));
  if (newMacs.size) {
    // Only the interfaces whose MAC was just created: the others were compared with their MAC already.
    const again = desiredVmInterfaces(endpointId, inv.interfaces, vmIds, macIds).filter((d) => newMacs.has(d.key.slice('vmif/'.length)));
    const second = await reconcileCollection(ctx, { ...vmIfSpec, deleteMissing: false }, again, { byKey: vmIfs.byKey, duplicates: [] });
    // An interface created in this run and given its MAC now was created, not updated.
    vmIfs.counts.updated += [...second.byKey.keys()].filter((k) => !vmIfs.created.has(k)).length - second.counts.unchanged;
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

  // 10. A guest's primary IPv4/IPv6, only where NetBox has none (the user may have chosen another). An address deleted in
  // this run was unset by NetBox, although the VM as read before still names it.
  const primaries = primaryAddresses(inv, idsOf(ips));
  const deletedIps = ctx.deleted.get('/api/ipam/ip-addresses/') ?? new Set<number>();
  const unset = (v: unknown): boolean => { const id = v && typeof v === 'object' ? (v as { id?: unknown }).id : v; return id === null || id === undefined || deletedIps.has(id as number); };
  const primaryPatch: Array<{ key: string; label: string; body: { id: number } & Record<string, unknown> }> = [];
  for (const g of guests) {
    const p = primaries.get(g.vmid);
    const vm = vms.byKey.get(keys.vm(g.vmid));
    if (!p || !vm) continue;
    const body: Record<string, unknown> = {};
    if (p.v4 !== undefined && unset(vm.primary_ip4)) body.primary_ip4 = p.v4;
    if (p.v6 !== undefined && unset(vm.primary_ip6)) body.primary_ip6 = p.v6;
    if (Object.keys(body).length) primaryPatch.push({ key: keys.vm(g.vmid), label: `primary IP of guest ${g.vmid}`, body: { id: vm.id, ...body } });
  }
  if (primaryPatch.length) {
    const out = await ctx.writer.update('/api/virtualization/virtual-machines/', primaryPatch);
    // A VM created in this run and given its primary IP now was created, not updated.
    vms.counts.updated += out.results.filter((r, i) => r && !vms.created.has(primaryPatch[i].key)).length;
    vms.failures.push(...out.failures);
    vms.counts.failed = vms.failures.length;
  }
  done('primary IPs');

  // 11. Removed nodes, now that no guest names them as its host any more.
  for (const d of [...ctx.deferred].reverse()) await deleteObjects(ctx, d.spec, d.gone, d.result);
  ctx.deferred.length = 0;

  // 12. A journal entry on each object we created, saying where it came from.
  const journal = [
    ...[...cluster.created].map((k) => ({ type: OBJECT_TYPES.cluster, obj: cluster.byKey.get(k)!, what: `the cluster ${clusterName}` })),
    ...[...devices.created].map((k) => ({ type: OBJECT_TYPES.device, obj: devices.byKey.get(k)!, what: `node ${k.slice('node/'.length)}` })),
    ...[...vms.created].map((k) => ({ type: OBJECT_TYPES.vm, obj: vms.byKey.get(k)!, what: `guest ${k.slice('vm/'.length)}` })),
  ];
  if (journal.length) {
    const out = await ctx.writer.create('/api/extras/journal-entries/', journal.map((j) => ({
      label: `journal entry of ${j.what}`,
      body: {
        assigned_object_type: j.type, assigned_object_id: j.obj.id, kind: 'info', tags: [ownerTagRef],
        comments: `Created by Proxbox for VS Code from ${j.what} of the Proxmox endpoint "${opts.endpoint.name}" (${opts.endpoint.url}, cluster ${clusterName}).`,
      },
    })));
    results.set('journal entries', {
      byKey: new Map(), created: new Set(), failures: out.failures,
      counts: { created: out.results.filter(Boolean).length, updated: 0, deleted: 0, unchanged: 0, failed: out.failures.length },
    });
  }
  done('journal entries');

  // 13. The netbox-proxbox plugin's models, when it answers and the user wants them (off when its own backend writes them).
  const plugin = opts.pluginModels !== false && await api.hasProxboxPlugin(signal);
  if (plugin) {
    const vmByVmid = new Map(guests.flatMap((g) => { const id = vmIds.get(keys.vm(g.vmid)); return id === undefined ? [] : [[g.vmid, id] as const]; }));
    for (const { type, result } of await syncPluginModels(ctx, inv, { clusterId: shared.cluster, vmIds: vmByVmid, completed })) results.set(type, result);
  }
  done('plugin models');
  return { version: status.version, plugin };
}

function idsOf(r: CollectionResult): Map<string, number> {
  return new Map([...r.byKey].map(([k, o]) => [k, o.id]));
}

async function ensureOwnerTag(api: NetBoxApi, signal?: AbortSignal): Promise<void> {
  const found = await api.list('/api/extras/tags/', { slug: OWNER_TAG.slug }, signal);
  try {
    if (!found.length) await api.create('/api/extras/tags/', [{ ...OWNER_TAG }], signal);
    // Every write names the tag by name and slug: a tag renamed in NetBox would make each of them fail, so the name is ours.
    else if (found[0].name !== OWNER_TAG.name) await api.update('/api/extras/tags/', [{ id: found[0].id, name: OWNER_TAG.name }], signal);
  } catch (err) {
    throw setupError(`NetBox did not let Proxbox create its tag "${OWNER_TAG.name}" (${OWNER_TAG.slug})`, err,
      'The NetBox token needs permission to add tags (extras | tag). Give it that permission, or create the tag with slug "proxbox-vscode" in NetBox yourself, then sync again.');
  }
}

async function ensureCustomFields(api: NetBoxApi, signal?: AbortSignal): Promise<void> {
  const found = await api.list('/api/extras/custom-fields/', { name: CUSTOM_FIELDS.map((f) => f.name) }, signal);
  const byName = new Map(found.map((f) => [String(f.name), f]));
  for (const f of CUSTOM_FIELDS) {
    const have = byName.get(f.name);
    const type = have ? String((have.type as { value?: unknown } | undefined)?.value ?? have.type) : f.type;
    if (type !== f.type) {
      throw new NetBoxSetupError(`NetBox already has a custom field "${f.name}" of type ${type}; Proxbox needs it of type ${f.type} to know which objects are its own`,
        `Rename or delete that custom field in NetBox (Customization → Custom Fields), then sync again.`);
    }
  }
  const missing = CUSTOM_FIELDS.filter((f) => !byName.has(f.name));
  try {
    if (missing.length) {
      await api.create('/api/extras/custom-fields/', missing.map((f) => ({
        name: f.name, type: f.type, label: f.label, description: f.description, object_types: [...f.object_types], required: false,
        filter_logic: 'exact', ui_editable: 'hidden', is_cloneable: false,
      })), signal);
    }
    // A field that exists for fewer object types than we write it on (an older version, or made by hand) is widened,
    // and one filtered loosely is made exact (a loose filter on "lab" also lists "lab-2"'s objects).
    const fix = CUSTOM_FIELDS.flatMap((f) => {
      const have = byName.get(f.name);
      if (!have) return [];
      const types = Array.isArray(have.object_types) ? (have.object_types as unknown[]).map(String) : [];
      const lacking = f.object_types.filter((t) => !types.includes(t));
      const logic = String((have.filter_logic as { value?: unknown } | undefined)?.value ?? have.filter_logic ?? 'loose');
      const patch: Record<string, unknown> = {};
      if (lacking.length) patch.object_types = [...types, ...lacking];
      if (logic !== 'exact') patch.filter_logic = 'exact';
      return Object.keys(patch).length ? [{ id: have.id, ...patch }] : [];
    });
    if (fix.length) await api.update('/api/extras/custom-fields/', fix, signal);
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
  /** Our tag and the tags made from Proxmox tags: the tags a sync may add to or take from an object it owns. */
  managedTag: (slug: string) => boolean;
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

async function sharedObjects(ctx: ReconcileContext, opts: NetBoxSinkOptions, inv: Inventory, failures: ItemFailure[]): Promise<SharedLookups> {
  const { api, signal } = ctx;
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
  // Proxmox tags become NetBox tags, created once and marked as made from Proxmox: those (and ours) are the tags a
  // sync manages on its objects; any other tag there is the user's and stays. All tags are read once (a short list).
  const all = await api.list('/api/extras/tags/', {}, signal);
  const bySlug = new Map(all.map((t) => [String(t.slug), t]));
  const byName = new Map(all.map((t) => [String(t.name).toLowerCase(), t]));
  const wanted = [...new Set(inv.guests.flatMap((g) => g.tags))].filter((t) => slugify(t) !== OWNER_TAG.slug);
  const find = (t: string): NetBoxObject | undefined => bySlug.get(slugify(t)) ?? byName.get(t.toLowerCase());
  // Two Proxmox tags with one slug ("Web", "web") are one NetBox tag.
  const create = [...new Map(wanted.filter((t) => !find(t)).map((t) => [slugify(t), t])).values()];
  if (create.length) {
    const out = await ctx.writer.create('/api/extras/tags/', create.map((t) => ({ label: `tag ${t}`, body: { name: t.slice(0, 100), slug: slugify(t), description: PROXMOX_TAG_DESCRIPTION } })));
    out.results.forEach((r) => { if (r && r !== true) { bySlug.set(String(r.slug), r); byName.set(String(r.name).toLowerCase(), r); } });
    // A tag NetBox refused is left off the guests (and named): the guests themselves are still written.
    failures.push(...out.failures);
  }
  const tags = new Map<string, TagRef>();
  for (const t of wanted) {
    const row = find(t);
    if (row) tags.set(t, { name: String(row.name), slug: String(row.slug) });
  }
  const proxmoxTags = new Set([...bySlug.values()].filter((t) => t.description === PROXMOX_TAG_DESCRIPTION).map((t) => String(t.slug)));
  return {
    site, clusterType, clusterGroup, deviceType, nodeRole, vmRole: { qemu: qemuRole, lxc: lxcRole }, platforms, tags,
    managedTag: (slug) => slug === OWNER_TAG.slug || proxmoxTags.has(slug),
  };
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
