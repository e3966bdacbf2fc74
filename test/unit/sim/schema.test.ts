// Every endpoint of the official schema subset is requested from the simulator and each answer is checked against
// PVE's schema. Keys the schema does not document are only accepted where the real servers send them (the
// `_notes` of the subset file and the captured responses in test/fixtures/real-responses say so).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture } from '../../helpers/paths';
import { PveSchema, validatePve } from '../../helpers/pveSchema';
import { startSimulator, RunningSimulator } from '../../../src/sim';
import { api } from './http';

interface SubsetFile {
  endpoints: Record<string, { GET: { returns: PveSchema } }>;
}

/** Undocumented keys that real PVE sends, per endpoint, as normalised paths ("data[].type"). */
const REAL_EXTRAS: Record<string, string[]> = {
  '/nodes': ['data[].id', 'data[].type', 'data[].disk', 'data[].maxdisk'],
  '/nodes/{node}/status': ['data.cpuinfo.mhz', 'data.cpuinfo.hvm', 'data.cpuinfo.user_hz', 'data.cpuinfo.flags'],
  '/nodes/{node}/storage/{storage}/content': ['data[].content', 'data[].subtype'],
  '/nodes/{node}/network': ['data[].bridge_stp', 'data[].bridge_fd'],
  '/nodes/{node}/qemu': ['data[].disk'],
  '/nodes/{node}/lxc': ['data[].type', 'data[].swap', 'data[].pid'],
  '/nodes/{node}/qemu/{vmid}/status/current': ['data.disk'],
  '/nodes/{node}/lxc/{vmid}/status/current': ['data.type', 'data.swap', 'data.pid'],
  '/nodes/{node}/qemu/{vmid}/snapshot': ['data[].digest', 'data[].running'],
  '/nodes/{node}/lxc/{vmid}/snapshot': ['data[].digest', 'data[].running'],
  '/cluster/backup': ['data[].type'],
  '/cluster/backup/{id}': ['data.type'],
  '/cluster/config/nodes': ['data[].name', 'data[].nodeid', 'data[].quorum_votes', 'data[].ring0_addr'],
  '/storage': ['type', 'content', 'digest', 'shared', 'nodes', 'disable', 'path', 'server', 'export', 'datastore', 'username',
    'fingerprint', 'pool', 'vgname', 'thinpool', 'prune-backups', 'max-protected-backups'].map((k) => `data[].${k}`),
};

/** PVE 8.4's schema documents less than its code returns (proxmox-api.md §1, "Schema changes 8.4 → 9.1.3"). */
const REAL_EXTRAS_84: Record<string, string[]> = {
  '/cluster/resources': ['data[].shared', 'data[].sdn'],
  '/cluster/replication': ['id', 'guest', 'jobnum', 'target', 'source', 'schedule', 'rate', 'comment', 'disable', 'type'].map((k) => `data[].${k}`),
  '/cluster/backup': ['all', 'bwlimit', 'comment', 'compress', 'enabled', 'exclude', 'fleecing', 'mailnotification', 'mailto', 'mode',
    'next-run', 'node', 'notes-template', 'notification-mode', 'notification-policy', 'performance', 'pool', 'protected',
    'prune-backups', 'repeat-missed', 'schedule', 'storage', 'vmid', 'pbs-change-detection-mode'].map((k) => `data[].${k}`),
};

const normalise = (path: string): string => path.replace(/\[\d+\]/g, '[]');

