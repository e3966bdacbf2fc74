// How we know, in NetBox, which objects are ours and which Proxmox object each one stands for. Never the name alone:
// names change (a renamed guest) and repeat (two clusters with a node "pve1", two guests called "web"). Every object
// we own carries our tag and two custom fields: the Proxmox endpoint it came from and a key that names the Proxmox
// object within that endpoint ("vm/101", "node/pve1", "vmif/101/net0"). Two more custom fields say the vmid and the node
// in a form users filter by in NetBox's own UI (and "Open in NetBox" links to).

export const OWNER_TAG = {
  name: 'Proxbox for VS Code',
  slug: 'proxbox-vscode',
  color: '2f6f8f',
  description: 'Synced from Proxmox by Proxbox for VS Code. Objects with this tag are updated and deleted by it.',
} as const;

/** The NetBox object types (app_label.model) we write, by our collection name. */
export const OBJECT_TYPES = {
  cluster: 'virtualization.cluster',
  device: 'dcim.device',
  interface: 'dcim.interface',
  vm: 'virtualization.virtualmachine',
  vmInterface: 'virtualization.vminterface',
  virtualDisk: 'virtualization.virtualdisk',
  macAddress: 'dcim.macaddress',
  ipAddress: 'ipam.ipaddress',
} as const;

const OWNED_TYPES = Object.values(OBJECT_TYPES);

export interface CustomFieldDefinition {
  name: string;
  type: 'text' | 'integer';
  label: string;
  description: string;
  object_types: readonly string[];
}

export const CF_ENDPOINT = 'proxbox_endpoint';
export const CF_KEY = 'proxbox_key';
export const CF_VMID = 'proxbox_vmid';
export const CF_NODE = 'proxbox_node';

export const CUSTOM_FIELDS: readonly CustomFieldDefinition[] = [
  { name: CF_ENDPOINT, type: 'text', label: 'Proxmox endpoint', description: 'The Proxmox endpoint (Proxbox for VS Code) this object was synced from.', object_types: OWNED_TYPES },
  { name: CF_KEY, type: 'text', label: 'Proxmox object', description: 'Which Proxmox object this is, within its endpoint (set by Proxbox for VS Code; do not edit).', object_types: OWNED_TYPES },
  { name: CF_VMID, type: 'integer', label: 'Proxmox VMID', description: 'The guest\'s VMID in Proxmox.', object_types: [OBJECT_TYPES.vm] },
  { name: CF_NODE, type: 'text', label: 'Proxmox node', description: 'The Proxmox node name.', object_types: [OBJECT_TYPES.device] },
];

/** The keys of owned objects: stable across renames, unique within one endpoint. */
export const keys = {
  cluster: (): string => 'cluster',
  node: (node: string): string => `node/${node}`,
  nodeInterface: (node: string, name: string): string => `nodeif/${node}/${name}`,
  vm: (vmid: number): string => `vm/${vmid}`,
  vmInterface: (vmid: number, name: string): string => `vmif/${vmid}/${name}`,
  virtualDisk: (vmid: number, key: string): string => `disk/${vmid}/${key}`,
  mac: (vmid: number, name: string): string => `mac/${vmid}/${name}`,
  ip: (vmid: number, iface: string, address: string): string => `ip/${vmid}/${iface}/${address}`,
};

/** The query that lists one collection's objects owned by one endpoint: our tag and our endpoint field. */
export function ownedQuery(endpointId: string): Record<string, string> {
  return { tag: OWNER_TAG.slug, [`cf_${CF_ENDPOINT}`]: endpointId };
}

/** Our custom fields on an object we write. */
export function ownedFields(endpointId: string, key: string, extra: Record<string, string | number> = {}): Record<string, string | number> {
  return { [CF_ENDPOINT]: endpointId, [CF_KEY]: key, ...extra };
}

/** NetBox 4.7 reads selection custom fields back as {value, label}; earlier versions as the plain value. */
export function customFieldValue(obj: object, name: string): unknown {
  const cf = (obj as { custom_fields?: unknown }).custom_fields;
  if (!cf || typeof cf !== 'object') return undefined;
  const v = (cf as Record<string, unknown>)[name];
  if (v && typeof v === 'object' && !Array.isArray(v) && 'value' in v) return (v as { value: unknown }).value;
  return v;
}

/** Whether a listed object carries our tag (tags read back as brief objects, or ids in some representations). */
export function hasOwnerTag(obj: object): boolean {
  const tags = (obj as { tags?: unknown }).tags;
  return Array.isArray(tags) && tags.some((t) => (t && typeof t === 'object' ? (t as { slug?: unknown }).slug === OWNER_TAG.slug : false));
}

/** A NetBox slug from a name: lower case, [a-z0-9_-], at most 100 characters. */
export function slugify(name: string): string {
  const s = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return (s || 'x').slice(0, 100);
}
