// Issue 11, items 8 and 9 (part) in a real VS Code: syncs, sync schedules and their logs are named as people know
// them (the endpoint's name, the schedule in words, the run's time), never by id; the tree says "Backup Jobs" and
// "Syncs"; a Proxmox calendar event is taken where cron is asked; a wrong cron field is named with its range.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { startSimulator, type RunningSimulator } from '../../src/sim';
import { testing } from './extension';

const ID = 'words-sim';
const NAME = 'Words cluster';
const STAMP = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/;

describe('words: names users gave and one vocabulary', function () {
  this.timeout(90_000);
  let sim: RunningSimulator;
  let api: Awaited<ReturnType<typeof testing>>;
  let runId: string;

  before(async () => {
    api = await testing();
    sim = await startSimulator({ seed: 11, nodes: 1, guests: 4, jobs: 2 });
    await api.addEndpoint({ id: ID, name: NAME, url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint }, sim.tokenSecret);
    const result = await api.sync(ID);
    assert.ok(result?.ok, `the sync failed: ${JSON.stringify(result)}`);
    runId = api.runs().find((r) => r.endpointId === ID)!.id;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Removing the endpoint deletes the schedules that sync only it.
    await api?.removeEndpoint(ID).catch(() => undefined);
    await sim?.close();
  });

  async function endpointNode() {
    api.flushTree();
    const ep = (await api.treeSnapshot()).find((n) => n.label === NAME);
    assert.ok(ep, `no tree node for ${NAME}`);
    return ep;
  }

  it('the tree says "Backup Jobs" and "Syncs", and names a run by its time, not its id', async () => {
    const ep = await endpointNode();
    const labels = (ep.children ?? []).map((c) => c.label);
    assert.ok(labels.includes('Backup Jobs'), labels.join(' | '));
    assert.ok(labels.includes('Syncs'), labels.join(' | '));
    const run = ep.children?.find((c) => c.label === 'Syncs')?.children?.find((c) => c.contextValue === 'proxbox.job.finished');
    assert.ok(run, 'the sync is not listed under Syncs');
    assert.match(run.label, new RegExp(`^Full sync, ${STAMP.source}$`));
    assert.ok(run.tooltip?.startsWith(`Full sync of ${NAME}, `), run.tooltip);
  });

  it('a Proxmox calendar event is accepted as the schedule and the schedule is named in words', async () => {
    const { id } = await api.scheduleJob({ syncType: 'all', endpoints: [ID], schedule: { mode: 'cron', expr: 'mon..fri 02:30', tz: 'UTC' } });
    const ep = await endpointNode();
    const scheduled = ep.children?.find((c) => c.label === 'Syncs')?.children?.find((c) => c.contextValue === 'proxbox.job.scheduled');
    assert.ok(scheduled, 'the sync schedule is not listed under Syncs');
    // The tree's own zone is this machine's; a schedule in another zone names it.
    assert.match(scheduled.label, /^Full sync, every weekday at 02:30( \(UTC\))?$/);
    assert.ok(!scheduled.label.includes(id) && !scheduled.description?.includes(id), 'the schedule is named by its id');
    assert.ok(api.jobsOf(ID).includes(id));
  });

  it('a wrong cron field is named with its range, without the parser\'s internals', async () => {
    const refusal = await api.scheduleJob({ syncType: 'all', endpoints: [ID], schedule: { mode: 'cron', expr: '61 2 * * *', tz: 'UTC' } })
      .then(() => assert.fail('a minute of 61 was accepted'), (err: Error) => err.message);
    assert.match(refusal, /minute 61 is out of range 0–59/);
    assert.doesNotMatch(refusal, /Constraint error|at character/);
  });

  it('a sync\'s log opens in a tab named after the endpoint and the run\'s time, not the job id', async () => {
    await vscode.commands.executeCommand('proxbox.job.showLog', runId);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab, 'no tab opened');
    assert.match(tab.label, new RegExp(`^Full sync of ${NAME}, ${STAMP.source}\\.log$`));
    assert.ok(!tab.label.includes(runId), tab.label);
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.ok(text.startsWith(`# Full sync of ${NAME}, `), text.slice(0, 200));
    assert.ok(text.includes(`job ${runId}`), 'the log no longer names its job at all');
  });
});
