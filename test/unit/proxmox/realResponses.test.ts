// Every captured real-server body in test/fixtures/real-responses must decode. Files map to decoders by their name
// prefix (longest prefix first); the `endpoint` recorded in each file must agree with the mapping.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { fixture } from '../../helpers/paths';
import * as d from '../../../src/core/proxmox';

const table: Array<{ prefix: string; endpoint: RegExp; decode: d.Decoder<unknown> }> = [
  { prefix: 'version__', endpoint: /^\/version$/, decode: d.decodeVersion },
  { prefix: 'cluster-backup__', endpoint: /^\/cluster\/backup$/, decode: d.decodeBackupJobs },
  { prefix: 'cluster-resources', endpoint: /^\/cluster\/resources/, decode: d.decodeClusterResources },
  { prefix: 'cluster-status__', endpoint: /^\/cluster\/status$/, decode: d.decodeClusterStatus },
  { prefix: 'nodes__', endpoint: /^\/nodes$/, decode: d.decodeNodes },
  { prefix: 'nodes-node-version__', endpoint: /^\/nodes\/\{node\}\/version$/, decode: d.decodeVersion },
  { prefix: 'nodes-node-status__', endpoint: /^\/nodes\/\{node\}\/status$/, decode: d.decodeNodeStatus },
  { prefix: 'nodes-node-network__', endpoint: /^\/nodes\/\{node\}\/network$/, decode: d.decodeNodeNetwork },
  { prefix: 'nodes-node-tasks__', endpoint: /^\/nodes\/\{node\}\/tasks$/, decode: d.decodeTasks },
  { prefix: 'nodes-node-storage-storage-content', endpoint: /^\/nodes\/\{node\}\/storage\/\{storage\}\/content/, decode: d.decodeStorageContent },
  { prefix: 'nodes-node-qemu__', endpoint: /^\/nodes\/\{node\}\/qemu$/, decode: d.decodeGuestList },
  { prefix: 'nodes-node-qemu-vmid-config__', endpoint: /^\/nodes\/\{node\}\/qemu\/\{vmid\}\/config$/, decode: d.decodeQemuConfig },
  { prefix: 'nodes-node-qemu-vmid-snapshot__', endpoint: /^\/nodes\/\{node\}\/qemu\/\{vmid\}\/snapshot$/, decode: d.decodeSnapshots },
  { prefix: 'nodes-node-qemu-vmid-status-current__', endpoint: /^\/nodes\/\{node\}\/qemu\/\{vmid\}\/status\/current$/, decode: d.decodeGuestStatus },
  { prefix: 'nodes-node-qemu-vmid-agent-network-get-interfaces__', endpoint: /agent\/network-get-interfaces$/, decode: d.decodeAgentInterfaces },
  { prefix: 'nodes-node-lxc__', endpoint: /^\/nodes\/\{node\}\/lxc$/, decode: d.decodeGuestList },
  { prefix: 'nodes-node-lxc-vmid-config__', endpoint: /^\/nodes\/\{node\}\/lxc\/\{vmid\}\/config$/, decode: d.decodeLxcConfig },
  { prefix: 'nodes-node-lxc-vmid-snapshot__', endpoint: /^\/nodes\/\{node\}\/lxc\/\{vmid\}\/snapshot$/, decode: d.decodeSnapshots },
  { prefix: 'nodes-node-lxc-vmid-status-current__', endpoint: /^\/nodes\/\{node\}\/lxc\/\{vmid\}\/status\/current$/, decode: d.decodeGuestStatus },
  { prefix: 'nodes-node-lxc-vmid-interfaces__', endpoint: /^\/nodes\/\{node\}\/lxc\/\{vmid\}\/interfaces$/, decode: d.decodeLxcInterfaces },
  { prefix: 'storage__', endpoint: /^\/storage$/, decode: d.decodeStorageIndex },
];

/**
 * The one place that lists what is out of scope: Proxmox Backup Server endpoints (port 8007). The extension reads
 * backups through PVE's storage content listing, which already covers PBS-backed storages.
 */
const outOfScope = [/^admin-/, /^status-/];

interface Capture { endpoint: string; product?: string; body: unknown }
const files = readdirSync(fixture('real-responses')).filter((f) => f.endsWith('.json')).sort();
const load = (file: string): Capture => JSON.parse(readFileSync(fixture('real-responses', file), 'utf8')) as Capture;

function decoderFor(file: string) {
  return [...table].sort((a, b) => b.prefix.length - a.prefix.length).find((t) => file.startsWith(t.prefix));
}

function decodeFile(file: string): unknown {
  const entry = decoderFor(file);
  assert.ok(entry, `${file}: no decoder`);
  return entry.decode(d.unwrapEnvelope(load(file).body), 'data');
}

