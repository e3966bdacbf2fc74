// The two webviews in a real VS Code: a simulated cluster is synced, then the routine detail and the backup calendar
// are opened through their commands; each view posts a text snapshot of what it rendered, which the tests read
// through the extension's test exports.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { startSimulator, type RunningSimulator, type SimBackupJob } from '../../src/sim';
import { testing } from './extension';

const ENDPOINT = 'webview-sim';
const XSS = '<img src=x onerror=alert(1)>';

describe('webviews: routine detail and backup calendar', function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let job: SimBackupJob;
  let api: Awaited<ReturnType<typeof testing>>;

  before(async () => {
    api = await testing();
    sim = await startSimulator({ seed: 7, nodes: 2, guests: 8, jobs: 3 });
    job = sim.cluster.jobs.find((j) => j.enabled === 1 && j.vmid) ?? sim.cluster.jobs[0];
    job.comment = XSS;
    await api.addEndpoint({ id: ENDPOINT, name: 'Webview test cluster', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, sim.tokenSecret);
    const result = await api.sync(ENDPOINT);
    assert.ok(result?.ok, `the sync failed: ${JSON.stringify(result)}`);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api?.removeEndpoint(ENDPOINT).catch(() => undefined);
    await sim?.close();
  });

  it('shows a synced routine with its schedule, next runs, guests and raw config, and Proxmox text literally', async () => {
    await vscode.commands.executeCommand('proxbox.routine.open', ENDPOINT, job.id);
    const text = await api.webviews.waitForRoutineRender(ENDPOINT, job.id, (t) => t.includes('Raw configuration'), 30_000);
    assert.match(text, new RegExp(`Backup job ${job.id}`));
    assert.ok(text.includes(XSS), `the comment is not shown literally:\n${text}`);
    assert.ok(text.includes(job.schedule), 'the schedule as written is missing');
    assert.match(text, /In plain words/);
    assert.match(text, /Next 10 runs/);
    const guests = sim.cluster.guests.filter((g) => job.vmid?.split(',').map(Number).includes(g.vmid));
    for (const g of guests) assert.ok(text.includes(g.name), `guest ${g.vmid} ${g.name} is not named`);
    assert.match(text, /Sync now/);
  });

  it('opens the same panel again instead of a second one', async () => {
    await vscode.commands.executeCommand('proxbox.routine.open', { endpointId: ENDPOINT, routineId: job.id });
    // The tab is titled with the job's comment and the endpoint's name (issue 11, item 8).
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === `${XSS} · Webview test cluster`);
    assert.equal(tabs.length, 1);
  });

  it('explains a routine that is not in the inventory instead of showing an empty page', async () => {
    await vscode.commands.executeCommand('proxbox.routine.open', ENDPOINT, 'no-such-job');
    const text = await api.webviews.waitForRoutineRender(ENDPOINT, 'no-such-job', (t) => t.includes('no-such-job') && !t.includes('Loading'), 30_000);
    assert.match(text, /is not in the inventory of Webview test cluster.*sync the endpoint/s);
  });

  it('shows every job of the endpoint in the calendar, today marked, with the comment as text', async () => {
    await vscode.commands.executeCommand('proxbox.calendar.open', ENDPOINT);
    const text = await api.webviews.waitForCalendarRender((t) => /runs of \d+ backup job/.test(t) && t.includes(XSS), 30_000);
    assert.match(text, /Today/);
    for (const j of sim.cluster.jobs) assert.ok(text.includes(j.schedule), `job ${j.id} (${j.schedule}) is not in the legend`);
  });
});
