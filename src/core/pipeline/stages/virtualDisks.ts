// Stage 4: virtual disks, from the configs the guest stage read (no request of its own). Disks of a guest whose
// config was read are replaced by what the config says; those of a guest that is gone are removed; an incomplete
// guest keeps its disks.
import type { DiskRecord } from '../../inventory/model';
import type { StageDefinition } from './types';
import { disksOf } from './guestConfig';

export const virtualDisks: StageDefinition = {
  name: 'virtual-disks',
  startMessage: 'Reading virtual disks from the guest configs.',
  async run(run) {
    const { ctx } = run;
    const guests = run.get('guests');
    const present = new Set(guests.map((g) => g.vmid));
    const disks: DiskRecord[] = [];
    for (const g of guests) {
      const gc = ctx.configs.get(g.vmid);
      if (gc) disks.push(...disksOf(g.vmid, gc));
    }
    run.reconcile('disks', disks, (d) => ctx.configs.has(d.vmid) || !present.has(d.vmid));
    return disks.length;
  },
};
