// Backup volume ids. File storages: `local:backup/vzdump-qemu-100-2024_01_01-04_00_00.vma.zst` (time in the
// node's local time zone). PBS: `pbs1:backup/vm/100/2024-01-01T04:00:00Z` (UTC).
import { MAX_VOLID_LENGTH } from '../decoders/limits';

export interface BackupVolid {
  volid: string;
  storage: string;
  kind: 'file' | 'pbs';
  guestType: 'qemu' | 'lxc' | 'openvz';
  vmid: number;
  /** Wall-clock time from the name, `YYYY-MM-DDTHH:MM:SS`; for files it is the node's local time. */
  time: string;
  /** Seconds since the epoch; PBS names are UTC, so only they give it (files need the node's time zone). */
  epoch?: number;
  /** File extension after the name (`vma.zst`, `tar.gz`, `tgz`); `pbs-vm` / `pbs-ct` for PBS. */
  format: string;
  compression?: 'gz' | 'lzo' | 'zst' | 'bz2';
  fileName?: string;
}

const fileRe = /^vzdump-(qemu|lxc|openvz)-(\d+)-(\d{4})_(\d{2})_(\d{2})-(\d{2})_(\d{2})_(\d{2})\.((?:vma|tar)(?:\.(gz|lzo|zst|bz2))?|tgz)$/;
const pbsRe = /^backup\/(vm|ct)\/(\d+)\/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})Z$/;

/** Returns undefined for a volume that is not a vzdump backup (templates, ISOs, foreign files). */
export function parseBackupVolid(volid: string): BackupVolid | undefined {
  // Longer than any volume id: not a backup we could name (the decoder has capped the field already).
  if (volid.length > MAX_VOLID_LENGTH) return undefined;
  const colon = volid.indexOf(':');
  if (colon <= 0) return undefined;
  const storage = volid.slice(0, colon);
  const rest = volid.slice(colon + 1);
  const pbs = pbsRe.exec(rest);
  if (pbs) {
    const epoch = Date.parse(`${pbs[3]}Z`) / 1000;
    if (!Number.isFinite(epoch)) return undefined;
    return {
      volid, storage, kind: 'pbs', guestType: pbs[1] === 'vm' ? 'qemu' : 'lxc', vmid: Number(pbs[2]),
      time: pbs[3], epoch, format: pbs[1] === 'vm' ? 'pbs-vm' : 'pbs-ct',
    };
  }
  // Directory storages list `backup/<file>`; a bare file name is accepted as well.
  const fileName = rest.startsWith('backup/') ? rest.slice('backup/'.length) : rest;
  const f = fileRe.exec(fileName);
  if (!f) return undefined;
  const out: BackupVolid = {
    volid, storage, kind: 'file', guestType: f[1] as BackupVolid['guestType'], vmid: Number(f[2]),
    time: `${f[3]}-${f[4]}-${f[5]}T${f[6]}:${f[7]}:${f[8]}`, format: f[9], fileName,
  };
  const compression = f[10] ?? (f[9] === 'tgz' ? 'gz' : undefined);
  if (compression) out.compression = compression as BackupVolid['compression'];
  return out;
}
