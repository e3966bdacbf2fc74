// Whether a host is this machine, for the places that allow plain http or no token only there: the Proxmox, PBS and
// NetBox endpoint URLs, --netbox-url, the proxbox-api backend address, and `proxbox serve` (its --bind and the Host
// header of each request). One rule for all of them, so none is looser or stricter than the others.
import { BlockList, isIP } from 'node:net';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
// BlockList also matches the IPv4-mapped spelling (::ffff:127.0.0.1, ::ffff:7f00:1) against the IPv4 subnet.
loopback.addAddress('::1', 'ipv6');

/**
 * Whether `host` names the loopback: `localhost` (any case), an IPv4 address in 127.0.0.0/8, or the IPv6 loopback
 * in any spelling (::1, 0:0:0:0:0:0:0:1, ::1%lo, IPv4-mapped 127.x), with or without the brackets of a URL hostname.
 * A name is not resolved: `localhost.` and `127.0.0.1.example.com` are names like any other, and 0.0.0.0 is every
 * address, not the loopback.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost') return true;
  const family = isIP(h);
  return family !== 0 && loopback.check(h, family === 4 ? 'ipv4' : 'ipv6');
}
