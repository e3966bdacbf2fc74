// `proxbox serve` started in-process on port 0 against a store synced from the simulator: every route, HEAD, the
// token check, 404 and 405, the non-loopback refusal, and a sync's change visible on the next request.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import type { GlanceFeed } from '../../../src/core/export/glance';
import type { GuestHealth } from '../../../src/core/health/types';
import { captureIo } from '../../helpers/cliIo';
import { exportFixture, type ExportFixture } from './fixture';

interface Running { url: string; stop(): Promise<number>; io: CliIO & { out: string; err: string } }

async function startServe(args: string[]): Promise<Running> {
  const stop = new AbortController();
  // captureIo's stdout appends to the object it returns: give that same object the stop signal.
  const live = Object.assign(captureIo({}), { stopSignal: stop.signal });
  const done = main(['serve', '--port', '0', ...args], live);
  const started = Date.now();
  while (!/ready at (\S+)/.test(live.out)) {
    if (Date.now() - started > 10_000) throw new Error(`serve did not start: ${live.err}`);
    const early = await Promise.race([done, new Promise((r) => setTimeout(() => r(undefined), 20))]);
    if (early !== undefined) throw new Error(`serve exited ${String(early)}: ${live.err}`);
  }
  const url = /ready at (\S+)/.exec(live.out)![1].replace(/\/$/, '');
  return { url, io: live, stop: async () => { stop.abort(); return done; } };
}