describe('proxmox real responses', () => {
  it('finds the captured bodies', () => {
    assert.ok(files.length >= 40, `only ${files.length} files`);
  });

  for (const file of files) {
    if (outOfScope.some((re) => re.test(file))) {
      it(`${file} is a PBS body, out of scope`, () => {
        assert.equal(load(file).product, 'pbs');
        assert.equal(decoderFor(file), undefined);
      });
      continue;
    }
    it(`decodes ${file}`, () => {
      const entry = decoderFor(file);
      assert.ok(entry, `no decoder mapped for ${file}`);
      assert.match(load(file).endpoint, entry.endpoint);
      const value = decodeFile(file);
      assert.ok(value !== undefined);
    });
  }

  it('reads backup jobs: vmid lists, next-run, disabled jobs and string retention', () => {
    const jobs = decodeFile('cluster-backup__go-proxmox.json') as d.BackupJob[];
    assert.equal(jobs[0].all, true);
    assert.deepEqual(jobs[0].vmids, []);
    assert.equal(jobs[0].nextRun, 1715299200);
    assert.equal(jobs[1].enabled, false);
    assert.deepEqual(jobs[1].vmids, [101, 102]);
    assert.deepEqual(jobs[1].pruneBackups, { keepDaily: 7, keepWeekly: 4 });
    const captured = decodeFile('cluster-backup__community-proxmox.json') as d.BackupJob[];
    assert.deepEqual(captured.map((j) => j.schedule), ['06,18:30', 'sat 15:00']);
    assert.deepEqual(captured[1].vmids, [100, 101, 102]);
  });

  it('accepts vmid as a string in the lxc list and in hand-edited resources', () => {
    const lxc = decodeFile('nodes-node-lxc__go-proxmox.json') as d.GuestListEntry[];
    assert.equal(lxc[0].vmid, 106);
    assert.equal(lxc[0].template, false);
    const res = decodeFile('cluster-resources-type-vm__community-proxmox-inventory.json') as d.GuestResource[];
    assert.deepEqual(res.map((r) => [r.id, r.vmid, r.template]), [
      ['lxc/100', 100, false], ['qemu/101', 101, false], ['qemu/102', 102, false], ['qemu/103', 103, false], ['qemu/9001', 9001, true],
    ]);
  });

  it('decodes every /cluster/resources type', () => {
    const res = decodeFile('cluster-resources__go-proxmox.json') as d.ClusterResource[];
    const types = new Set(res.map((r) => r.type));
    for (const t of ['qemu', 'node', 'storage'] as const) assert.ok(types.has(t), `no ${t}`);
    const storage = res.find((r): r is d.StorageResource => r.type === 'storage');
    assert.ok(storage && typeof storage.shared === 'boolean' && Array.isArray(storage.content));
    const pve9 = decodeFile('cluster-resources__community-proxmox-pve9.json') as d.GuestResource[];
    assert.equal(pve9[0].memhost, 860138496);
  });

  it('reads cluster status with 0/1 and true/false flags alike', () => {
    for (const file of ['cluster-status__go-proxmox.json', 'cluster-status__community-proxmox.json']) {
      const st = decodeFile(file) as d.ClusterStatusEntry[];
      const cluster = st.find((e): e is d.ClusterStatusCluster => e.type === 'cluster');
      assert.equal(cluster?.quorate, true);
      const nodes = st.filter((e): e is d.ClusterStatusNode => e.type === 'node');
      assert.equal(nodes.filter((n) => n.local).length, 1, file);
      assert.equal(nodes[0].level, file.includes('go-proxmox') ? undefined : 'c');
    }
  });

  it('parses qemu config compound strings (PVE 8.2 string memory, efidisk, cdrom)', () => {
    const cfg = decodeFile('nodes-node-qemu-vmid-config__proxbox-api-issue-144.json') as d.QemuConfig;
    assert.equal(cfg.memoryMiB, 3072);
    assert.equal(cfg.agent.enabled, true);
    assert.deepEqual(cfg.tags, ['xxx', 'xxxxx-xxx', 'xxxx']);
    assert.deepEqual(cfg.disks.map((x) => [x.key, x.storage, x.sizeBytes, x.media, x.backup]), [
      ['efidisk0', 'ceph-vm-data', 128 * 1024, 'disk', true],
      ['sata0', undefined, undefined, 'cdrom', false],
      ['sata1', 'ceph-vm-data', 50 * 1024 ** 3, 'disk', true],
    ]);
    assert.deepEqual(cfg.nets.map((n) => [n.key, n.model, n.macaddr, n.bridge]), [['net0', 'virtio', '00:50:56:b9:02:4d', 'v656']]);
    const multi = decodeFile('nodes-node-qemu-vmid-config__community-proxmox-inventory-103-multinic.json') as d.QemuConfig;
    assert.deepEqual(multi.nets.map((n) => n.bridge), ['vmbr0', 'vmbr1']);
    assert.deepEqual(multi.disks.map((x) => x.key), ['ide2', 'scsi0', 'scsi1', 'scsi2']);
    assert.equal(multi.agent.type, 'virtio');
  });

  it('parses lxc config mounts and nets, including bind mounts and raw lxc lines', () => {
    const cfg = decodeFile('nodes-node-lxc-vmid-config__go-proxmox.json') as d.LxcConfig;
    assert.deepEqual(cfg.disks.map((x) => [x.key, x.storage, x.mountpoint, x.backup]), [
      ['rootfs', 'vmstore', '/', true], ['mp0', undefined, '/storage', false],
    ]);
    assert.equal(cfg.disks[0].sizeBytes, 30 * 1024 ** 3);
    assert.equal(cfg.nets[0].ip, 'dhcp');
    assert.ok(Array.isArray(cfg.raw.lxc));
  });

  it('reads guest-agent interfaces, the agent error inside a 200, and flat container interfaces', () => {
    const ok = decodeFile('nodes-node-qemu-vmid-agent-network-get-interfaces__telmate-proxmox-api-go-pr-39.json') as d.AgentInterfaces;
    assert.equal(ok.error, undefined);
    assert.deepEqual(ok.interfaces[1].ipAddresses[0], { address: '192.168.0.123', family: 'ipv4', prefix: 24 });
    const err = decodeFile('nodes-node-qemu-vmid-agent-network-get-interfaces__community-proxmox-inventory-102-error.json') as d.AgentInterfaces;
    assert.deepEqual(err.interfaces, []);
    assert.equal(err.error?.class, 'Unsupported');
    const docker = decodeFile('nodes-node-qemu-vmid-agent-network-get-interfaces__community-proxmox-inventory-103-docker.json') as d.AgentInterfaces;
    assert.ok(docker.interfaces.some((i) => i.hardwareAddress === undefined && i.ipAddresses.length === 0));
    const ct = decodeFile('nodes-node-lxc-vmid-interfaces__go-proxmox.json') as d.LxcInterface[];
    assert.deepEqual(ct[1].ipAddresses, [
      { address: '192.168.3.95', family: 'ipv4', prefix: 22 }, { address: 'fe80::be24:11ff:fe89:6707', family: 'ipv6', prefix: 64 },
    ]);
  });

  it('reads node network quirks: string numbers, null exists, option arrays', () => {
    const net = decodeFile('nodes-node-network__go-proxmox-pve8-node1.json') as d.NodeNetworkInterface[];
    const vlan = net.find((n) => n.type === 'vlan');
    assert.equal(vlan?.vlanId, 2);
    assert.deepEqual(vlan?.options, ['metric 200']);
    const bridge = net.find((n) => n.iface === 'vmbr1');
    assert.deepEqual(bridge?.bridgePorts, ['eno1.2', 'vmbr2.10']);
    const node2 = decodeFile('nodes-node-network__go-proxmox-pve7-node2.json') as d.NodeNetworkInterface[];
    assert.equal(node2[0].mtu, 1500);
    assert.equal(node2[0].netmask6, 64);
  });

  it('reads snapshots with the current pseudo entry', () => {
    const snaps = decodeFile('nodes-node-qemu-vmid-snapshot__community-proxmox-inventory.json') as d.SnapshotEntry[];
    assert.deepEqual(snaps.map((s) => [s.name, s.current, s.snaptime]), [['clean', false, 1000], ['current', true, undefined]]);
  });

  it('reads storage: PBS backups, string retention, node status strings', () => {
    const content = decodeFile('nodes-node-storage-storage-content__community-proxmox.json') as d.StorageContentItem[];
    assert.equal(content[0].vmid, 931);
    assert.equal(d.parseBackupVolid(content[0].volid)?.epoch, content[0].ctime);
    const storages = decodeFile('storage__community-proxmox.json') as d.StorageConfig[];
    assert.deepEqual(storages[0].pruneBackups, { keepAll: true });
    assert.deepEqual(storages[1].nodes, ['node1', 'node2', 'node3']);
    const status = decodeFile('nodes-node-status__go-proxmox.json') as d.NodeStatus;
    assert.equal(status.cpuinfo?.mhz, 3400);
    assert.equal(status.loadavg.length, 3);
    const tasks = decodeFile('nodes-node-tasks__community-proxmox.json') as d.TaskEntry[];
    assert.equal(d.parseUpid(tasks[0].upid).pid, tasks[0].pid);
    assert.equal(d.parseUpid(tasks[0].upid).pstart, tasks[0].pstart);
    assert.equal(d.parseUpid(tasks[0].upid).starttime, tasks[0].starttime);
  });
});
