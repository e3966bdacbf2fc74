// A real store for the export tests: the simulator's health scenario (failed, missed, never backed up, not covered)
// synced over HTTPS into a temporary folder, with hostile text planted in the simulated Proxmox first: a backup job
// whose comment holds HTML and iCalendar/CSV separators and runs every 30 minutes (so the calendar has bands),
// and guests whose names hold commas, quotes, a newline and markup.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSync } from '../../../src/core/pipeline';
import { startSimulator, type RunningSimulator } from '../../../src/sim';

export const HOSTILE_LABEL = 'Dumps <img src=x onerror=alert(1)>, "db"; C:\\dumps & more';
export const HOSTILE_GUEST = 'evil,"quoted" <b>x</b>\nsecond line';
export const HOSTILE_GUEST_2 = 'a;b,c\\d "e"';

export interface ExportFixture {
  sim: RunningSimulator;
  store: string;
  now: number;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export async function exportFixture(): Promise<ExportFixture> {
  const sim = await startSimulator({ scenario: 'health' });
  const c = sim.cluster;
  c.jobs.push({ id: 'backup-dense', type: 'vzdump', schedule: '*/30', enabled: 1, storage: 'local', vmid: String(c.guests[0].vmid), comment: `${HOSTILE_LABEL}\nsecond line of the comment` });
  // A guest in no job (not covered: a problem row) and one that is backed up.
  const uncovered = c.guests.find((g) => !c.jobs.some((j) => j.vmid?.split(',').includes(String(g.vmid))));
  if (!uncovered) throw new Error('the health scenario has no guest outside every job');
  uncovered.name = HOSTILE_GUEST;
  c.guests[1].name = HOSTILE_GUEST_2;
  const store = mkdtempSync(join(tmpdir(), 'proxbox-export-'));
  const endpoint = { id: 'lab', name: 'Lab <cluster>', url: sim.url, tokenId: sim.tokenId, fingerprint: sim.fingerprint };
  const sync = async (): Promise<void> => {
    const r = await runSync({ endpoint, secret: sim.tokenSecret, store });
    if (!r.ok) throw new Error(`the fixture's sync failed: ${JSON.stringify(r)}`);
  };
  await sync();
  return {
    sim, store, now: Math.floor(Date.now() / 1000), sync,
    close: async () => {
      await sim.close();
      rmSync(store, { recursive: true, force: true });
    },
  };
}
