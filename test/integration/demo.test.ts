// The whole stack inside VS Code's extension host: the shipped simulator serving HTTPS on 127.0.0.1, the endpoint
// with its secret in SecretStorage, the 12-stage pipeline and the tree built from the stored inventory.
import { strict as assert } from 'node:assert';
import { metric, testing } from './extension';

describe('the simulated cluster in the extension host', () => {
  let api: Awaited<ReturnType<typeof testing>>;
  let endpointId = '';
  before(async () => { api = await testing(); });
  // The UI suite runs later in the same VS Code profile and expects no endpoint.
  after(async () => { if (endpointId) await api.removeEndpoint(endpointId); });

  it('syncs and shows every enabled backup routine with its next run', async function () {
    this.timeout(120_000);
    const endpoint = await api.startDemo();
    endpointId = endpoint.id;
    const started = performance.now();
    const result = await api.sync(endpoint.id);
    const ms = performance.now() - started;
    assert.equal(result?.ok, true, `the sync did not succeed: ${JSON.stringify(result)}`);
    metric('demo sync in the extension host', `${ms.toFixed(0)} ms`);

    const tree = await api.treeSnapshot(3);
    const node = tree.find((n) => n.label === endpoint.name);
    assert.ok(node, `no tree item for ${endpoint.name}: ${tree.map((n) => n.label).join(', ')}`);
    const routines = node.children?.find((c) => c.label === 'Backup Jobs')?.children ?? [];
    const enabled = routines.filter((r) => !/disabled/.test(r.description ?? ''));
    assert.ok(enabled.length > 0, `no enabled routine in the tree: ${JSON.stringify(node.children)}`);
    for (const r of enabled) assert.match(r.description ?? '', /next in/, `routine "${r.label}" shows no next run`);
  });

  it('removes the endpoint and its inventory again', async () => {
    assert.ok(endpointId, 'the previous test added no endpoint');
    await api.removeEndpoint(endpointId);
    assert.deepEqual(api.listEndpoints().filter((e) => e.id === endpointId), []);
    endpointId = '';
  });
});
