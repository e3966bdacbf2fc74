// The NetBox models the fake serves: for each list path, what the schema cannot say and a real NetBox enforces —
// foreign keys and what happens to dependents on delete (Django's on_delete), uniqueness constraints, the
// model's name in 404 messages, and field defaults. Everything about shapes comes from the OpenAPI subset.

export type OnDelete = 'protect' | 'cascade' | 'null';

export interface Relation {
  /** The list path of the related model. */
  to: string;
  onDelete: OnDelete;
}

export interface Unique {
  fields: string[];
  /** Case-insensitive on the last field (NetBox 4's Lower('name') constraints). */
  ci?: boolean;
  /** The error NetBox gives, as `{field: [message]}`. */
  error: Record<string, string[]>;
}

export interface ModelDef {
  path: string;
  /** app_label.model, as in assigned_object_type and custom field object_types. */
  contentType: string;
  /** Django's object_name, for "No <X> matches the given query." */
  objectName: string;
  relations: Record<string, Relation>;
  unique: Unique[];
  defaults: Record<string, unknown>;
  /** assigned_object_type + assigned_object_id; what happens when the assigned object goes. */
  generic?: OnDelete;
  plugin?: boolean;
  /** Fields a list accepts as exact-match filters (besides id, tag, cf_*, <relation>_id). */
  filters: string[];
  display: (row: Record<string, unknown>) => string;
}

const byName = (row: Record<string, unknown>): string => String(row.name ?? row.id);
const named = (label: string): Unique[] => [
  { fields: ['name'], error: { name: [`${label} with this name already exists.`] } },
  { fields: ['slug'], error: { slug: [`${label} with this slug already exists.`] } },
];
const NAME_SLUG = ['name', 'slug'];

