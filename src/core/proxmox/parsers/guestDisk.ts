// Guest disk entries with sizes: QEMU `scsiN|virtioN|sataN|ideN|efidisk0|tpmstate0|unusedN` and LXC
// `rootfs|mpN|unusedN`. The volume is the default key (`file` for QEMU, `volume` for LXC) and comes first.
import { quote } from '../decoders/limits';
import { parseFlag, parsePropertyString } from './propertyString';
import { parseDiskSize } from './size';

export type DiskBus = 'scsi' | 'virtio' | 'sata' | 'ide' | 'efidisk' | 'tpmstate' | 'unused' | 'rootfs' | 'mp';

export interface GuestDisk {
  /** The config key, e.g. `scsi0`, `rootfs`, `mp1`. */
  key: string;
  bus: DiskBus;
  index: number;
  /** `local-lvm:vm-100-disk-0`, `none` (empty drive), `cdrom`, or a path (`/dev/sdb`, bind mount `/srv/data`). */
  volume: string;
  /** The storage id before the colon; absent for `none`, `cdrom` and absolute paths. */
  storage?: string;
  sizeBytes?: number;
  media: 'disk' | 'cdrom';
  /** LXC mount point path (`mp=`), `/` for rootfs. */
  mountpoint?: string;
  format?: string;
  /** Whether vzdump includes this volume (QEMU: unless backup=0; LXC: rootfs, and mpN with backup=1 on a volume). */
  backup: boolean;
  /** Every option as written, for the raw view. */
  options: Record<string, string>;
}

const qemuKey = /^(scsi|virtio|sata|ide|efidisk|tpmstate|unused)(\d+)$/;
const lxcKey = /^(rootfs|mp|unused)(\d*)$/;

export function isQemuDiskKey(key: string): boolean {
  return qemuKey.test(key);
}

export function isLxcDiskKey(key: string): boolean {
  return key === 'rootfs' || /^(mp|unused)\d+$/.test(key);
}

function storageOf(volume: string): string | undefined {
  const m = /^([A-Za-z][A-Za-z0-9\-_.]*):/.exec(volume);
  return m ? m[1] : undefined;
}

function base(key: string, bus: DiskBus, index: number, options: Record<string, string>, volumeKey: string, text: string): GuestDisk {
  const volume = options[volumeKey];
  if (!volume) throw new Error(`${key} "${quote(text)}" names no volume`);
  const disk: GuestDisk = { key, bus, index, volume, media: options.media === 'cdrom' ? 'cdrom' : 'disk', backup: false, options };
  const storage = storageOf(volume);
  if (storage) disk.storage = storage;
  if (options.size !== undefined) disk.sizeBytes = parseDiskSize(options.size);
  if (options.format) disk.format = options.format;
  return disk;
}

export function parseQemuDisk(key: string, text: string): GuestDisk {
  const m = qemuKey.exec(key);
  if (!m) throw new Error(`"${key}" is not a QEMU disk key`);
  const options = parsePropertyString(text, { defaultKey: 'file' });
  if (options.volume && !options.file) options.file = options.volume;
  const disk = base(key, m[1] as DiskBus, Number(m[2]), options, 'file', text);
  disk.backup = disk.bus !== 'unused' && disk.media !== 'cdrom' && (options.backup === undefined || parseFlag(options.backup, 'backup'));
  return disk;
}

export function parseLxcMount(key: string, text: string): GuestDisk {
  const m = lxcKey.exec(key);
  if (!m || (m[1] !== 'rootfs' && m[2] === '')) throw new Error(`"${key}" is not a container mount key`);
  const options = parsePropertyString(text, { defaultKey: 'volume' });
  const disk = base(key, m[1] as DiskBus, m[2] === '' ? 0 : Number(m[2]), options, 'volume', text);
  if (disk.bus === 'rootfs') {
    disk.mountpoint = '/';
    disk.backup = true;
  } else if (disk.bus === 'mp') {
    if (options.mp) disk.mountpoint = options.mp;
    // vzdump skips bind and device mounts whatever their flag; volume mounts only with backup=1.
    disk.backup = disk.storage !== undefined && options.backup !== undefined && parseFlag(options.backup, 'backup');
  }
  return disk;
}
