// Every property the official schema documents for the endpoints we read (PVE 9.1 and 8.4) decodes: an entry is
// synthesised with all documented keys set (numbers as numbers, then as strings; booleans as 0/1, then "0"/"1"), so
// a field type the decoders do not accept, or a key they misparse, fails here instead of at a user's cluster.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fixture } from '../../helpers/paths';
import * as d from '../../../src/core/proxmox';

interface PropSchema {
  type?: string;
  enum?: unknown[];
  format?: unknown;
  minimum?: number;
  maximum?: number;
  items?: PropSchema;
  properties?: Record<string, PropSchema>;
}

const decoders: Record<string, d.Decoder<unknown>> = {
  '/version': d.decodeVersion,
  '/cluster/status': d.decodeClusterStatus,
  '/cluster/resources': d.decodeClusterResources,
  '/nodes': d.decodeNodes,
  '/nodes/{node}/status': d.decodeNodeStatus,
  '/nodes/{node}/time': d.decodeNodeTime,
  '/nodes/{node}/storage': d.decodeNodeStorageList,
  '/nodes/{node}/storage/{storage}/content': d.decodeStorageContent,
  '/nodes/{node}/tasks': d.decodeTasks,
  '/nodes/{node}/network': d.decodeNodeNetwork,
  '/nodes/{node}/qemu': d.decodeGuestList,
  '/nodes/{node}/qemu/{vmid}/config': d.decodeQemuConfig,
  '/nodes/{node}/qemu/{vmid}/status/current': d.decodeGuestStatus,
  '/nodes/{node}/qemu/{vmid}/snapshot': d.decodeSnapshots,
  '/nodes/{node}/lxc': d.decodeGuestList,
  '/nodes/{node}/lxc/{vmid}/config': d.decodeLxcConfig,
  '/nodes/{node}/lxc/{vmid}/status/current': d.decodeGuestStatus,
  '/nodes/{node}/lxc/{vmid}/snapshot': d.decodeSnapshots,
  '/nodes/{node}/lxc/{vmid}/interfaces': d.decodeLxcInterfaces,
  '/cluster/replication': d.decodeReplication,
  '/cluster/backup': d.decodeBackupJobs,
  '/cluster/backup/{id}': d.decodeBackupJob,
  '/cluster/backup-info/not-backed-up': d.decodeNotBackedUp,
  '/storage': d.decodeStorageIndex,
};

/** Endpoints of the schema subset the client does not read, and the agent call whose schema has no shape. */
const notRead = new Set([
  '/cluster/options', '/pools', '/pools/{poolid}', '/cluster/backup/{id}/included_volumes', '/cluster/config/nodes',
  '/cluster/jobs/schedule-analyze', '/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces',
]);

/** Property-string values for the keys the decoders parse (examples from the PVE docs). */
const qemuDisk = 'local-lvm:vm-100-disk-0,iothread=1,size=32G';
function example(endpoint: string, key: string): unknown {
  const lxc = endpoint.includes('/lxc/');
  if (endpoint.endsWith('/config')) {
  if (/^(scsi|virtio|sata|ide|efidisk|tpmstate)\d+$/.test(key)) return qemuDisk;
  if (/^unused\d+$/.test(key)) return 'local-lvm:vm-100-disk-9';
  if (/^net\d+$/.test(key)) return lxc ? 'name=eth0,bridge=vmbr0,hwaddr=BC:24:11:12:34:56,ip=dhcp,type=veth' : 'virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,firewall=1';
  if (/^ipconfig\d+$/.test(key)) return 'ip=10.0.0.5/24,gw=10.0.0.1';
  if (key === 'rootfs') return 'local-lvm:vm-101-disk-0,size=8G';
  if (/^mp\d+$/.test(key)) return 'local-lvm:vm-101-disk-1,mp=/mnt/data,backup=1,size=32G';
  if (key === 'agent' && !lxc) return '1,fstrim_cloned_disks=1';
  if (key === 'memory' && !lxc) return 'current=2048';
  }
  // Documented as strings; PVE fills them with the load averages.
  if (key === 'loadavg') return ['0.12', '0.34', '0.56'];
  if (key === 'prune-backups') return { 'keep-daily': '7', 'keep-last': '3' };
  if (key === 'fleecing') return { enabled: 1, storage: 'local-lvm' };
  if (key === 'performance') return { 'max-workers': '16' };
  if (key === 'id' && endpoint === '/cluster/replication') return '100-0';
  return undefined;
}

