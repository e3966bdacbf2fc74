// The 401 error says what happened once (issue 11, item 9): PVE's "Authentication failed!" is not repeated after our
// own sentence, words of PVE that add something are kept, and the next step names the token id, secret and
// privilege separation.
import { strict as assert } from 'node:assert';
import { ProxmoxClient } from '../../../src/core/proxmox';
import { errorFromHttp } from '../../../src/core/proxmox/errors';
import { explainError } from '../../../src/core/errors/explain';
import { startSimulator, type RunningSimulator } from '../../../src/sim';
import { rejection } from './rejection';

const count = (text: string, re: RegExp) => (text.match(new RegExp(re.source, 'gi')) ?? []).length;

describe('proxmox: the authentication error says it once', function () {
  this.timeout(20_000);

  for (const pve of ['Authentication failed!', 'authentication failure', 'Unauthorized']) {
    it(`drops PVE's "${pve}", which only repeats the message`, () => {
      const e = errorFromHttp({ status: 401, path: '/version', statusText: pve, endpointName: 'lab' });
      assert.equal(e.category, 'authentication');
      assert.match(e.message, /rejected the API token \(HTTP 401 for GET \/version on lab\)$/);
      assert.equal(count(e.message, /authentication|unauthorized/), 0, e.message);
      assert.equal(e.pveMessage, pve, 'PVE\'s words stay in the detail');
    });
  }

  it('keeps PVE\'s words when they say what was wrong', () => {
    const e = errorFromHttp({ status: 401, path: '/nodes', bodyMessage: "no such token 'x' for user 'root@pam'\n", endpointName: 'lab' });
    assert.match(e.message, /rejected the API token .*: no such token 'x' for user 'root@pam'$/);
  });

  describe('against the simulator', () => {
    let sim: RunningSimulator | undefined;
    let client: ProxmoxClient | undefined;
    afterEach(async () => {
      await client?.close();
      await sim?.close();
    });

    it('a PVE 9.1 answer to a wrong secret reads as one cause and one next step', async () => {
      sim = await startSimulator({ seed: 3, pveVersion: '9.1' });
      client = new ProxmoxClient({ id: 'sim', name: 'lab', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint },
        '00000000-0000-0000-0000-000000000000', { retries: 0, timeoutMs: 3000 });
      const x = explainError(await rejection(client.version()));
      assert.equal(x.category, 'authentication');
      const shown = `${x.message} — ${x.suggestion}`;
      assert.equal(count(shown, /authentication failed/), 0, shown);
      assert.equal(count(shown, /rejected the API token/), 1, shown);
      assert.match(x.suggestion, /token id .* and secret/);
      assert.match(x.suggestion, /privilege separation/);
    });
  });
});