/** Concrete request paths for each schema path, from the simulator's own model. */
function requestsFor(sim: RunningSimulator): Map<string, string[]> {
  const c = sim.cluster;
  const m = new Map<string, string[]>();
  const add = (template: string, path: string): void => void m.set(template, [...(m.get(template) ?? []), path]);
  add('/version', '/version');
  add('/cluster/status', '/cluster/status');
  for (const q of ['', '?type=vm', '?type=node', '?type=storage', '?type=sdn']) add('/cluster/resources', `/cluster/resources${q}`);
  add('/nodes', '/nodes');
  add('/cluster/options', '/cluster/options');
  add('/cluster/config/nodes', '/cluster/config/nodes');
  add('/pools', '/pools');
  add('/pools', `/pools?poolid=${c.pools[0].poolid}`);
  for (const p of c.pools) add('/pools/{poolid}', `/pools/${p.poolid}`);
  add('/cluster/replication', '/cluster/replication');
  add('/cluster/backup', '/cluster/backup');
  add('/cluster/backup-info/not-backed-up', '/cluster/backup-info/not-backed-up');
  add('/storage', '/storage');
  for (const j of c.jobs) {
    add('/cluster/backup/{id}', `/cluster/backup/${j.id}`);
    add('/cluster/backup/{id}/included_volumes', `/cluster/backup/${j.id}/included_volumes`);
    add('/cluster/jobs/schedule-analyze', `/cluster/jobs/schedule-analyze?schedule=${encodeURIComponent(j.schedule)}&iterations=5`);
  }
  for (const n of c.nodes) {
    const base = `/nodes/${n.name}`;
    add('/nodes/{node}/status', `${base}/status`);
    add('/nodes/{node}/time', `${base}/time`);
    add('/nodes/{node}/network', `${base}/network`);
    add('/nodes/{node}/tasks', `${base}/tasks?limit=1000`);
    add('/nodes/{node}/storage', `${base}/storage`);
    add('/nodes/{node}/storage', `${base}/storage?format=1&content=images`);
    add('/nodes/{node}/qemu', `${base}/qemu`);
    add('/nodes/{node}/qemu', `${base}/qemu?full=1`);
    add('/nodes/{node}/lxc', `${base}/lxc`);
    for (const s of c.storages.filter((x) => !x.disable && (!x.nodes || x.nodes.includes(n.name)))) {
      add('/nodes/{node}/storage/{storage}/content', `${base}/storage/${s.storage}/content`);
      add('/nodes/{node}/storage/{storage}/content', `${base}/storage/${s.storage}/content?content=backup`);
    }
  }
  for (const g of c.guests) {
    const base = `/nodes/${g.node}/${g.type}/${g.vmid}`;
    add(`/nodes/{node}/${g.type}/{vmid}/config`, `${base}/config`);
    add(`/nodes/{node}/${g.type}/{vmid}/snapshot`, `${base}/snapshot`);
    add(`/nodes/{node}/${g.type}/{vmid}/status/current`, `${base}/status/current`);
    if (g.type === 'qemu' && g.agent && g.agentRunning && g.status === 'running') {
      add('/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces', `${base}/agent/network-get-interfaces`);
    }
    if (g.type === 'lxc' && g.status === 'running') add('/nodes/{node}/lxc/{vmid}/interfaces', `${base}/interfaces`);
  }
  return m;
}

async function checkAll(sim: RunningSimulator, subset: SubsetFile, extrasFor: (template: string) => string[]): Promise<number> {
  const problems: string[] = [];
  const requests = requestsFor(sim);
  let checked = 0;
  for (const template of Object.keys(subset.endpoints)) {
    const paths = requests.get(template);
    assert.ok(paths?.length, `no request planned for ${template}: every endpoint in the subset must be served`);
    const schema = subset.endpoints[template].GET.returns;
    const allowed = new Set(extrasFor(template));
    for (const path of paths) {
      const res = await api(sim, path);
      if (res.status !== 200) {
        problems.push(`${path}: HTTP ${res.status} ${res.statusMessage}`);
        continue;
      }
      const body = res.json as { data: unknown };
      const report = validatePve(schema, body.data);
      for (const e of report.errors) problems.push(`${path}: ${e}`);
      for (const x of report.extra) if (!allowed.has(normalise(x))) problems.push(`${path}: undocumented key ${x}`);
      checked++;
    }
  }
  assert.deepEqual(problems.slice(0, 30), [], `${problems.length} problems`);
  return checked;
}

describe('simulator: responses match the official PVE schema', function () {
  this.timeout(60_000);
  let sim: RunningSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('PVE 9.1: every endpoint of pve-api-subset.json, every node, guest, storage and job', async () => {
    const subset = JSON.parse(readFileSync(fixture('pve-api-subset.json'), 'utf8')) as SubsetFile;
    sim = await startSimulator({ seed: 11, nodes: 3, guests: 40, jobs: 8, now: 1_795_000_000 });
    const checked = await checkAll(sim, subset, (t) => REAL_EXTRAS[t] ?? []);
    assert.ok(checked > 200, `only ${checked} responses checked`);
  });

  it('PVE 8.4: the same endpoints against the 8.4 schema', async () => {
    const subset = JSON.parse(readFileSync(fixture('pve-api-subset-8.4.json'), 'utf8')) as SubsetFile;
    sim = await startSimulator({ seed: 12, nodes: 2, guests: 20, jobs: 6, pveVersion: '8.4', now: 1_795_000_000 });
    await checkAll(sim, subset, (t) => [...(REAL_EXTRAS[t] ?? []), ...(REAL_EXTRAS_84[t] ?? [])]);
  });

  it('detects a wrong shape (the validator is not a rubber stamp)', () => {
    const subset = JSON.parse(readFileSync(fixture('pve-api-subset.json'), 'utf8')) as SubsetFile;
    const schema = subset.endpoints['/cluster/resources'].GET.returns;
    assert.equal(validatePve(schema, [{ id: 'qemu/100', type: 'qemu', vmid: 100 }]).errors.length, 0);
    assert.ok(validatePve(schema, [{ id: 'qemu/100', type: 'vm' }]).errors[0].includes('not one of'));
    assert.ok(validatePve(schema, [{ type: 'qemu' }]).errors[0].includes('required'));
    assert.ok(validatePve(schema, [{ id: 'x', type: 'qemu', vmid: 'abc' }]).errors[0].includes('integer'));
    assert.deepEqual(validatePve(schema, [{ id: 'x', type: 'qemu', invented: 1 }]).extra, ['data[0].invented']);
  });
});