const core: ModelDef[] = [
  { path: '/api/dcim/sites/', contentType: 'dcim.site', objectName: 'Site', relations: {}, unique: named('site'), defaults: { status: 'active' }, filters: NAME_SLUG, display: byName },
  { path: '/api/dcim/manufacturers/', contentType: 'dcim.manufacturer', objectName: 'Manufacturer', relations: {}, unique: named('manufacturer'), defaults: {}, filters: NAME_SLUG, display: byName },
  {
    path: '/api/dcim/device-types/', contentType: 'dcim.devicetype', objectName: 'DeviceType',
    relations: { manufacturer: { to: '/api/dcim/manufacturers/', onDelete: 'protect' }, default_platform: { to: '/api/dcim/platforms/', onDelete: 'null' } },
    unique: [
      { fields: ['manufacturer', 'model'], error: { non_field_errors: ['The fields manufacturer, model must make a unique set.'] } },
      { fields: ['manufacturer', 'slug'], error: { non_field_errors: ['The fields manufacturer, slug must make a unique set.'] } },
    ],
    defaults: { u_height: 1, is_full_depth: true }, filters: ['model', 'slug'], display: (r) => String(r.model),
  },
  { path: '/api/dcim/device-roles/', contentType: 'dcim.devicerole', objectName: 'DeviceRole', relations: {}, unique: named('device role'), defaults: { color: '9e9e9e', vm_role: true }, filters: NAME_SLUG, display: byName },
  { path: '/api/dcim/platforms/', contentType: 'dcim.platform', objectName: 'Platform', relations: { manufacturer: { to: '/api/dcim/manufacturers/', onDelete: 'null' } }, unique: named('platform'), defaults: {}, filters: NAME_SLUG, display: byName },
  {
    path: '/api/dcim/devices/', contentType: 'dcim.device', objectName: 'Device',
    relations: {
      device_type: { to: '/api/dcim/device-types/', onDelete: 'protect' },
      role: { to: '/api/dcim/device-roles/', onDelete: 'protect' },
      site: { to: '/api/dcim/sites/', onDelete: 'protect' },
      platform: { to: '/api/dcim/platforms/', onDelete: 'null' },
      cluster: { to: '/api/virtualization/clusters/', onDelete: 'null' },
      primary_ip4: { to: '/api/ipam/ip-addresses/', onDelete: 'null' },
      primary_ip6: { to: '/api/ipam/ip-addresses/', onDelete: 'null' },
    },
    unique: [{ fields: ['site', 'name'], ci: true, error: { non_field_errors: ['Device name must be unique per site.'] } }],
    defaults: { status: 'active', airflow: null, face: null }, filters: ['name'], display: (r) => (r.name ? String(r.name) : `Unnamed device (${String(r.id)})`),
  },
  {
    path: '/api/dcim/interfaces/', contentType: 'dcim.interface', objectName: 'Interface',
    relations: { device: { to: '/api/dcim/devices/', onDelete: 'cascade' }, primary_mac_address: { to: '/api/dcim/mac-addresses/', onDelete: 'null' } },
    unique: [{ fields: ['device', 'name'], error: { non_field_errors: ['The fields device, name must make a unique set.'] } }],
    defaults: { enabled: true, mode: null }, filters: ['name'], display: byName,
  },
  { path: '/api/dcim/mac-addresses/', contentType: 'dcim.macaddress', objectName: 'MACAddress', relations: {}, unique: [], defaults: {}, generic: 'null', filters: ['mac_address'], display: (r) => String(r.mac_address) },
  { path: '/api/virtualization/cluster-types/', contentType: 'virtualization.clustertype', objectName: 'ClusterType', relations: {}, unique: named('cluster type'), defaults: {}, filters: NAME_SLUG, display: byName },
  {
    path: '/api/virtualization/clusters/', contentType: 'virtualization.cluster', objectName: 'Cluster',
    relations: { type: { to: '/api/virtualization/cluster-types/', onDelete: 'protect' } },
    unique: [
      { fields: ['group', 'name'], error: { non_field_errors: ['A cluster with this name already exists in this group.'] } },
      { fields: ['scope_type', 'scope_id', 'name'], error: { non_field_errors: ['A cluster with this name already exists at this site.'] } },
    ],
    defaults: { status: 'active' }, filters: ['name'], display: byName,
  },
  {
    path: '/api/virtualization/virtual-machines/', contentType: 'virtualization.virtualmachine', objectName: 'VirtualMachine',
    relations: {
      cluster: { to: '/api/virtualization/clusters/', onDelete: 'protect' },
      site: { to: '/api/dcim/sites/', onDelete: 'protect' },
      role: { to: '/api/dcim/device-roles/', onDelete: 'protect' },
      platform: { to: '/api/dcim/platforms/', onDelete: 'null' },
      device: { to: '/api/dcim/devices/', onDelete: 'protect' },
      primary_ip4: { to: '/api/ipam/ip-addresses/', onDelete: 'null' },
      primary_ip6: { to: '/api/ipam/ip-addresses/', onDelete: 'null' },
    },
    unique: [{ fields: ['cluster', 'name'], ci: true, error: { name: ['Virtual machine name must be unique per cluster.'] } }],
    defaults: { status: 'active' }, filters: ['name'], display: byName,
  },
  {
    path: '/api/virtualization/interfaces/', contentType: 'virtualization.vminterface', objectName: 'VMInterface',
    relations: { virtual_machine: { to: '/api/virtualization/virtual-machines/', onDelete: 'cascade' }, primary_mac_address: { to: '/api/dcim/mac-addresses/', onDelete: 'null' } },
    unique: [{ fields: ['virtual_machine', 'name'], error: { non_field_errors: ['The fields virtual_machine, name must make a unique set.'] } }],
    defaults: { enabled: true, mode: null }, filters: ['name'], display: byName,
  },
  {
    path: '/api/virtualization/virtual-disks/', contentType: 'virtualization.virtualdisk', objectName: 'VirtualDisk',
    relations: { virtual_machine: { to: '/api/virtualization/virtual-machines/', onDelete: 'cascade' } },
    unique: [{ fields: ['virtual_machine', 'name'], error: { non_field_errors: ['The fields virtual_machine, name must make a unique set.'] } }],
    defaults: {}, filters: ['name'], display: byName,
  },
  { path: '/api/ipam/ip-addresses/', contentType: 'ipam.ipaddress', objectName: 'IPAddress', relations: {}, unique: [], defaults: { status: 'active', role: null }, generic: 'null', filters: ['address', 'dns_name'], display: (r) => String(r.address) },
  { path: '/api/extras/tags/', contentType: 'extras.tag', objectName: 'Tag', relations: {}, unique: named('tag'), defaults: { color: '9e9e9e' }, filters: NAME_SLUG, display: byName },
  {
    path: '/api/extras/custom-fields/', contentType: 'extras.customfield', objectName: 'CustomField', relations: {},
    unique: [{ fields: ['name'], error: { name: ['custom field with this name already exists.'] } }], defaults: { type: 'text' }, filters: ['name'], display: (r) => String(r.label || r.name),
  },
  { path: '/api/extras/journal-entries/', contentType: 'extras.journalentry', objectName: 'JournalEntry', relations: {}, unique: [], defaults: { kind: 'info' }, generic: 'cascade', filters: [], display: (r) => String(r.created ?? r.id) },
];

