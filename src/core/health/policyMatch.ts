// Which policy rules apply to a guest, merged into one effective policy. The policy FILE is parsed elsewhere
// (policy.ts); this module only matches parsed rules against a guest, so the rules and the file format stay apart.
import type { EndpointRef, GuestRecord, StorageRecord } from '../inventory/model';
import type { BackupPolicy, EffectivePolicy, PolicyMatch } from './types';

const globCache = new Map<string, RegExp>();

/** A glob with `*` (any run of characters) and `?` (one character), whole-string and case-insensitive. */
export function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 'is');
    if (globCache.size > 1000) globCache.clear();
    globCache.set(glob, re);
  }
  return re;
}

/** Whether every criterion the rule gives matches the guest (AND); a match with no criteria applies to every guest. */
export function policyMatches(match: PolicyMatch, guest: GuestRecord, endpoint: EndpointRef): boolean {
  if (match.vmid !== undefined && !match.vmid.includes(guest.vmid)) return false;
  if (match.name !== undefined && !globToRegExp(match.name).test(guest.name)) return false;
  if (match.tag !== undefined && !guest.tags.some((t) => t.toLowerCase() === match.tag!.toLowerCase())) return false;
  if (match.pool !== undefined && guest.pool !== match.pool) return false;
  if (match.node !== undefined && guest.node !== match.node) return false;
  if (match.endpoint !== undefined && match.endpoint !== endpoint.id && match.endpoint !== endpoint.name) return false;
  return true;
}

/**
 * The settings that apply to a guest: for each setting, the first rule in file order that matches the guest and sets
 * it, so a specific rule written above a general one overrides it for that setting only.
 */
export function effectivePolicyFor(policy: BackupPolicy, guest: GuestRecord, endpoint: EndpointRef): EffectivePolicy {
  const out: EffectivePolicy = { exclude: null, maxAgeHours: null, requireStorage: null, maxVerifyAgeDays: null };
  for (const rule of policy.rules) {
    if (!policyMatches(rule.match, guest, endpoint)) continue;
    if (!out.exclude && rule.exclude) out.exclude = { reason: rule.exclude.reason, rule: rule.index };
    if (!out.maxAgeHours && rule.maxAgeHours !== undefined) out.maxAgeHours = { hours: rule.maxAgeHours, rule: rule.index };
    if (!out.requireStorage && rule.requireStorage !== undefined) out.requireStorage = { storages: rule.requireStorage, rule: rule.index };
    if (!out.maxVerifyAgeDays && rule.maxVerifyAgeDays !== undefined) out.maxVerifyAgeDays = { days: rule.maxVerifyAgeDays, rule: rule.index };
  }
  return out;
}

/**
 * The storage ids of an inventory that a `requireStorage` list accepts: an entry is a glob on the storage id, or
 * `type:<type>` for every storage of that type (`type:pbs`).
 */
export function storagesMatching(entries: readonly string[], storages: readonly StorageRecord[]): Set<string> {
  const out = new Set<string>();
  for (const entry of entries) {
    if (entry.startsWith('type:')) {
      const type = entry.slice(5).toLowerCase();
      for (const s of storages) if (s.type.toLowerCase() === type) out.add(s.storage);
    } else {
      const re = globToRegExp(entry);
      for (const s of storages) if (re.test(s.storage)) out.add(s.storage);
    }
  }
  return out;
}
