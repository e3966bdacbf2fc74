// runRemoteSync against a real SSE server replaying proxbox-api's frame sequences (test/helpers/sseBackend.ts).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STAGES, type PipelineEvent } from '../../../src/core/pipeline';
import { applyEvent, startRun } from '../../../src/core/pipeline/reducer';
import { runRemoteSync, closedEarly, CLOSED_EARLY, type RemoteSyncRequest } from '../../../src/core/remote';
import {
  frame, fullFailure, fullHead, fullRun, KEEPALIVE, stageFrames, stageRun, startSseBackend, type SseBackend, type Script,
} from '../../helpers/sseBackend';
import { repoRoot } from '../../helpers/paths';

async function run(backend: SseBackend, extra: Partial<RemoteSyncRequest> = {}) {
  const events: PipelineEvent[] = [];
  const debug: string[] = [];
  const complete = await runRemoteSync({
    url: backend.url, apiKey: backend.apiKey, timeoutMs: 5000, onEvent: (e) => events.push(e), onDebug: (l) => debug.push(l), ...extra,
  });
  return { events, debug, complete };
}

const completes = (events: PipelineEvent[]) => events.filter((e) => e.event === 'complete');
const steps = (events: PipelineEvent[]) => events.flatMap((e) => (e.event === 'step' ? [`${e.data.step}:${e.data.status}`] : []));

