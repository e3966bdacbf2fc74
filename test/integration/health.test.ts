// Backup health in a real VS Code: the simulator's health scenario (a failed guest, an offline storage, a missed run,
// guests in no job, a failed verification) is synced, and what the scenario planted must show up in the report, the
// tree, the status bar, the Backup Health view, the calendar, a notification, and (through a policy file in the opened
// workspace) the Problems panel. Expectations come from the scenario's own record of what it planted.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { startSimulator, type RunningSimulator } from '../../src/sim';
import type { GuestHealth, HealthReport } from '../../src/core/health/types';
import { testing } from './extension';

type Api = Awaited<ReturnType<typeof testing>>;
type Snap = Awaited<ReturnType<Api['treeSnapshot']>>[number];
const find = (nodes: Snap[] | undefined, label: string | RegExp): Snap | undefined =>
  nodes?.find((n) => (typeof label === 'string' ? n.label === label : label.test(n.label)));

const ENDPOINT = 'health-sim';
const NAME = 'Health test cluster';

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('backup health: report, tree, status bar, views, notifications and the policy file', function () {
  this.timeout(120_000);
  let sim: RunningSimulator;
  let api: Api;
  let report: HealthReport;
  const guest = (vmid: number): GuestHealth => {
    const g = report.guests.find((x) => x.vmid === vmid);
    assert.ok(g, `guest ${vmid} is not in the report`);
    return g;
  };
  const reportOf = async (): Promise<HealthReport> => {
    const r = (await api.health()).find((h) => h.endpointId === ENDPOINT)?.report;
    assert.ok(r, 'no health report for the endpoint');
    return r;
  };

  before(async () => {
    api = await testing();
    sim = await startSimulator({ scenario: 'health' });
    await api.addEndpoint({ id: ENDPOINT, name: NAME, url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, sim.tokenSecret);
    const result = await api.sync(ENDPOINT);
    assert.ok(result?.ok, `the sync failed: ${JSON.stringify(result)}`);
    report = await reportOf();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder) await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder.uri, 'proxbox.policy.json')).then(undefined, () => undefined);
    await api?.removeEndpoint(ENDPOINT).catch(() => undefined);
    await sim?.close();
  });

  it('finds exactly what the scenario planted: failed guests with Proxmox\'s words, guests in no job, a failed verification', () => {
    const planted = sim.cluster.scenario?.planted ?? [];
    assert.ok(planted.length > 5, 'the scenario planted nothing');
    for (const p of planted) {
      if (p.kind === 'failed-guest') {
        const g = guest(p.vmid!);
        assert.equal(g.status, 'failed', `${p.vmid}: ${JSON.stringify(g)}`);
        assert.ok(g.reason.includes(p.reason!.slice(0, 40)), `${p.vmid}: the reason does not quote Proxmox: ${g.reason}`);
      }
      if (p.kind === 'not-covered') assert.equal(guest(p.vmid!).status, 'not-covered');
      if (p.kind === 'disabled-only') assert.match(guest(p.vmid!).reason, /disabled/);
      if (p.kind === 'added-after-last-run') assert.equal(guest(p.vmid!).status, 'never');
    }
    for (const p of planted) {
      if (p.kind !== 'job-error') continue;
      const run = report.routines.find((r) => r.jobId === p.jobId)?.runs.find((r) => r.node === p.node && r.scheduled === p.scheduled);
      assert.equal(run?.status, 'failed', `the run that failed before any guest: ${JSON.stringify(p)} → ${JSON.stringify(run)}`);
      assert.ok(run.jobError?.includes('not online'), JSON.stringify(run));
    }
    const missed = planted.filter((p) => p.kind === 'missed-run');
    for (const m of missed) {
      const runs = report.routines.find((r) => r.jobId === m.jobId)?.runs ?? [];
      assert.equal(runs.find((r) => r.node === m.node && r.scheduled === m.scheduled)?.status, 'missed', JSON.stringify(m));
    }
    assert.ok(report.guests.some((g) => g.status === 'verify-failed'), 'the failed verification is not reported');
    const problems = report.guests.filter((g) => g.status !== 'ok' && g.status !== 'excluded').length;
    assert.ok(problems > 0 && report.summary.ok > 0, JSON.stringify(report.summary));
  });

  it('puts Backup Health first under the endpoint, grouped by status with counts, and marks guests and routines', async () => {
    api.flushTree();
    const tree = await api.treeSnapshot(4);
    const ep = find(tree, NAME);
    assert.ok(ep?.children, JSON.stringify(tree));
    const problems = report.guests.filter((g) => g.status !== 'ok' && g.status !== 'excluded').length;
    assert.match(ep.description ?? '', new RegExp(`${problems} backup problems?`));
    const health = ep.children[0];
    assert.equal(health.label, 'Backup Health');
    const failed = find(health.children, 'Failed');
    assert.equal(failed?.description, String(report.summary.failed));
    assert.equal(find(health.children, 'Not covered')?.description, String(report.summary['not-covered']));
    const failedGuest = report.guests.find((g) => g.status === 'failed')!;
    const row = failed?.children?.find((c) => c.label.startsWith(`${failedGuest.vmid} `));
    assert.ok(row, JSON.stringify(failed));
    assert.equal(row.description, failedGuest.reason);
    const routines = find(ep.children, 'Backup Jobs');
    assert.ok(routines?.children?.some((r) => /last run ✗/.test(r.description ?? '')), JSON.stringify(routines?.children?.map((r) => r.description)));
  });

  it('shows the count in the status bar while some guest is not ok', () => {
    const s = api.healthStatus();
    assert.equal(s.visible, true);
    assert.match(s.text, /\$\(warning\) \d+ backup problems?/);
  });

  it('opens the Backup Health view with the failed guests and their reasons, problems first', async () => {
    await vscode.commands.executeCommand('proxbox.health.open', ENDPOINT);
    const failedGuest = report.guests.find((g) => g.status === 'failed')!;
    const text = await api.webviews.health().waitForRender((t) => t.includes(failedGuest.name), 30_000);
    assert.match(text, /Failed/);
    assert.ok(text.indexOf(failedGuest.name) < text.indexOf(report.guests.find((g) => g.status === 'ok')!.name),
      'problems are not listed before ok guests');
  });

  it('shows past runs in the calendar with their outcome', async () => {
    await vscode.commands.executeCommand('proxbox.calendar.open', ENDPOINT);
    const text = await api.webviews.calendar().waitForRender((t) => t.includes('✗') || t.includes('failed'), 30_000);
    assert.match(text, /✓/, 'no past run shows as ran OK');
  });

  it('raises one notification naming the guests that newly failed after a sync', async () => {
    const before = api.healthNotifications().length;
    // A guest that is ok now fails in its routine's newest run (the task says so, and its backup from that run is gone).
    const ok = report.guests.find((g) => g.status === 'ok' && g.routines.length > 0)!;
    const routine = report.routines.find((r) => r.jobId === ok.routines[0])!;
    const run = [...routine.runs].reverse().find((r) => r.node === ok.node && r.status === 'ok' && r.task);
    assert.ok(run, `no ok run of ${routine.jobId} on ${ok.node}`);
    const task = sim.cluster.tasks.find((t) => t.upid === run.task);
    assert.ok(task?.vzdump, 'the simulator has no vzdump record for the task');
    task.status = 'job errors';
    task.vzdump.failed = { ...(task.vzdump.failed ?? {}), [String(ok.vmid)]: 'vma_queue_write: write error - Broken pipe' };
    sim.cluster.backups = sim.cluster.backups.filter((b) => !(b.vmid === ok.vmid && b.ctime >= task.starttime));
    const result = await api.sync(ENDPOINT);
    assert.ok(result?.ok, JSON.stringify(result));
    report = await reportOf();
    assert.equal(guest(ok.vmid).status, 'failed', JSON.stringify(guest(ok.vmid)));
    assert.match(guest(ok.vmid).reason, /Broken pipe/);
    const messages = await until('the notification', () => {
      const m = api.healthNotifications();
      return m.length > before ? m.slice(before) : undefined;
    });
    assert.equal(messages.length, 1);
    assert.ok(messages[0].includes(`(${ok.vmid})`), messages[0]);
    assert.ok(messages[0].includes(NAME), messages[0]);
  });

  it('turns a workspace policy into Problems panel entries on the rules\' lines, and a broken file into an error', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test VS Code has no workspace folder');
    const uri = vscode.Uri.joinPath(folder.uri, 'proxbox.policy.json');
    const notCovered = report.guests.find((g) => g.status === 'not-covered')!;
    const ok = report.guests.find((g) => g.status === 'ok' && g.lastBackup !== null && report.now - g.lastBackup > 2 * 3600)!;
    assert.ok(ok, 'no ok guest whose newest backup is older than 2 h');
    const policy = [
      '{',
      '  "rules": [',
      `    { "match": { "vmid": [${notCovered.vmid}] }, "exclude": true, "reason": "backed up by the storage team" },`,
      `    { "match": { "vmid": [${ok.vmid}] }, "maxAgeHours": 1 }`,
      '  ]',
      '}',
    ].join('\n');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(policy));
    const warnings = await until('the policy diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.severity === vscode.DiagnosticSeverity.Warning);
      return d.length ? d : undefined;
    });
    const onRule = warnings.find((d) => d.range.start.line === 3);
    assert.ok(onRule, JSON.stringify(warnings.map((d) => [d.range.start.line, d.message])));
    assert.ok(onRule.message.includes(`(${ok.vmid})`) && onRule.message.includes(NAME), onRule.message);
    report = await reportOf();
    assert.equal(guest(notCovered.vmid).status, 'excluded');
    assert.equal(guest(notCovered.vmid).reason, 'backed up by the storage team');
    assert.equal(guest(ok.vmid).status, 'overdue');

    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('{ "rules": [ { "match": { "vmid": [101] }, "exclude": true } ] }'));
    const errors = await until('the error for a broken policy', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.severity === vscode.DiagnosticSeverity.Error);
      return d.length ? d : undefined;
    });
    assert.match(errors[0].message, /reason/);
  });
});