const VM = '/api/virtualization/virtual-machines/';
const P = '/api/plugins/proxbox/';
const plugin: ModelDef[] = [
  { path: `${P}endpoints/proxmox/`, contentType: 'netbox_proxbox.proxmoxendpoint', objectName: 'ProxmoxEndpoint', relations: { site: { to: '/api/dcim/sites/', onDelete: 'null' } }, unique: [], defaults: { mode: 'undefined' }, filters: ['name'], display: byName },
  { path: `${P}backup-routines/`, contentType: 'netbox_proxbox.backuproutine', objectName: 'BackupRoutine', relations: { endpoint: { to: `${P}endpoints/proxmox/`, onDelete: 'cascade' }, storage: { to: `${P}storage/`, onDelete: 'null' }, fleecing_storage: { to: `${P}storage/`, onDelete: 'null' } }, unique: [{ fields: ['endpoint', 'job_id'], error: { non_field_errors: ['The fields endpoint, job_id must make a unique set.'] } }], defaults: { status: 'active' }, filters: ['job_id'], display: (r) => String(r.job_id) },
  { path: `${P}storage/`, contentType: 'netbox_proxbox.proxmoxstorage', objectName: 'ProxmoxStorage', relations: { cluster: { to: '/api/virtualization/clusters/', onDelete: 'cascade' } }, unique: [{ fields: ['cluster', 'name'], error: { non_field_errors: ['The fields cluster, name must make a unique set.'] } }], defaults: {}, filters: ['name'], display: byName },
  { path: `${P}backups/`, contentType: 'netbox_proxbox.vmbackup', objectName: 'VMBackup', relations: { virtual_machine: { to: VM, onDelete: 'cascade' }, proxmox_storage: { to: `${P}storage/`, onDelete: 'null' } }, unique: [], defaults: { subtype: 'undefined', format: 'undefined' }, filters: ['volume_id', 'vmid'], display: (r) => String(r.volume_id ?? r.id) },
  { path: `${P}snapshots/`, contentType: 'netbox_proxbox.vmsnapshot', objectName: 'VMSnapshot', relations: { virtual_machine: { to: VM, onDelete: 'cascade' }, proxmox_storage: { to: `${P}storage/`, onDelete: 'null' } }, unique: [], defaults: { status: 'active' }, filters: ['name', 'vmid', 'node'], display: byName },
  { path: `${P}task-history/`, contentType: 'netbox_proxbox.vmtaskhistory', objectName: 'VMTaskHistory', relations: { virtual_machine: { to: VM, onDelete: 'cascade' } }, unique: [], defaults: {}, filters: ['upid', 'node'], display: (r) => String(r.upid) },
  { path: `${P}replications/`, contentType: 'netbox_proxbox.replication', objectName: 'Replication', relations: { virtual_machine: { to: VM, onDelete: 'cascade' }, endpoint: { to: `${P}endpoints/proxmox/`, onDelete: 'null' } }, unique: [], defaults: { status: 'active' }, filters: ['replication_id'], display: (r) => String(r.replication_id) },
];
for (const m of plugin) m.plugin = true;

export const MODELS: ReadonlyMap<string, ModelDef> = new Map([...core, ...plugin].map((m) => [m.path, m]));
export const byContentType = (ct: string): ModelDef | undefined => [...MODELS.values()].find((m) => m.contentType === ct);
export const PLUGIN_ROOT = P;
