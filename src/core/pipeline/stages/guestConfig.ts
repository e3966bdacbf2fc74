// Mapping the client's decoded guest configs onto inventory records: disks (with what vzdump includes) and NICs.
import type { DiskRecord } from '../../inventory/model';
import type { GuestDisk } from '../../proxmox/parsers/guestDisk';
import type { GuestConfig } from '../api';
import { naturalCompare } from '../../inventory/reconcile';

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

function diskKind(d: GuestDisk): DiskRecord['kind'] {
  switch (d.bus) {
    case 'unused': return 'unused';
    case 'efidisk': return 'efi';
    case 'tpmstate': return 'tpm';
    case 'rootfs': return 'rootfs';
    case 'mp': return 'mountpoint';
    default: return d.media === 'cdrom' ? 'cdrom' : 'disk';
  }
}

export function disksOf(vmid: number, g: GuestConfig): DiskRecord[] {
  return g.config.disks
    .map((d) => ({
      vmid, key: d.key, volume: d.volume, storage: d.storage ?? null, sizeBytes: d.sizeBytes ?? null, kind: diskKind(d),
      backup: d.backup, mountPath: d.mountpoint ?? null,
    }))
    .sort((a, b) => naturalCompare(a.key, b.key));
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
  /** lxc: name= (the interface name inside the container). */
  guestName: string | null;
  ip: string | null;
  ip6: string | null;
  gateway: string | null;
}

export function nicsOf(g: GuestConfig): ConfigNic[] {
  const out: ConfigNic[] = g.type === 'qemu'
    ? g.config.nets.map((n) => ({
        key: n.key, model: n.model, mac: n.macaddr ? n.macaddr.toUpperCase() : null, bridge: n.bridge ?? null, vlan: n.tag ?? null,
        firewall: n.firewall, mtu: n.mtu ?? null, guestName: null, ip: null, ip6: null, gateway: null,
      }))
    : g.config.nets.map((n) => ({
        key: n.key, model: n.type, mac: n.hwaddr ? n.hwaddr.toUpperCase() : null, bridge: n.bridge ?? null, vlan: n.tag ?? null,
        firewall: n.firewall, mtu: n.mtu ?? null, guestName: n.name, ip: n.ip ?? null, ip6: n.ip6 ?? null, gateway: n.gw ?? null,
      }));
  return out.sort((a, b) => naturalCompare(a.key, b.key));
}
