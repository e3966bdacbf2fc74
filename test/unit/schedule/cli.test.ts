// `proxbox schedule` run in-process through the real command table.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { main } from '../../../src/cli/main';
import { CliIO } from '../../../src/cli/io';

async function run(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (t) => { out += t; },
    stderr: (t) => { err += t; },
    stdin: Readable.from([stdin]),
    env: {},
    stopSignal: new AbortController().signal,
  };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('proxbox schedule next', () => {
  it('prints one JSON object with chained runs (10 by default, like PVE)', async () => {
    const r = await run(['schedule', 'next', 'mon..fri 02:30', '--from', '1700000000', '--tz', 'Europe/Vienna']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.deepEqual(Object.keys(json), ['expr', 'tz', 'next']);
    assert.equal(json.expr, 'mon..fri 02:30');
    assert.equal(json.tz, 'Europe/Vienna');
    assert.equal(json.next.length, 10);
    assert.deepEqual(json.next.slice(0, 4), [1700011800, 1700098200, 1700184600, 1700443800]);
  });

  it('accepts ISO-8601 for --from, with an offset or as a wall time in --tz', async () => {
    const a = await run(['schedule', 'next', 'daily', '--from', '2023-11-14T23:13:20+01:00', '--tz', 'Europe/Vienna', '--count', '1']);
    const b = await run(['schedule', 'next', 'daily', '--from', '2023-11-14T23:13:20', '--tz', 'Europe/Vienna', '--count', '1']);
    assert.deepEqual(JSON.parse(a.out).next, [1700002800]);
    assert.deepEqual(JSON.parse(b.out).next, [1700002800]);
  });

  it('gives fewer runs when the schedule stops, and an unquoted schedule still works', async () => {
    const r = await run(['schedule', 'next', '2030-01-01', '--from', '0', '--tz', 'UTC', '--count', '5']);
    assert.deepEqual(JSON.parse(r.out).next, [1893456000]);
    const unquoted = await run(['schedule', 'next', 'sat', '03:00', '--from', '0', '--tz', 'UTC', '--count', '1']);
    assert.equal(JSON.parse(unquoted.out).expr, 'sat 03:00');
  });

  it('runs cron expressions with --cron', async () => {
    const r = await run(['schedule', 'next', '30 2 * * *', '--cron', '--from', '0', '--tz', 'UTC', '--count', '2']);
    assert.deepEqual(JSON.parse(r.out).next, [9000, 95400]);
  });

  it('an invalid schedule: exit 2 and one stderr line starting "invalid schedule:" that says where', async () => {
    for (const expr of ['not valid!', '-1', '*/61', 'daily 12:00']) {
      const r = await run(['schedule', 'next', expr, '--tz', 'UTC']);
      assert.equal(r.code, 2, expr);
      assert.equal(r.out, '');
      assert.match(r.err, /^invalid schedule: .* at character \d+ of '/);
      assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
    }
  });

  it('an invalid zone, time or count: exit 2 with a message that says what to use', async () => {
    const zone = await run(['schedule', 'next', 'daily', '--tz', 'Mars/Olympus']);
    assert.equal(zone.code, 2);
    assert.match(zone.err, /unknown time zone 'Mars\/Olympus'.*IANA/);
    const from = await run(['schedule', 'next', 'daily', '--from', 'yesterday', '--tz', 'UTC']);
    assert.equal(from.code, 2);
    assert.match(from.err, /invalid --from.*epoch seconds.*ISO-8601/);
    const badDate = await run(['schedule', 'next', 'daily', '--from', '2024-02-30T00:00:00Z', '--tz', 'UTC']);
    assert.equal(badDate.code, 2);
    const count = await run(['schedule', 'next', 'daily', '--count', 'many']);
    assert.equal(count.code, 2);
    assert.match(count.err, /--count/);
  });

  it('defaults --tz to the machine zone, not silently UTC', async () => {
    const r = await run(['schedule', 'next', 'daily', '--count', '1']);
    assert.equal(JSON.parse(r.out).tz, new Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});

describe('proxbox schedule next --batch', () => {
  it('answers each JSON line in order; a bad line gets an error line, never a crash', async () => {
    const input = [
      '{"expr":"daily","from":0,"count":2,"tz":"UTC"}',
      'not json',
      '{"expr":"bad!","from":0,"tz":"UTC"}',
      '{"expr":"daily","from":0,"tz":"No/Zone"}',
      '[1,2]',
      '',
      '{"expr":"30 2 * * *","cron":true,"from":"1970-01-01T00:00:00Z","count":1,"tz":"UTC"}',
      '{"expr":"*-*-0","from":0,"count":3,"tz":"Europe/Vienna"}',
      '{"expr":"daily","from":0,"count":-1,"tz":"UTC"}',
    ].join('\n');
    const r = await run(['schedule', 'next', '--batch'], `${input}\n`);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 8);
    assert.deepEqual(lines[0], { next: [86400, 172800] });
    assert.match(lines[1].error, /malformed JSON/);
    assert.match(lines[2].error, /^invalid schedule: unknown weekday 'bad'/);
    assert.match(lines[3].error, /unknown time zone "No\/Zone"/);
    assert.match(lines[4].error, /JSON object/);
    assert.deepEqual(lines[5], { next: [9000] });
    assert.deepEqual(lines[6], { next: [] });
    assert.match(lines[7].error, /"count"/);
  });
});

describe('proxbox schedule show', () => {
  it('prints the normalized form, the description and 10 runs in local and UTC time', async () => {
    const r = await run(['schedule', 'show', 'sat *-1..7 15:00', '--tz', 'America/New_York', '--from', '2025-10-30']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /normalized: +Sat \*-\*-01\.\.07 15:00:00/);
    assert.match(r.out, /meaning: +on the first Saturday of every month at 15:00/);
    assert.match(r.out, /1 +Sat 2025-11-01 15:00:00 -04:00 +Sat 2025-11-01 19:00:00 UTC +1762023600/);
    assert.match(r.out, /2 +Sat 2025-12-06 15:00:00 -05:00/);
    assert.equal(r.out.match(/^ +\d+ {2}/gm)?.length, 10);
  });

  it('marks runs in the repeated fall-back hour and has a JSON form', async () => {
    const r = await run(['schedule', 'show', 'hourly', '--tz', 'America/New_York', '--from', '2025-11-02T00:30', '--count', '2', '--json']);
    const json = JSON.parse(r.out);
    assert.equal(json.description, 'every hour');
    assert.deepEqual(json.runs.map((x: { timestamp: number }) => x.timestamp), [1762059600, 1762066800]);
    assert.deepEqual(json.runs.map((x: { repeatedHour: boolean }) => x.repeatedHour), [true, false]);
  });
});
