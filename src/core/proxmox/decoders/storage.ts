import type { NodeStorage, StorageConfig, StorageContentItem } from '../types';
import { parsePruneBackups } from '../parsers/pruneBackups';
import { bool, DecodeError, type Decoder, int, num, opt, optText, rawOf, record, req, rowsOf, str } from './primitives';

const list = (o: Record<string, unknown>, key: string, at: string): string[] =>
  (opt(o, key, str, at) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

export const decodeNodeStorage: Decoder<NodeStorage> = (v, at) => {
  const o = record(v, at);
  return {
    storage: req(o, 'storage', str, at), type: req(o, 'type', str, at), content: list(o, 'content', at),
    active: opt(o, 'active', bool, at), enabled: opt(o, 'enabled', bool, at), shared: opt(o, 'shared', bool, at),
    total: opt(o, 'total', num, at), used: opt(o, 'used', num, at), avail: opt(o, 'avail', num, at),
    usedFraction: opt(o, 'used_fraction', num, at),
  };
};
export const decodeNodeStorageList = rowsOf(decodeNodeStorage);

export const decodeStorageContentItem: Decoder<StorageContentItem> = (v, at) => {
  const o = record(v, at);
  const verification = opt(o, 'verification', record, at);
  return {
    volid: req(o, 'volid', str, at), format: req(o, 'format', str, at),
    size: opt(o, 'size', num, at), approximateSize: opt(o, 'approximate-size', num, at), used: opt(o, 'used', num, at),
    ctime: opt(o, 'ctime', int, at), vmid: opt(o, 'vmid', int, at), content: opt(o, 'content', str, at),
    subtype: opt(o, 'subtype', str, at), notes: opt(o, 'notes', str, at), protected: opt(o, 'protected', bool, at) ?? false,
    verification: verification && {
      state: req(verification, 'state', str, `${at}.verification`), upid: opt(verification, 'upid', str, `${at}.verification`),
    },
    encrypted: optText(o, 'encrypted', at), parent: optText(o, 'parent', at),
  };
};
export const decodeStorageContent = rowsOf(decodeStorageContentItem);

// PVE keeps storage passwords and keys in /etc/pve/priv and never returns them; should a plugin ever echo one, it
// still must not reach the inventory, so the raw view drops these keys.
const secretKeys = /^(password|encryption-key|keyring|master-pubkey|secret.*)$/;
function withoutSecrets(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !secretKeys.test(k)));
}

export const decodeStorageConfig: Decoder<StorageConfig> = (v, at) => {
  const o = record(v, at);
  const prune = o['prune-backups'];
  let pruneBackups;
  if (prune !== undefined && prune !== null && prune !== '') {
    try {
      pruneBackups = parsePruneBackups(prune as string | Record<string, unknown>);
    } catch (e) {
      throw new DecodeError(`${at}.prune-backups`, e instanceof Error ? e.message : String(e));
    }
  }
  return {
    storage: req(o, 'storage', str, at), type: opt(o, 'type', str, at) ?? 'unknown', content: list(o, 'content', at),
    nodes: list(o, 'nodes', at), shared: opt(o, 'shared', bool, at) ?? false, disabled: opt(o, 'disable', bool, at) ?? false,
    path: optText(o, 'path', at), server: optText(o, 'server', at), port: opt(o, 'port', int, at),
    datastore: optText(o, 'datastore', at), namespace: optText(o, 'namespace', at), username: optText(o, 'username', at),
    fingerprint: optText(o, 'fingerprint', at), pruneBackups, maxProtectedBackups: opt(o, 'max-protected-backups', int, at),
    digest: opt(o, 'digest', str, at), raw: rawOf(withoutSecrets(o), at),
  };
};
export const decodeStorageIndex = rowsOf(decodeStorageConfig);
