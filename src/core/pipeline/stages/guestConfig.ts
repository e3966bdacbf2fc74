// Reading the parts of a guest config the inventory keeps: disks (with sizes), NICs, and a few flags. Property
// strings are split the way PVE prints them: comma-separated key=value pairs, the default key bare first.
import type { DiskRecord, GuestType } from '../../inventory/model';
import type { PveGuestConfig } from '../api';

export function splitPropertyString(text: string, defaultKey?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (defaultKey && out[defaultKey] === undefined) out[defaultKey] = part;
      else out[part] = '';
    } else {
      out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
  }
  return out;
}

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** PVE disk sizes: "32G", "628M", "4M", or plain bytes. */
export function parseDiskSize(text: string | undefined): number | null {
  if (!text) return null;
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)B?$/i.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * SIZE_UNITS[m[2].toUpperCase()]);
}

export function flag(v: unknown): boolean | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const s = String(v).trim().toLowerCase();
  if (['1', 'on', 'yes', 'true'].includes(s)) return true;
  if (['0', 'off', 'no', 'false'].includes(s)) return false;
  return null;
}

export function str(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  const s = String(v);
  return s === '' ? null : s;
}

export function num(v: unknown): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  return Number.isFinite(n) ? n : null;
}

/** The qemu `agent` option: "1", "enabled=1,fstrim_cloned_disks=1", "0". */
export function agentEnabled(config: PveGuestConfig): boolean {
  const raw = config.agent;
  if (raw === undefined || raw === null) return false;
  if (typeof raw === 'number' || typeof raw === 'boolean') return flag(raw) === true;
  const map = splitPropertyString(String(raw), 'enabled');
  return flag(map.enabled) === true;
}

const QEMU_DISK = /^(scsi|virtio|sata|ide)\d+$|^efidisk0$|^tpmstate0$|^unused\d+$/;
const LXC_DISK = /^rootfs$|^mp\d+$|^unused\d+$/;

function storageOf(volume: string): string | null {
  if (volume.startsWith('/') || volume === 'none' || volume === 'cdrom') return null;
  const colon = volume.indexOf(':');
  return colon > 0 ? volume.slice(0, colon) : null;
}

export function parseDisks(vmid: number, type: GuestType, config: PveGuestConfig): DiskRecord[] {
  const out: DiskRecord[] = [];
  const pattern = type === 'qemu' ? QEMU_DISK : LXC_DISK;
  for (const [key, value] of Object.entries(config)) {
    if (!pattern.test(key) || typeof value !== 'string') continue;
    const map = splitPropertyString(value, type === 'qemu' ? 'file' : 'volume');
    const volume = map.file ?? map.volume ?? '';
    let kind: DiskRecord['kind'] = 'disk';
    if (key.startsWith('unused')) kind = 'unused';
    else if (key === 'efidisk0') kind = 'efi';
    else if (key === 'tpmstate0') kind = 'tpm';
    else if (key === 'rootfs') kind = 'rootfs';
    else if (/^mp\d+$/.test(key)) kind = 'mountpoint';
    else if (map.media === 'cdrom') kind = 'cdrom';
    out.push({
      vmid, key, volume, storage: storageOf(volume), sizeBytes: parseDiskSize(map.size), kind,
      backup: flag(map.backup) !== false && (kind !== 'mountpoint' || flag(map.backup) === true),
      mountPath: map.mp ?? null,
    });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
}

/** Sum of the sizes of real disks (what vzdump reads), not cdroms or unused volumes. */
export function configuredDiskBytes(disks: readonly DiskRecord[]): number | null {
  const real = disks.filter((d) => d.kind !== 'cdrom' && d.kind !== 'unused');
  if (real.length === 0) return null;
  return real.reduce((s, d) => s + (d.sizeBytes ?? 0), 0);
}

export interface ConfigNic {
  key: string;
  model: string | null;
  mac: string | null;
  bridge: string | null;
  vlan: number | null;
  firewall: boolean | null;
  mtu: number | null;
  /** lxc: name= (the name inside the container). */
  guestName: string | null;
  ip: string | null;
  ip6: string | null;
  gateway: string | null;
}

const QEMU_MODELS = new Set([
  'e1000', 'e1000-82540em', 'e1000-82544gc', 'e1000-82545em', 'e1000e', 'i82551', 'i82557b', 'i82559er',
  'ne2k_isa', 'ne2k_pci', 'pcnet', 'rtl8139', 'virtio', 'vmxnet3',
]);

export function parseNics(type: GuestType, config: PveGuestConfig): ConfigNic[] {
  const out: ConfigNic[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!/^net\d+$/.test(key) || typeof value !== 'string') continue;
    const map = splitPropertyString(value, type === 'qemu' ? 'model' : undefined);
    let model: string | null = null;
    let mac: string | null = null;
    if (type === 'qemu') {
      for (const [k, v] of Object.entries(map)) {
        if (QEMU_MODELS.has(k)) {
          model = k;
          mac = v || null;
        }
      }
      model ??= map.model ?? null;
      mac ??= map.macaddr ?? null;
    } else {
      model = map.type ?? 'veth';
      mac = map.hwaddr ?? null;
    }
    out.push({
      key, model, mac: mac ? mac.toUpperCase() : null, bridge: map.bridge ?? null, vlan: num(map.tag),
      firewall: flag(map.firewall), mtu: num(map.mtu), guestName: type === 'lxc' ? (map.name ?? null) : null,
      ip: map.ip ?? null, ip6: map.ip6 ?? null, gateway: map.gw ?? null,
    });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
}

/** qemu cloud-init `ipconfigN`: ip=/ip6= static addresses, keyed by N. */
export function parseIpConfigs(config: PveGuestConfig): Map<string, { ip: string | null; ip6: string | null }> {
  const out = new Map<string, { ip: string | null; ip6: string | null }>();
  for (const [key, value] of Object.entries(config)) {
    const m = /^ipconfig(\d+)$/.exec(key);
    if (!m || typeof value !== 'string') continue;
    const map = splitPropertyString(value);
    out.set(`net${m[1]}`, { ip: map.ip ?? null, ip6: map.ip6 ?? null });
  }
  return out;
}
