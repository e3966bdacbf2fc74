import { strict as assert } from 'node:assert';
import { HealthController, type EndpointHealthReport, type HealthSource } from '../../src/ui/webviews/healthController';
import { guest, NOW, report } from './webviewHealthFixtures';

describe('webview health controller', () => {
  it('answers load with every endpoint\'s report and the extension\'s clock, and forwards the actions', async () => {
    const reports: EndpointHealthReport[] = [{ endpointId: 'pve1', endpointName: 'Lab', report: report([guest(100, 'failed')]), routineNames: { 'backup-daily': 'Nightly' } }];
    const source: HealthSource = { reports: () => reports, onDidChange: () => ({ dispose: () => undefined }) };
    const calls: string[] = [];
    const c = new HealthController(source, {
      openRoutine: async (e, r) => calls.push(`open ${e}/${r}`),
      syncAll: async () => calls.push('sync'),
    }, () => NOW);
    const data = await c.handlers.load(null);
    assert.equal(data.now, NOW);
    assert.deepEqual(data.endpoints.map((e) => [e.endpointId, e.endpointName, e.report.guests.length, e.routineNames['backup-daily']]), [['pve1', 'Lab', 1, 'Nightly']]);
    assert.equal(await c.handlers.openRoutine({ endpointId: 'pve1', routineId: 'backup-daily' }), null);
    assert.equal(await c.handlers.syncAll(null), null);
    assert.deepEqual(calls, ['open pve1/backup-daily', 'sync']);
  });

  it('passes a failing source on as the load\'s error (the view shows it with Try again)', async () => {
    const source: HealthSource = { reports: () => Promise.reject(new Error('The inventory of pve1 could not be read.')), onDidChange: () => ({ dispose: () => undefined }) };
    const c = new HealthController(source, { openRoutine: async () => null, syncAll: async () => null }, () => NOW);
    await assert.rejects(c.handlers.load(null), /could not be read/);
  });
});
