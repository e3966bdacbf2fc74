// Child process for the store crash test: rewrites one big document in a loop until it is killed.
// Usage: node storeCrashWriter.js <storeDir> <firstSeq> <items>
// Prints "ready" once, then "<seq>" after each write has fully completed.
import { DocumentStore } from '../../src/core/inventory/store';

export const CRASH_DOC = 'endpoints/crash/inventory.json';
export const CRASH_KIND = 'proxbox.crash-test';

export interface CrashDoc {
  seq: number;
  items: { i: number; seq: number; name: string }[];
}

export function crashDoc(seq: number, items: number): CrashDoc {
  return {
    seq,
    items: Array.from({ length: items }, (_, i) => ({ i, seq, name: `guest-${i}-${'x'.repeat(40)}-${seq}` })),
  };
}

async function main(): Promise<void> {
  const [dir, first, items] = process.argv.slice(2);
  const store = new DocumentStore(dir);
  process.stdout.write('ready\n');
  for (let seq = Number(first); ; seq++) {
    await store.write(CRASH_DOC, CRASH_KIND, 1, crashDoc(seq, Number(items)));
    process.stdout.write(`${seq}\n`);
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(String(err) + '\n');
    process.exit(1);
  });
}
