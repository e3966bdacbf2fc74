// Panels coming back in a real VS Code. A window reload would end this test run, so the serializer's path is taken
// through the test API's restore(): a new panel of the view type, handed to the same function VS Code calls after a
// reload, with a saved state as the view would have written it (or a broken one). The page a hidden panel loses is
// exercised for real: another editor hides the calendar, and showing it again restarts its view from getState.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { startSimulator, type RunningSimulator, type SimBackupJob } from '../../src/sim';
import { testing } from './extension';

const ENDPOINT = 'restore-sim';
const NAME = 'Restore test cluster';

describe('webviews: restored after a reload, re-shown after being hidden', function () {
  this.timeout(90_000);
  let sim: RunningSimulator;
  let job: SimBackupJob;
  let api: Awaited<ReturnType<typeof testing>>;

  before(async () => {
    api = await testing();
    sim = await startSimulator({ seed: 5, nodes: 1, guests: 4, jobs: 2 });
    job = sim.cluster.jobs[0];
    await api.addEndpoint({ id: ENDPOINT, name: NAME, url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, sim.tokenSecret);
    const result = await api.sync(ENDPOINT);
    assert.ok(result?.ok, `the sync failed: ${JSON.stringify(result)}`);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await api?.removeEndpoint(ENDPOINT).catch(() => undefined);
    await sim?.close();
  });

  it('reopens a routine panel on the job its saved state names', async () => {
    const panel = await api.webviews.restore('routine', { version: 1, endpointId: ENDPOINT, routineId: job.id, state: null });
    const text = await panel.waitForRender((t) => t.includes('Raw configuration'), 30_000);
    assert.match(text, new RegExp(`Backup job ${job.id}`));
    assert.ok(text.includes(job.schedule), `the schedule is missing:\n${text}`);
    // Titled in the names users gave (issue 11, item 8): the comment, or the id without Proxmox's 'backup-' and random tail.
    const title = `${job.comment || `Backup job ${job.id.slice('backup-'.length, 'backup-'.length + 8)}`} · ${NAME}`;
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith(title));
    assert.ok(tab, 'the restored panel is not titled after its job');
  });

  it('reads a routine state saved by an earlier Proxbox, without a version', async () => {
    const panel = await api.webviews.restore('routine', { endpointId: ENDPOINT, routineId: job.id, state: { status: 'loading' } });
    await panel.waitForRender((t) => t.includes('Raw configuration'), 30_000);
  });

  it('turns an unreadable routine state into a panel that offers to choose a job, not a blank or closed one', async () => {
    const panel = await api.webviews.restore('routine', { nonsense: true });
    const text = await panel.waitForRender((t) => t.includes('Open a backup job'), 30_000);
    assert.match(text, /cannot tell which backup job it showed .*Choose a job to show here, or close the panel\./s);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === 'Backup job');
    assert.equal(tabs.length, 1, 'the panel stays open for the user to choose');
  });

  it('opens a restored calendar with an unreadable state on the current month', async () => {
    const panel = await api.webviews.restore('calendar', { view: 'year', anchor: 'never', endpointId: 7 });
    const text = await panel.waitForRender((t) => /runs of \d+ backup job/.test(t), 30_000);
    assert.match(text, /Today/);
    assert.match(text, new RegExp(`${new Date().toLocaleString('en-GB', { month: 'long' })} ${new Date().getFullYear()}`));
  });

  it('keeps the calendar\'s filter when its page is discarded while hidden and shown again', async () => {
    await vscode.commands.executeCommand('proxbox.calendar.open', ENDPOINT);
    const calendar = api.webviews.calendar();
    await calendar.waitForRender((t) => t.includes(`Only ${NAME}.`), 30_000);
    const before = calendar.counts();
    // Another editor in the same group hides the calendar: VS Code discards a hidden webview's page (the panel does
    // not ask to retain it) and loads it again from scratch when it is shown, with what the page saved (getState).
    const doc = await vscode.workspace.openTextDocument({ content: 'hides the calendar' });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Active, preview: false });
    await vscode.commands.executeCommand('proxbox.calendar.open');
    const text = await calendar.waitForRender((t) => /runs of \d+ backup job/.test(t), 30_000, before.renders);
    assert.ok(calendar.counts().readies > before.readies, 'the calendar\'s page did not restart, so this test proves nothing about restoring it');
    assert.ok(text.includes(`Only ${NAME}.`), `the filter was lost when the page restarted:\n${text.slice(0, 400)}`);
  });
});
