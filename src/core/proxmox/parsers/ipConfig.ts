// QEMU cloud-init `ipconfigN`: `[gw=<IPv4>] [,gw6=<IPv6>] [,ip=<IPv4/CIDR|dhcp>] [,ip6=<IPv6/CIDR|dhcp|auto>]`.
import { parsePropertyString } from './propertyString';

export interface IpConfig {
  ip?: string;
  gw?: string;
  ip6?: string;
  gw6?: string;
}

export function parseIpConfig(text: string): IpConfig {
  const map = parsePropertyString(text);
  const out: IpConfig = {};
  for (const key of ['ip', 'gw', 'ip6', 'gw6'] as const) if (map[key]) out[key] = map[key];
  return out;
}
