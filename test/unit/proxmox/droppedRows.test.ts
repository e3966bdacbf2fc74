// One malformed row costs a listing only that row: for every listing the pipeline reads, a body the simulator
// serves, with two broken rows slipped in, decodes to exactly the valid rows, and each broken row is reported with
// the path, its index, the field and what was wrong.
import { strict as assert } from 'node:assert';
import { startSimulator, type RunningSimulator } from '../../../src/sim';
import {
  decodeAgentInterfaces, decodeBackupJobs, decodeClusterResources, decodeClusterStatus, decodeData, decodeGuestList,
  decodeLxcInterfaces, decodeNodeNetwork, decodeNodes, decodeNodeStorageList, decodeNotBackedUp, decodeReplication,
  decodeSnapshots, decodeStorageContent, decodeStorageIndex, decodeTasks, describeDroppedRow, type Decoder,
} from '../../../src/core/proxmox';
import { api } from '../sim/http';

type Listing = { path: string; decode: Decoder<unknown>; rows: (data: unknown) => unknown[]; wrap?: (rows: unknown[], data: unknown) => unknown };

const plain = (data: unknown): unknown[] => data as unknown[];

describe('listings keep their valid rows when one is malformed', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let listings: Listing[];

  before(async () => {
    sim = await startSimulator({ seed: 3, nodes: 2, guests: 12, jobs: 4 });
    const c = sim.cluster;
    const node = c.nodes[0].name;
    const qemu = c.guests.find((g) => g.type === 'qemu' && g.status === 'running' && g.agent && g.agentRunning)!;
    const lxc = c.guests.find((g) => g.type === 'lxc' && g.status === 'running')!;
    const storage = c.storages.find((s) => s.content.includes('backup') && !s.shared)!;
    assert.ok(qemu && lxc && storage, 'the seed has a running agent guest, a running container and a local backup storage');
    const agentRows = (data: unknown): unknown[] => (data as { result: unknown[] }).result;
    listings = [
      { path: '/cluster/status', decode: decodeClusterStatus, rows: plain },
      { path: '/cluster/resources', decode: decodeClusterResources, rows: plain },
      { path: '/cluster/replication', decode: decodeReplication, rows: plain },
      { path: '/cluster/backup', decode: decodeBackupJobs, rows: plain },
      { path: '/cluster/backup-info/not-backed-up', decode: decodeNotBackedUp, rows: plain },
      { path: '/storage', decode: decodeStorageIndex, rows: plain },
      { path: '/nodes', decode: decodeNodes, rows: plain },
      { path: `/nodes/${node}/storage`, decode: decodeNodeStorageList, rows: plain },
      { path: `/nodes/${storage.nodes?.[0] ?? node}/storage/${storage.storage}/content?content=backup`, decode: decodeStorageContent, rows: plain },
      { path: `/nodes/${node}/tasks`, decode: decodeTasks, rows: plain },
      { path: `/nodes/${node}/network`, decode: decodeNodeNetwork, rows: plain },
      { path: `/nodes/${qemu.node}/qemu`, decode: decodeGuestList, rows: plain },
      { path: `/nodes/${lxc.node}/lxc`, decode: decodeGuestList, rows: plain },
      { path: `/nodes/${qemu.node}/qemu/${qemu.vmid}/snapshot`, decode: decodeSnapshots, rows: plain },
      { path: `/nodes/${lxc.node}/lxc/${lxc.vmid}/interfaces`, decode: decodeLxcInterfaces, rows: plain },
      {
        path: `/nodes/${qemu.node}/qemu/${qemu.vmid}/agent/network-get-interfaces`, decode: decodeAgentInterfaces, rows: agentRows,
        wrap: (rows, data) => ({ ...(data as object), result: rows }),
      },
    ];
  });
  after(async () => sim.close());

  it('for every listing the pipeline reads', async () => {
    let checked = 0;
    for (const l of listings) {
      const res = await api(sim, l.path);
      assert.equal(res.status, 200, `${l.path}: ${res.body}`);
      const data = (res.json as { data: unknown }).data;
      const rows = l.rows(data);
      assert.ok(rows.length >= 1, `${l.path} lists something`);
      const whole = l.decode(data, 'data');
      // Row 1 is not an object at all; row 3 is the first row without one of its fields (the one named first).
      const first = rows[0] as Record<string, unknown>;
      const firstKey = Object.keys(first).find((k) => {
        const copy = { ...first };
        delete copy[k];
        const r = decodeData(l.wrap ? l.wrap([copy], data) : [copy], l.decode, l.path);
        return r.dropped.length === 1;
      });
      assert.ok(firstKey, `${l.path}: some field of a row is required`);
      const broken = { ...first };
      delete broken[firstKey];
      const mixed = [rows[0], 'garbage', ...rows.slice(1, 2), broken, ...rows.slice(2)];
      const { value, dropped } = decodeData(l.wrap ? l.wrap(mixed, data) : mixed, l.decode, l.path);
      assert.deepEqual(value, whole, `${l.path}: exactly the valid rows, in order`);
      assert.equal(dropped.length, 2, l.path);
      assert.deepEqual(dropped[0], { path: l.path, index: 1, label: null, field: '', problem: 'expected an object, got the string "garbage"' });
      assert.equal(dropped[1].path, l.path);
      assert.equal(dropped[1].index, rows.length >= 2 ? 3 : 2);
      assert.ok(dropped[1].field.length > 0 && dropped[1].problem.length > 0, JSON.stringify(dropped[1]));
      assert.ok(describeDroppedRow(dropped[1]).startsWith(`GET ${l.path}: row ${dropped[1].index} `));
      checked++;
    }
    assert.equal(checked, 16);
  });

  it('names the row, the field and the problem in one line', async () => {
    const res = await api(sim, '/storage');
    const rows = (res.json as { data: Record<string, unknown>[] }).data;
    const { value, dropped } = decodeData([...rows, { storage: 'bad', type: 'dir', shared: 'sometimes' }], decodeStorageIndex, '/storage');
    assert.equal(value.length, rows.length);
    assert.equal(describeDroppedRow(dropped[0]), `GET /storage: row ${rows.length} (storage "bad") left out: shared: expected a boolean (0/1), got the string "sometimes"`);
  });

  it('still refuses a body that is not a listing at all', () => {
    assert.throws(() => decodeData({ rows: [] }, decodeTasks, '/nodes/pve1/tasks'), /data: expected an array, got an object/);
  });
});
