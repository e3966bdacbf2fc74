// LXC `netN`: `name=eth0,bridge=vmbr0,hwaddr=BC:24:11:12:34:56,ip=192.168.1.50/24,gw=192.168.1.1,tag=10,type=veth`.
import { quote } from '../decoders/limits';
import { parseFlag, parseNonNegativeInt, parseNumber, parsePropertyString } from './propertyString';

export interface LxcNet {
  name: string;
  hwaddr?: string;
  bridge?: string;
  /** IPv4/CIDR, or dhcp / manual. */
  ip?: string;
  /** IPv6/CIDR, or auto / dhcp / manual. */
  ip6?: string;
  gw?: string;
  gw6?: string;
  tag?: number;
  trunks?: string;
  firewall: boolean;
  linkDown: boolean;
  mtu?: number;
  rate?: number;
  type: string;
}

export function parseLxcNet(text: string): LxcNet {
  const map = parsePropertyString(text);
  if (!map.name) throw new Error(`container network "${quote(text)}" has no name= (the interface name inside the container)`);
  const net: LxcNet = {
    name: map.name,
    firewall: map.firewall !== undefined && parseFlag(map.firewall, 'firewall'),
    linkDown: map.link_down !== undefined && parseFlag(map.link_down, 'link_down'),
    type: map.type || 'veth',
  };
  for (const key of ['hwaddr', 'bridge', 'ip', 'ip6', 'gw', 'gw6', 'trunks'] as const) {
    if (map[key]) net[key] = map[key];
  }
  if (map.tag !== undefined) net.tag = parseNonNegativeInt(map.tag, 'tag');
  if (map.mtu !== undefined) net.mtu = parseNonNegativeInt(map.mtu, 'mtu');
  if (map.rate !== undefined) net.rate = parseNumber(map.rate, 'rate');
  return net;
}
