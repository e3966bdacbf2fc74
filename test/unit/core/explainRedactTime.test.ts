import { strict as assert } from 'node:assert';
import { explainError } from '../../../src/core/errors/explain';
import { ProxmoxError } from '../../../src/core/proxmox/errors';
import { errorFromTransport } from '../../../src/core/proxmox/transportErrors';
import { StoreError } from '../../../src/core/inventory/store';
import { ScheduleError } from '../../../src/core/schedule/errors';
import { JobError } from '../../../src/core/jobs/types';
import { redactDeep, redactSecrets } from '../../../src/core/secrets/redact';
import { formatDateTime, formatDuration, formatLogTime, formatRelative, formatTime } from '../../../src/core/text/time';

describe('core: the one error explainer', () => {
  it('keeps the category and suggestion a ProxmoxError carries, with the request as detail', () => {
    const e = new ProxmoxError({ category: 'authentication', path: '/nodes', status: 401, message: '401 authentication failure', suggestion: 'check the token', pveMessage: 'invalid token value!' });
    assert.deepEqual(explainError(e), { category: 'authentication', message: '401 authentication failure', detail: 'GET /nodes: HTTP 401: invalid token value!', suggestion: 'check the token', status: 401, path: '/nodes' });
  });

  it('a refused connection gets the same advice from the client and from a bare socket error', () => {
    const raw = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8006'), { code: 'ECONNREFUSED' });
    const viaClient = explainError(errorFromTransport(raw, { path: '/version', endpointName: 'lab', origin: 'https://127.0.0.1:8006', pinned: false }));
    const bare = explainError(raw);
    assert.equal(bare.category, 'connection');
    assert.equal(viaClient.category, 'connection');
    assert.equal(viaClient.suggestion, bare.suggestion);
    assert.match(bare.suggestion, /8006/);
    // undici wraps the socket error: the code is found in the cause.
    assert.equal(explainError(new TypeError('fetch failed', { cause: raw })).suggestion, bare.suggestion);
  });

  it('store, schedule and job errors are the user\'s to fix, not bugs', () => {
    assert.equal(explainError(new StoreError('cannot read x: newer version', 'x', 'newer-version')).category, 'validation');
    assert.equal(explainError(new ScheduleError('x', 0, 'unexpected "x"')).category, 'validation');
    const j = explainError(new JobError('Job 1 has already finished (completed); there is nothing to cancel.'));
    assert.equal(j.category, 'validation');
    assert.match(j.message, /nothing to cancel/);
  });

  it('a disk full error says to free space; cancellation and bugs read well', () => {
    assert.match(explainError(Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' })).suggestion, /disk is full/);
    const abort = new Error('aborted');
    abort.name = 'AbortError';
    assert.equal(explainError(abort).category, 'cancelled');
    assert.equal(explainError('boom').message, 'boom');
    const bug = explainError(new Error('x is undefined'));
    assert.equal(bug.category, 'internal');
    assert.match(bug.suggestion, /Show Log/);
  });
});

describe('core: the one secret redactor', () => {
  const secret = '0f1e2d3c-aaaa-bbbb-cccc-123456789abc';
  it('masks known secrets wherever they appear, but not too short ones', () => {
    assert.equal(redactSecrets(`token=${secret} again ${secret}`, [secret]), 'token=*** again ***');
    assert.equal(redactSecrets('short', ['', 'sh']), 'short');
  });
  it('masks the secret of a PVE or PBS token header it was never told about, keeping who it belongs to', () => {
    assert.equal(redactSecrets(`sent PVEAPIToken=root@pam!sync=${secret} to pve1`), 'sent PVEAPIToken=root@pam!sync=*** to pve1');
    assert.equal(redactSecrets(`PBSAPIToken=backup@pbs!ro:${secret}`), 'PBSAPIToken=backup@pbs!ro:***');
  });
  it('masks any Authorization value, in a header line or a JSON field', () => {
    assert.equal(redactSecrets('Authorization: Bearer abc.def.ghi'), 'Authorization: Bearer ***');
    assert.equal(redactSecrets('{"authorization":"PVEAPIToken=a@pam!b=c0ffee-1234"}'), '{"authorization":"PVEAPIToken=a@pam!b=***"}');
    assert.equal(redactSecrets('authorization = hunter2hunter2, next'), 'authorization = ***, next');
  });
  it('masks only the credential, inside quotes too, and keeps JSON text parseable', () => {
    assert.equal(redactSecrets('Authorization: Bearer "abc" (GET /nodes → 401) please check'), 'Authorization: Bearer "***" (GET /nodes → 401) please check');
    const json = JSON.stringify({ m: 'echo "PVEAPIToken=root@pam!sync=abcd-1234" done' });
    assert.deepEqual(JSON.parse(redactSecrets(json)), { m: 'echo "PVEAPIToken=root@pam!sync=***" done' });
    assert.deepEqual(redactDeep({ a: [{ b: `x ${secret} y` }], n: 3, ok: true }, [secret]), { a: [{ b: 'x *** y' }], n: 3, ok: true });
  });

  it('text without credentials is left alone', () => {
    const t = 'GET /api2/json/nodes: HTTP 401: authentication failure (check the token)';
    assert.equal(redactSecrets(t, [secret]), t);
  });
});

describe('core: the one set of time formatters', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0) / 1000;
  it('durations and relative times read naturally', () => {
    assert.equal(formatDuration(0.41), '0.41 s');
    assert.equal(formatDuration(2), '2 s');
    assert.equal(formatDuration(185), '3 min 5 s');
    assert.equal(formatDuration(7380), '2 h 3 min');
    assert.equal(formatDuration(2 * 86400 + 3 * 3600 + 59), '2 d 3 h');
    assert.equal(formatDuration(undefined), '—');
    assert.equal(formatRelative(now - 300, now), '5 min ago');
    assert.equal(formatRelative(now + 3 * 86400, now), 'in 3 d');
    assert.equal(formatRelative(now + 3 * 3600 + 20 * 60 + 10, now), 'in 3 h 20 min');
    assert.equal(formatRelative(now + 30, now), 'now');
  });
  it('instants in an explicit zone', () => {
    assert.equal(formatDateTime(now, 'UTC'), 'Mon 23 Nov 2026, 12:00');
    assert.equal(formatDateTime(now, 'Europe/Vienna'), 'Mon 23 Nov 2026, 13:00');
    assert.equal(formatTime(now + 30, 'UTC'), '12:00:30');
    assert.equal(formatTime(now, 'America/New_York'), '07:00');
    assert.equal(formatLogTime(now * 1000, 'UTC'), '2026-11-23 12:00:00');
  });
});
