// QEMU `netN`: `virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,firewall=1,tag=10`. The `<model>=<mac>` pair is PVE's
// keyAlias form; `model=virtio,macaddr=...` and a bare `virtio` (no MAC yet) are valid too.
import { quote } from '../decoders/limits';
import { parseFlag, parseNonNegativeInt, parseNumber, parsePropertyString } from './propertyString';

export const qemuNicModels: ReadonlySet<string> = new Set([
  'e1000', 'e1000-82540em', 'e1000-82544gc', 'e1000-82545em', 'e1000e', 'i82551', 'i82557b', 'i82559er',
  'ne2k_isa', 'ne2k_pci', 'pcnet', 'rtl8139', 'virtio', 'vmxnet3',
]);

export interface QemuNet {
  model: string;
  /** As configured (PVE writes uppercase; guests report lowercase): compare case-insensitively. */
  macaddr?: string;
  bridge?: string;
  tag?: number;
  trunks?: string;
  firewall: boolean;
  linkDown: boolean;
  mtu?: number;
  queues?: number;
  /** MB/s. */
  rate?: number;
}

export function parseQemuNet(text: string): QemuNet {
  const map = parsePropertyString(text, {
    defaultKey: 'model',
    keyAlias: { keys: qemuNicModels, aliasFor: 'model', valueKey: 'macaddr' },
  });
  if (!map.model) throw new Error(`network device "${quote(text)}" names no model (e.g. virtio=<MAC>)`);
  const net: QemuNet = {
    model: map.model,
    firewall: map.firewall !== undefined && parseFlag(map.firewall, 'firewall'),
    linkDown: map.link_down !== undefined && parseFlag(map.link_down, 'link_down'),
  };
  if (map.macaddr) net.macaddr = map.macaddr;
  if (map.bridge) net.bridge = map.bridge;
  if (map.tag !== undefined) net.tag = parseNonNegativeInt(map.tag, 'tag');
  if (map.trunks) net.trunks = map.trunks;
  if (map.mtu !== undefined) net.mtu = parseNonNegativeInt(map.mtu, 'mtu');
  if (map.queues !== undefined) net.queues = parseNonNegativeInt(map.queues, 'queues');
  if (map.rate !== undefined) net.rate = parseNumber(map.rate, 'rate');
  return net;
}