const stringFormats: Record<string, string> = {
  'pve-vmid-list': '100,101', 'pve-calendar-event': 'mon..fri 02:30', 'pve-storage-content-list': 'backup,iso',
  'pve-iface-list': 'eth0 eth1', ipv4: '10.0.0.1', ipv6: 'fd00::1', CIDRv4: '10.0.0.1/24', CIDRv6: 'fd00::1/64',
  ipv4mask: '255.255.255.0', 'pve-replication-job-id': '100-0',
};

function sample(endpoint: string, key: string, s: PropSchema, asStrings: boolean): unknown {
  const ex = example(endpoint, key);
  if (ex !== undefined) return ex;
  if (s.enum?.length) return s.enum[0];
  switch (s.type) {
    case 'boolean':
      return asStrings ? '1' : 1;
    case 'integer': {
      const n = Math.min(Math.max(s.minimum ?? 100, 1), s.maximum ?? Number.MAX_SAFE_INTEGER);
      return asStrings ? String(n) : n;
    }
    case 'number': {
      const n = Math.max(s.minimum ?? 0.5, 0.5);
      return asStrings ? String(n) : n;
    }
    case 'array':
      return s.items?.type === 'string' ? ['x'] : s.items?.type === 'integer' ? [1] : [];
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, sample(endpoint, k, v, asStrings)]));
    default:
      return typeof s.format === 'string' ? stringFormats[s.format] ?? 'x' : 'x';
  }
}

function entries(endpoint: string, props: Record<string, PropSchema>, asStrings: boolean): Record<string, unknown>[] {
  const base: Record<string, unknown> = {};
  for (const [rawKey, s] of Object.entries(props)) {
    const key = rawKey.replace('[n]', '0');
    base[key] = sample(endpoint, key, s, asStrings);
  }
  // Heterogeneous lists (resources, cluster status) get one entry per documented type.
  const types = props.type?.enum as string[] | undefined;
  return types && types.length > 1 ? types.map((t) => ({ ...base, type: t })) : [base];
}

for (const [file, version] of [['pve-api-subset.json', '9.1'], ['pve-api-subset-8.4.json', '8.4']] as const) {
  const schema = JSON.parse(readFileSync(fixture(file), 'utf8')) as { endpoints: Record<string, { GET?: { returns?: PropSchema } }> };
  describe(`proxmox decoders accept every documented property (PVE ${version} schema)`, () => {
    it('covers every endpoint of the subset, or lists it as not read', () => {
      const unmapped = Object.keys(schema.endpoints).filter((p) => !(p in decoders) && !notRead.has(p));
      assert.deepEqual(unmapped, []);
    });
    for (const [endpoint, decode] of Object.entries(decoders)) {
      const returns = schema.endpoints[endpoint]?.GET?.returns;
      if (!returns) continue;
      const isList = returns.type === 'array';
      const props = (isList ? returns.items?.properties : returns.properties) ?? {};
      // PVE 8.4 documented no return properties for the backup and replication jobs (the code sent the same data).
      if (Object.keys(props).length <= 1 && !endpoint.startsWith('/storage') && endpoint !== '/cluster/backup') continue;
      for (const asStrings of [false, true]) {
        it(`${endpoint}: ${Object.keys(props).length} properties, ${asStrings ? 'numbers and flags as strings' : 'as JSON numbers'}`, () => {
          const list = entries(endpoint, props, asStrings);
          // Some entries need keys the schema marks optional or leaves out (e.g. /storage documents only `storage`).
          const filled = list.map((e) => ({ type: 'dir', node: 'pve1', name: 'x', volid: 'local:iso/x.iso', format: 'iso', ...e }));
          const value = decode(isList ? filled : filled[0], 'data');
          assert.ok(value !== undefined);
        });
      }
    }
  });
}

describe('proxmox decoders: schema spot checks', () => {
  it('the PVE 9.1 qemu memory property string and 8.x integer both give MiB', () => {
    assert.equal(d.decodeQemuConfig({ memory: 'current=2048' }, 'data').memoryMiB, 2048);
    assert.equal(d.decodeQemuConfig({ memory: '2048' }, 'data').memoryMiB, 2048);
    assert.equal(d.decodeQemuConfig({ memory: 2048 }, 'data').memoryMiB, 2048);
  });
});