/** A GET with a Host header of our choosing (fetch sets its own), as a browser sends it after DNS rebinding. */
function getWithHost(url: string, path: string, host: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET', headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('export: proxbox serve', function () {
  this.timeout(60_000);
  let f: ExportFixture;
  let s: Running;
  before(async () => {
    f = await exportFixture();
    s = await startServe(['--store', f.store, '--zone', 'UTC']);
  });
  after(async () => {
    if (s) assert.equal(await s.stop(), 0);
    await f.close();
  });

  it('binds to loopback by default and serves /health.json as proxbox health --json does', async () => {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${s.url}/health.json`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const served = await res.json() as { guests: GuestHealth[]; summary: Record<string, number> };
    const io = captureIo({});
    await main(['health', '--store', f.store, '--json'], io);
    const cli = JSON.parse(io.out) as { guests: GuestHealth[] };
    assert.deepEqual(served.guests.map((g) => [g.endpoint, g.vmid, g.name, g.status]), cli.guests.map((g) => [g.endpoint, g.vmid, g.name, g.status]));
    assert.ok(!JSON.stringify(served).includes(f.sim.tokenSecret));
  });

  it('serves /calendar.ics (this month and the next, or ?from&to) that an iCalendar parser reads', async () => {
    const all = await fetch(`${s.url}/calendar.ics`);
    assert.equal(all.status, 200);
    assert.match(all.headers.get('content-type') ?? '', /text\/calendar/);
    const events = new ICAL.Component(ICAL.parse(await all.text())).getAllSubcomponents('vevent');
    assert.ok(events.length > 30);
    const day = await fetch(`${s.url}/calendar.ics?from=${f.now}&to=${f.now + 86_400}`);
    const dayEvents = new ICAL.Component(ICAL.parse(await day.text())).getAllSubcomponents('vevent');
    assert.ok(dayEvents.length > 0 && dayEvents.length < events.length);
    for (const v of dayEvents) {
      const t = (v.getFirstPropertyValue('dtstart') as ICAL.Time).toUnixTime();
      const end = v.getFirstPropertyValue('dtend') as ICAL.Time | null;
      // A run lies in the range; a band (DTEND) reaches into it and is exported as formed over its whole local day.
      if (end) assert.ok(end.toUnixTime() >= f.now && t < f.now + 86_400);
      else assert.ok(t >= f.now && t < f.now + 86_400);
    }
    const bad = await fetch(`${s.url}/calendar.ics?from=2026-01-01&to=2026-06-01`);
    assert.equal(bad.status, 400);
    assert.match((await bad.json() as { error: string }).error, /at most 63 days/);
  });

  it('serves /report.html without script and /glance.json in the flat shape the README\'s widgets read', async () => {
    const page = await fetch(`${s.url}/report.html`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await page.text();
    assert.match(html, /<h1>Backup report<\/h1>/);
    assert.doesNotMatch(html, /<script/i);
    const feed = await (await fetch(`${s.url}/glance.json`)).json() as GlanceFeed;
    assert.equal(feed.summary.guests, feed.guests.length);
    assert.equal(feed.summary.problems, feed.guests.filter((g) => !g.ok).length);
    assert.ok(feed.next_runs.length > 0);
    for (const r of feed.next_runs) assert.ok(Date.parse(r.at) / 1000 >= Date.parse(feed.generated_at) / 1000, 'next runs lie ahead');
    assert.ok(feed.problems.some((p) => p.kind === 'guest' && p.status === 'Failed'));
    for (const g of feed.guests) assert.equal(typeof g.name, 'string');
  });

  it('answers HEAD without a body, 404 with a JSON body, and 405 with Allow for every other method', async () => {
    const head = await fetch(`${s.url}/glance.json`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal((await head.text()).length, 0);
    const missing = await fetch(`${s.url}/secrets`);
    assert.equal(missing.status, 404);
    assert.match((await missing.json() as { error: string }).error, /no such resource/);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${s.url}/health.json`, { method, body: method === 'DELETE' ? undefined : '{}' });
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get('allow'), 'GET, HEAD');
    }
  });

  it('without a token, answers only requests addressed to localhost (a rebound host name is refused), and a bad target is a 400', async () => {
    const port = new URL(s.url).port;
    const rebound = await getWithHost(s.url, '/health.json', `attacker.example:${port}`);
    assert.equal(rebound.status, 403);
    assert.doesNotMatch(rebound.body, /"guests"/);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost']) {
      assert.equal((await getWithHost(s.url, '/health.json', host)).status, 200, host);
    }
    assert.equal((await getWithHost(s.url, '//[', `127.0.0.1:${port}`)).status, 400);
  });

  it('shows a sync\'s change on the next request, without a restart', async () => {
    const before = await (await fetch(`${s.url}/glance.json`)).json() as GlanceFeed;
    const guest = f.sim.cluster.guests[2];
    assert.ok(before.guests.some((g) => g.vmid === guest.vmid && g.name === guest.name));
    guest.name = 'renamed-by-proxmox';
    await f.sync();
    const after = await (await fetch(`${s.url}/glance.json`)).json() as GlanceFeed;
    assert.equal(after.guests.find((g) => g.vmid === guest.vmid)?.name, 'renamed-by-proxmox');
  });

  it('refuses a non-loopback bind without a token at start, with exit 2 and why', async () => {
    const io = captureIo({});
    assert.equal(await main(['serve', '--store', f.store, '--bind', '0.0.0.0', '--port', '0'], io), 2);
    assert.match(io.err, /--bind 0\.0\.0\.0 is reachable from other machines.*--token-file/);
    assert.equal(io.out, '');
    for (const bind of ['10.0.0.1', '::', '127.0.0.1.nip.io']) {
      const other = captureIo({});
      assert.equal(await main(['serve', '--store', f.store, '--bind', bind, '--port', '0'], other), 2, `--bind ${bind}`);
      assert.match(other.err, /reachable from other machines/);
    }
  });

  it('binds to another loopback address without a token (127.0.0.2: all of 127/8 is this machine)', async () => {
    const t = await startServe(['--store', f.store, '--bind', '127.0.0.2']);
    try {
      assert.match(t.url, /127\.0\.0\.2/);
      assert.equal((await fetch(`${t.url}/health.json`)).status, 200);
    } finally {
      await t.stop();
    }
  });

  it('with --token-file requires the bearer token on every route (none, wrong: 401; right: 200) and never echoes it', async () => {
    const token = 'a'.repeat(8) + '0123456789abcdef0123';
    const file = join(f.store, 'serve-token');
    writeFileSync(file, `${token}\n`);
    const t = await startServe(['--store', f.store, '--token-file', file, '--bind', '127.0.0.1']);
    try {
      for (const route of ['/health.json', '/calendar.ics', '/report.html', '/glance.json', '/nothing']) {
        const none = await fetch(`${t.url}${route}`);
        assert.equal(none.status, 401, route);
        assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
        const wrong = await fetch(`${t.url}${route}`, { headers: { Authorization: `Bearer ${token.slice(0, -1)}b` } });
        assert.equal(wrong.status, 401, route);
        const right = await fetch(`${t.url}${route}`, { headers: { Authorization: `Bearer ${token}` } });
        assert.equal(right.status, route === '/nothing' ? 404 : 200, route);
        assert.ok(!(await right.text()).includes(token));
      }
      assert.ok(!t.io.out.includes(token) && !t.io.err.includes(token));
    } finally {
      assert.equal(await t.stop(), 0);
    }
  });
});
