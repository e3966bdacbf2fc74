import type { AgentInterface, AgentInterfaces, GuestIpAddress, LxcInterface } from '../types';
import { arrayOf, DecodeError, type Decoder, int, num, opt, optText, record, req, rowsOf, str } from './primitives';

const family = (v: unknown, at: string): GuestIpAddress['family'] => {
  const s = str(v, at).toLowerCase();
  // The guest agent says ipv4/ipv6, the container endpoint inet/inet6.
  if (s === 'ipv4' || s === 'inet') return 'ipv4';
  if (s === 'ipv6' || s === 'inet6') return 'ipv6';
  throw new DecodeError(at, `expected ipv4, ipv6, inet or inet6, got "${s}"`);
};

const decodeIpAddress: Decoder<GuestIpAddress> = (v, at) => {
  const o = record(v, at);
  const address = req(o, 'ip-address', str, at);
  return { address, family: opt(o, 'ip-address-type', family, at) ?? (address.includes(':') ? 'ipv6' : 'ipv4'), prefix: opt(o, 'prefix', int, at) };
};

const decodeStatistics: Decoder<Record<string, number>> = (v, at) => {
  const o = record(v, at);
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== null).map(([k, x]) => [k, num(x, `${at}.${k}`)]));
};

const decodeAgentInterface: Decoder<AgentInterface> = (v, at) => {
  const o = record(v, at);
  return {
    name: req(o, 'name', str, at), hardwareAddress: optText(o, 'hardware-address', at),
    ipAddresses: opt(o, 'ip-addresses', arrayOf(decodeIpAddress), at) ?? [],
    statistics: opt(o, 'statistics', decodeStatistics, at),
  };
};

/** `{result: [...]}`, or `{result: {error: {class, desc}}}` with HTTP 200 when the agent refuses the command. */
export const decodeAgentInterfaces: Decoder<AgentInterfaces> = (v, at, dropRow) => {
  const o = record(v, at);
  const result = o.result;
  if (Array.isArray(result)) return { interfaces: rowsOf(decodeAgentInterface)(result, `${at}.result`, dropRow) };
  const r = req(o, 'result', record, at);
  const error = req(r, 'error', record, `${at}.result`);
  return {
    interfaces: [],
    error: { class: opt(error, 'class', str, `${at}.result.error`) ?? 'GenericError', desc: opt(error, 'desc', str, `${at}.result.error`) ?? '' },
  };
};

/** Derives addresses from the legacy `inet`/`inet6` CIDR fields when `ip-addresses` is absent (older PVE). */
function fromCidr(cidr: string | undefined, fam: GuestIpAddress['family']): GuestIpAddress[] {
  if (!cidr) return [];
  const [address, prefix] = cidr.split('/');
  return [{ address, family: fam, prefix: prefix === undefined || !/^\d+$/.test(prefix) ? undefined : Number(prefix) }];
}

const decodeLxcInterface: Decoder<LxcInterface> = (v, at) => {
  const o = record(v, at);
  const inet = optText(o, 'inet', at);
  const inet6 = optText(o, 'inet6', at);
  return {
    name: req(o, 'name', str, at), hwaddr: optText(o, 'hardware-address', at) ?? optText(o, 'hwaddr', at), inet, inet6,
    ipAddresses: opt(o, 'ip-addresses', arrayOf(decodeIpAddress), at) ?? [...fromCidr(inet, 'ipv4'), ...fromCidr(inet6, 'ipv6')],
  };
};

/** A stopped container answers `{"data": null}`: no interfaces. */
export const decodeLxcInterfaces: Decoder<LxcInterface[]> = (v, at, dropRow) =>
  (v === null || v === undefined ? [] : rowsOf(decodeLxcInterface)(v, at, dropRow));
