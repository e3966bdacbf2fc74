// What an endpoint's tree rows say about its syncs (issue 11, item 3): an endpoint whose syncs never succeeded is not
// an empty, healthy cluster, and the error row's label is short enough to be read whole.
import { strict as assert } from 'node:assert';
import { endpointPhase, endpointStateText, holdsSyncedData, lastErrorLabel, shortCause } from '../../../src/ui/tree/endpointState';
import { emptyInventory } from '../../../src/core/inventory/model';
import { errorFromHttp } from '../../../src/core/proxmox/errors';
import { errorFromTransport } from '../../../src/core/proxmox/transportErrors';
import { explainError } from '../../../src/core/errors/explain';

const ref = { id: 'lab', name: 'lab', url: 'https://pve:8006', tokenId: 'root@pam!x' };
const socket = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
const ctx = { path: '/version', endpointName: 'lab', origin: 'https://pve:8006', pinned: false };

describe('ui: an endpoint\'s sync state in the tree', () => {
  it('an inventory saved by a failed first sync (a sync time, nothing else) is not synced data', () => {
    const inv = { ...emptyInventory(ref), syncedAt: '2026-01-01T00:00:00.000Z' };
    assert.equal(holdsSyncedData(inv, false), false);
    assert.equal(holdsSyncedData(undefined, true), false, 'no inventory at all');
    assert.equal(holdsSyncedData(inv, true), true, 'a successful sync of an empty cluster is data');
    assert.equal(holdsSyncedData({ ...inv, nodes: [{}] }, false), true, 'the nodes of a sync the history no longer keeps');
  });

  it('decides never synced, failed only and synced', () => {
    assert.equal(endpointPhase({ everRan: false, hasData: false }), 'never-synced');
    assert.equal(endpointPhase({ everRan: true, hasData: false }), 'failed-only');
    assert.equal(endpointPhase({ everRan: true, hasData: true }), 'synced');
    assert.equal(endpointPhase({ everRan: false, hasData: true }), 'synced', 'a history cleared after a good sync');
  });

  it('the endpoint row says its state in a few words', () => {
    const error = { category: 'authentication', message: 'x' };
    assert.equal(endpointStateText({ running: false, everRan: false, hasData: false }, undefined), 'never synced');
    assert.equal(endpointStateText({ running: false, everRan: true, hasData: false, lastError: error }, '2 min ago'), 'last sync failed');
    assert.equal(endpointStateText({ running: true, everRan: true, hasData: false, lastError: error }, undefined), 'syncing…');
    assert.equal(endpointStateText({ running: false, everRan: true, hasData: true }, '2 min ago'), 'synced 2 min ago');
  });

  it('labels the failure of each kind in a few words, from the category or, for another window\'s run, the message', () => {
    const auth = explainError(errorFromHttp({ status: 401, path: '/version', statusText: 'Authentication failed!', endpointName: 'lab' }));
    assert.equal(lastErrorLabel(auth), 'Last sync failed: API token rejected');
    assert.equal(lastErrorLabel({ message: auth.message }), 'Last sync failed: API token rejected', 'the message alone tells');
    assert.equal(shortCause(explainError(errorFromTransport(socket('ECONNREFUSED'), ctx))), 'connection refused');
    assert.equal(shortCause(explainError(errorFromTransport(socket('ENOTFOUND'), ctx))), 'host name not found');
    assert.equal(shortCause(explainError(errorFromTransport(socket('EHOSTUNREACH'), ctx))), 'host unreachable');
    assert.equal(shortCause(explainError(errorFromTransport(socket('DEPTH_ZERO_SELF_SIGNED_CERT'), ctx))), 'certificate not trusted');
    assert.equal(shortCause(explainError(errorFromHttp({ status: 403, path: '/nodes', endpointName: 'lab' }))), 'permission denied');
    assert.equal(lastErrorLabel({ message: 'the window closed' }), 'Last sync failed', 'nothing short is known: no cut text');
  });

  it('no label is longer than a sidebar row holds', () => {
    for (const category of ['authentication', 'permission', 'connection', 'timeout', 'validation', 'not_found', 'rate_limit', 'internal', 'unknown']) {
      assert.ok(lastErrorLabel({ category, message: 'x'.repeat(300) }).length <= 40, category);
    }
  });
});
