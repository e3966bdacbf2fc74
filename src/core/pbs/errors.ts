// The shared transport words its errors for Proxmox VE; for a PBS endpoint the same error (same category, status,
// code, so retries and the UI act the same) names PBS, its port and its privileges instead.
import { ProxmoxError } from '../proxmox/errors';

/** The privilege and ACL path PBS checks for a read, as its API schema declares them. */
export function pbsPrivilegeFor(path: string): { privilege: string; aclPath: string } {
  const store = /^\/admin\/datastore\/([^/?]+)/.exec(path)?.[1];
  if (store) return { privilege: 'Datastore.Audit', aclPath: `/datastore/${decodeURIComponent(store)}` };
  if (/^\/(admin|status|config)\//.test(path)) return { privilege: 'Datastore.Audit', aclPath: '/datastore' };
  return { privilege: 'Sys.Audit', aclPath: '/' };
}

const READ_ONLY_ROLES = 'A read-only token needs the DatastoreAudit role on /datastore plus the Audit role on / '
  + '(Configuration → Access Control → Permissions); PBS grants a token only what both the token and its user have, '
  + 'so give the roles to both.';

function rewrite(e: ProxmoxError, message: string, suggestion: string): ProxmoxError {
  return new ProxmoxError({
    category: e.category, path: e.path, status: e.status, code: e.code, pveMessage: e.pveMessage, cause: e,
    expectedFingerprint: e.expectedFingerprint, actualFingerprint: e.actualFingerprint, message, suggestion,
  });
}

export function pbsError(e: ProxmoxError): ProxmoxError {
  const says = e.pveMessage ? `: ${e.pveMessage}` : '';
  if (e.code === 'BAD_ENDPOINT') {
    return rewrite(e, e.message, e.suggestion.replace(/8006/g, '8007').replace(/Proxmox VE/g, 'Proxmox Backup Server')
      .replace(/any node of the cluster/g, 'the backup server')
      .replace('Datacenter → Permissions → API Tokens', 'Configuration → Access Control → API Token').replace('proxbox@pve!sync', 'proxbox@pbs!sync'));
  }
  if (e.category === 'authentication') {
    return rewrite(e, `The Proxmox Backup Server rejected the API token (HTTP ${e.status ?? 401} for GET ${e.path})${says}`,
      'Check the token id (user@realm!name, e.g. proxbox@pbs!sync) and its secret, and that the token and its user are '
      + 'enabled and not expired (Configuration → Access Control → API Token). Note that a PVE token does not work on PBS.');
  }
  if (e.category === 'permission' && /^\/nodes\/[^/]+\/time$/.test(e.path)) {
    // PBS answers its time to any authenticated caller (get_time is Permission::Anybody): no privilege to grant.
    return rewrite(e, `The Proxmox Backup Server refused GET ${e.path}${says}`,
      'PBS gives its time to any valid token, so a proxy or firewall in front of the server may be filtering this path: '
      + 'let it pass GET /api2/json/nodes/localhost/time.');
  }
  if (e.category === 'permission') {
    const need = pbsPrivilegeFor(e.path);
    return rewrite(e, `The Proxmox Backup Server denied GET ${e.path}${says}`,
      `The token lacks ${need.privilege} on ${need.aclPath}. ${READ_ONLY_ROLES}`);
  }
  if (e.code === 'ECONNREFUSED') {
    return rewrite(e, e.message, `Nothing listens there: check the host and that the URL has the PBS port (8007 unless changed), e.g. https://pbs.example.com:8007.`);
  }
  if (e.category === 'internal' && e.status !== undefined) {
    return rewrite(e, `The Proxmox Backup Server failed to answer GET ${e.path} (HTTP ${e.status})${says}`,
      'An error inside PBS; retry later, and check its journal (journalctl -u proxmox-backup-proxy -u proxmox-backup) if it persists.');
  }
  if (e.category === 'connection' && (e.status === 595 || e.status === 596)) {
    return rewrite(e, `The Proxmox Backup Server could not complete GET ${e.path} (HTTP ${e.status})${says}`,
      'The backup server or a proxy in front of it timed out or lost a connection; retry, and check the server is up.');
  }
  return e;
}