describe('remote mode: runRemoteSync over SSE', function () {
  this.timeout(20_000);
  let backend: SseBackend | undefined;
  afterEach(async () => { await backend?.close(); backend = undefined; });

  it('a full run maps every frame to our events, in order, and ends with one complete ok', async () => {
    backend = await startSseBackend({ 'full-update/stream': fullRun() });
    const { events, debug, complete } = await run(backend);
    assert.equal(complete.ok, true, complete.message);
    assert.equal(completes(events).length, 1);
    assert.equal(events.at(-1)?.event, 'complete');
    // Our run-level start, then each stage started → completed in pipeline order.
    assert.deepEqual(steps(events), ['sync:started', ...STAGES.flatMap((s) => [`${s}:started`, `${s}:completed`])]);
    const [first, second] = events;
    assert.equal(first.event, 'step');
    assert.equal(second.event, 'discovery');
    assert.equal(second.event === 'discovery' && second.data.phase, 'sync');
    // The legacy websocket-style step became an item of the running stage.
    const legacy = events.find((e) => e.event === 'item_progress' && e.data.item?.name === 'pve2');
    assert.ok(legacy && legacy.event === 'item_progress');
    assert.equal(legacy.data.phase, 'devices');
    assert.equal(legacy.data.status, 'completed');
    // Its position comes from the stage's discovery (2 nodes) and the item before it, not made up.
    assert.deepEqual(legacy.data.progress, { current: 2, total: 2, percent: 100 });
    // ItemInfo's netbox_id is kept (in extra), not dropped.
    const pve1 = events.find((e) => e.event === 'item_progress' && e.data.item?.name === 'pve1');
    assert.deepEqual(pve1?.event === 'item_progress' && pve1.data.item?.extra, { netbox_id: 7 });
    // Counts: step results and phase_summary merged; replications' {created, updated} gives its count.
    const devices = complete.stages.find((s) => s.step === 'devices')!;
    assert.deepEqual([devices.status, devices.count, devices.created, devices.updated, devices.duration_seconds], ['completed', 2, 1, 1, 0.125]);
    const repl = complete.stages.find((s) => s.step === 'replications')!;
    assert.equal(repl.count, STAGES.indexOf('replications') + 2);
    assert.equal(complete.result.requests, 1);
    assert.equal(complete.result.written, 0);
    // Kinds we have no event for are debug lines, not dropped; keep-alives are nowhere.
    for (const kind of ['bootstrap_done', 'hardware_discovery', 'duplicate_name_resolved']) assert.ok(debug.some((l) => l.startsWith(kind)), `${kind} in ${debug.join('\n')}`);
    assert.ok(!JSON.stringify(events).includes('keepalive') && !debug.some((l) => l.includes('keepalive')));
    // The request: the full-update stream, with the key and the SSE Accept header.
    assert.deepEqual(backend.requests.map((r) => [r.path, r.apiKey, r.accept]), [['full-update/stream', backend.apiKey, 'text/event-stream']]);
    // The one reducer folds it like a local run: every stage completed, done and ok.
    const p = startRun();
    for (const e of events) applyEvent(p, e);
    assert.ok(p.done && p.ok);
    assert.deepEqual(p.stages.map((s) => s.status), STAGES.map(() => 'completed'));
  });

  it('an error mid-stage fails that stage, reports the backend\'s cause once, and leaves the rest not run', async () => {
    backend = await startSseBackend({
      'full-update/stream': { writes: [...fullHead(), ...stageFrames('devices', 2), frame('step', { step: 'storage', status: 'started', message: 's' }), KEEPALIVE, ...fullFailure('NetBox returned 500 for /api/plugins/proxbox/storage/')], end: 'end' },
    });
    const { events, complete } = await run(backend);
    assert.equal(complete.ok, false);
    assert.equal(complete.cancelled, false);
    assert.equal(completes(events).length, 1);
    assert.deepEqual(steps(events), ['sync:started', 'devices:started', 'devices:completed', 'storage:started', 'storage:failed']);
    assert.equal(complete.failed_stage, 'storage');
    assert.deepEqual(complete.failed_stages, ['storage']);
    assert.deepEqual(complete.stages.filter((s) => s.status === 'not_run').map((s) => s.step), STAGES.slice(2));
    const details = events.filter((e) => e.event === 'error_detail');
    assert.equal(details.length, 1);
    assert.equal(details[0].event === 'error_detail' && details[0].data.phase, 'storage');
    assert.equal(details[0].event === 'error_detail' && details[0].data.detail, 'NetBox returned 500 for /api/plugins/proxbox/storage/');
    const failedStep = events.find((e) => e.event === 'step' && e.data.status === 'failed');
    assert.equal(failedStep?.event === 'step' && failedStep.data.message, 'NetBox returned 500 for /api/plugins/proxbox/storage/');
    const errors = events.filter((e) => e.event === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].event === 'error' && errors[0].data.step, 'storage');
    assert.match(complete.message, /failed in stage storage: NetBox returned 500/);
    assert.ok(!closedEarly(complete));
  });

  it('a dropped connection without complete is a connection error that says the stream closed early', async () => {
    backend = await startSseBackend({ 'full-update/stream': { writes: [...fullHead(), ...stageFrames('devices', 2), frame('step', { step: 'storage', status: 'started', message: 's' })], end: 'drop' } });
    const { events, complete } = await run(backend);
    assert.equal(complete.ok, false);
    assert.equal(completes(events).length, 1);
    assert.ok(closedEarly(complete), complete.message);
    assert.equal(complete.errors?.[0].category, 'connection');
    assert.ok(complete.errors?.[0].detail.startsWith(CLOSED_EARLY));
    assert.deepEqual(complete.failed_stages, ['storage']);
    assert.equal(complete.stages[0].status, 'completed');
  });

  it('a stream that ends cleanly but without complete is the same error, naming the stage it was in', async () => {
    backend = await startSseBackend({ 'full-update/stream': { writes: [...fullHead(), frame('step', { step: 'devices', status: 'started', message: 'd' }), KEEPALIVE], end: 'end' } });
    const { complete } = await run(backend);
    assert.ok(closedEarly(complete));
    assert.match(complete.errors![0].detail, /without a complete event during stage devices/);
    assert.deepEqual(complete.failed_stages, ['devices']);
  });

  it('a complete ok while a stage it started never completed is not taken as success', async () => {
    backend = await startSseBackend({ 'full-update/stream': { writes: [...fullHead(), frame('step', { step: 'devices', status: 'started', message: 'd' }), frame('complete', { ok: true, message: 'Full update sync completed.' })], end: 'end' } });
    const { events, complete } = await run(backend);
    assert.equal(complete.ok, false);
    assert.deepEqual(complete.failed_stages, ['devices']);
    assert.match(complete.message, /stage devices never did/);
    assert.deepEqual(steps(events), ['sync:started', 'devices:started', 'devices:failed']);
  });

  it('a wrong key (403) is an authentication error that says to check the API key; a 404 says it is not a proxbox-api', async () => {
    backend = await startSseBackend({ 'full-update/stream': fullRun() });
    const denied = await run(backend, { apiKey: 'wrong-key-123456' });
    assert.equal(denied.complete.ok, false);
    assert.equal(denied.complete.errors?.[0].category, 'authentication');
    const detail = denied.events.find((e) => e.event === 'error_detail');
    assert.match(detail?.event === 'error_detail' ? detail.data.suggestion : '', /check the API key/i);
    assert.equal(completes(denied.events).length, 1);
    assert.ok(!closedEarly(denied.complete));

    const wrongBase = await run(backend, { url: `${backend.url}/netbox` });
    assert.equal(wrongBase.complete.errors?.[0].category, 'not_found');
    assert.match(wrongBase.complete.message, /not a proxbox-api backend/);
  });

  it('cancel closes the stream (the server sees it close) and ends with one complete, cancelled', async () => {
    backend = await startSseBackend({ 'full-update/stream': { writes: [...fullHead(), frame('step', { step: 'devices', status: 'started', message: 'd' })], end: 'hang' } });
    const ac = new AbortController();
    const events: PipelineEvent[] = [];
    const done = runRemoteSync({
      url: backend.url, apiKey: backend.apiKey, timeoutMs: 5000, signal: ac.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.event === 'step' && e.data.step === 'devices' && e.data.status === 'started') ac.abort();
      },
    });
    const complete = await done;
    await backend.closed(0);
    assert.equal(backend.requests[0].closedByClient, true);
    assert.equal(complete.cancelled, true);
    assert.equal(complete.ok, false);
    assert.equal(completes(events).length, 1);
    assert.deepEqual(steps(events), ['sync:started', 'devices:started', 'devices:failed']);
    assert.equal(complete.errors?.at(-1)?.category, 'cancelled');
  });

  it('keep-alive comments keep a quiet stream open; silence longer than the timeout ends it as a timeout', async () => {
    const head = [...fullHead(), frame('step', { step: 'devices', status: 'started', message: 'd' })];
    backend = await startSseBackend({ 'full-update/stream': { writes: head, end: 'hang' }, 'quiet/full-update/stream': { writes: head, end: 'silent' } });
    // 600 ms of keep-alives only, with a 250 ms timeout: still open when we cancel.
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 600);
    const alive = await run(backend, { timeoutMs: 250, signal: ac.signal });
    assert.equal(alive.complete.cancelled, true, alive.complete.message);
    const quiet = await run(backend, { url: `${backend.url}/quiet`, timeoutMs: 250 });
    assert.equal(quiet.complete.cancelled, false);
    assert.equal(quiet.complete.errors?.[0].category, 'timeout');
    assert.ok(closedEarly(quiet.complete), quiet.complete.message);
    assert.deepEqual(quiet.complete.failed_stages, ['devices']);
  });

  it('per-stage streams run one after the other in pipeline order and stop at the first that fails', async () => {
    backend = await startSseBackend({
      'dcim/devices/create/stream': stageRun('devices', 3),
      'virtualization/virtual-machines/storage/create/stream': stageRun('storage', 0, 'Cluster lab not found in NetBox'),
      'virtualization/virtual-machines/backups/all/create/stream': stageRun('backups', 9),
    });
    const { events, complete } = await run(backend, { stages: ['backups', 'storage', 'devices'] });
    assert.deepEqual(backend.requests.map((r) => r.path), ['dcim/devices/create/stream', 'virtualization/virtual-machines/storage/create/stream']);
    assert.deepEqual(complete.stages.map((s) => [s.step, s.status]), [['devices', 'completed'], ['storage', 'failed'], ['backups', 'not_run']]);
    assert.equal(complete.stages[0].count, 3);
    assert.equal(completes(events).length, 1);
    assert.deepEqual(steps(events), ['sync:started', 'devices:started', 'devices:completed', 'storage:started', 'storage:failed']);
    assert.equal(complete.failed_stage, 'storage');
    assert.match(complete.message, /Cluster lab not found in NetBox/);
  });

  it('the API key never leaves in an event or a debug line, even when the backend echoes it', async () => {
    const key = 'pbx-secret-key-echoed-9921';
    const echo = `auth failed for X-Proxbox-API-Key ${key}`;
    const script: Script = { writes: [...fullHead(), frame('bootstrap_done', { ok: false, reason: echo }), frame('step', { step: 'devices', status: 'started', message: echo }), ...fullFailure(echo)], end: 'end' };
    backend = await startSseBackend({ 'full-update/stream': script }, key);
    const { events, debug, complete } = await run(backend);
    assert.equal(complete.ok, false);
    const text = JSON.stringify(events) + debug.join('\n');
    assert.ok(text.includes('X-Proxbox-API-Key ***'), 'the echo is there, masked');
    assert.ok(!text.includes(key));
  });

  it('over HTTPS, a pinned fingerprint is checked before the key is sent', async () => {
    backend = await startSseBackend({ 'full-update/stream': fullRun() }, undefined, 'a');
    const pinned = await run(backend, { fingerprint: backend.fingerprint });
    assert.equal(pinned.complete.ok, true, pinned.complete.message);
    assert.equal(backend.requests.length, 1);
    const other = await startSseBackend({}, undefined, 'b');
    const wrongPin = await run(backend, { fingerprint: other.fingerprint });
    await other.close();
    assert.equal(wrongPin.complete.ok, false);
    assert.match(wrongPin.complete.message, /certificate .* changed/i);
    // The handshake failed, so no request (and no key) reached the server.
    assert.equal(backend.requests.length, 1);
  });

  it('frames are parsed by the npm SSE parser: CRLF line ends and a data field over two lines', async () => {
    // A hand-rolled split on "\n\n" would miss both; eventsource-parser follows the SSE specification.
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    const twoLines = 'event: complete\ndata: {"ok": true,\ndata:  "message": "done"}\n\n';
    backend = await startSseBackend({ 'dcim/devices/create/stream': { writes: [crlf(frame('step', { step: 'devices', status: 'started', message: 'x' })), crlf(frame('step', { step: 'devices', status: 'completed', message: 'x', result: { count: 4 } })), twoLines], end: 'end' } });
    const { complete } = await run(backend, { stages: ['devices'] });
    assert.equal(complete.ok, true, complete.message);
    assert.equal(complete.stages[0].count, 4);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.match(pkg.dependencies['eventsource-parser'], /^\d+\.\d+\.\d+$/, 'an exact version');
    assert.match(readFileSync(join(repoRoot, 'src/core/remote/stream.ts'), 'utf8'), /from 'eventsource-parser'/);
  });
});
