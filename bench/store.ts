// How long the store takes with a 10,000-guest inventory: write, no-change write (skipped), and load.
// Run: npm run build && node out/bench/store.js
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DocumentStore } from '../src/core/inventory/store';

const GUESTS = Number(process.env.GUESTS ?? 10_000);

function inventoryOf(guests: number): unknown {
  const nodes = Array.from({ length: 20 }, (_, i) => ({ name: `pve${i + 1}`, online: true, ip: `10.0.0.${i + 1}`, nodeid: i + 1 }));
  const g = Array.from({ length: guests }, (_, i) => ({
    vmid: 100 + i, type: i % 4 === 0 ? 'lxc' : 'qemu', name: `guest-${i}.example.internal`, node: nodes[i % 20].name,
    status: i % 7 === 0 ? 'stopped' : 'running', cpus: 2 + (i % 6), memoryMiB: 2048 * (1 + (i % 4)), diskMiB: 32768,
    tags: ['prod', `team-${i % 9}`], pool: i % 3 === 0 ? 'web' : null, template: false, onboot: true, agent: i % 2 === 0,
    description: `Synced from Proxmox node ${nodes[i % 20].name}`, firstSeen: 1_750_000_000, lastSeen: 1_760_000_000, status2: 'active',
  }));
  const disks = g.flatMap((x) => [0, 1].map((d) => ({ vmid: x.vmid, name: d ? 'scsi1' : 'scsi0', storage: 'local-lvm', sizeMiB: 16384, format: 'raw' })));
  const interfaces = g.map((x) => ({ vmid: x.vmid, name: 'net0', mac: `BC:24:11:${(x.vmid % 256).toString(16).padStart(2, '0')}:00:01`, bridge: 'vmbr0', vlan: 10 }));
  const ipAddresses = g.map((x) => ({ vmid: x.vmid, interface: 'net0', address: `10.1.${Math.floor(x.vmid / 256) % 256}.${x.vmid % 256}/24` }));
  const backups = g.flatMap((x) => [0, 1, 2].map((b) => ({
    vmid: x.vmid, volid: `pbs:backup/vm/${x.vmid}/2026-06-0${b + 1}T02:00:00Z`, ctime: 1_760_000_000 - b * 86400, size: 4_294_967_296, storage: 'pbs', format: 'pbs-vm',
  })));
  const backupRoutines = Array.from({ length: 40 }, (_, i) => ({
    id: `backup-${i}`, enabled: true, schedule: `*-*-* 0${i % 10}:00`, selection: g.slice(i * 250, i * 250 + 250).map((x) => x.vmid),
    storage: 'pbs', mode: 'snapshot', status: 'active', nextRun: 1_760_100_000, nextRunSource: 'computed',
  }));
  return { endpoint: 'bench', cluster: { name: 'bench-cluster' }, nodes, guests: g, disks, interfaces, ipAddresses, backups, backupRoutines, syncedAt: 1_760_000_000 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(fn: () => Promise<unknown>, runs: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'proxbox-bench-store-'));
  try {
    const store = new DocumentStore(dir);
    const name = 'endpoints/bench/inventory.json';
    const data = inventoryOf(GUESTS) as { guests: unknown[] };
    let flip = 0;
    const writeMs = await time(async () => {
      data.guests[0] = { ...(data.guests[0] as object), flip: flip++ }; // force a real write each time
      const r = await store.write(name, 'proxbox.inventory', 1, data);
      if (!r.written) throw new Error('expected a write');
    }, 5);
    const sameMs = await time(async () => {
      const r = await store.write(name, 'proxbox.inventory', 1, data);
      if (r.written) throw new Error('expected the identical write to be skipped');
    }, 5);
    const readMs = await time(async () => {
      const loaded = await new DocumentStore(dir).read<{ guests: unknown[] }>(name, 'proxbox.inventory', 1);
      if (loaded?.guests.length !== GUESTS) throw new Error('bad load');
    }, 5);
    const mb = statSync(join(dir, name)).size / 1024 / 1024;
    console.log(`store: ${GUESTS} guests, document ${mb.toFixed(1)} MB`);
    console.log(`  load (read + parse), median of 5:       ${readMs.toFixed(1)} ms  (${(mb / (readMs / 1000)).toFixed(0)} MB/s; goal well under 1000 ms: ${(1000 / readMs).toFixed(1)}x headroom)`);
    console.log(`  write (serialise + fsync + rename):     ${writeMs.toFixed(1)} ms`);
    console.log(`  no-change write (compare, skipped):     ${sameMs.toFixed(1)} ms  (${(sameMs / writeMs).toFixed(2)} of a real write)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
