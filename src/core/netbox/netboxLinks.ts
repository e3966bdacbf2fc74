// Links into NetBox's web UI for the objects the sink owns. They are found by our identity custom fields, not by
// name or NetBox id (the sink's contract: `proxbox_endpoint` on everything we own, `proxbox_vmid` on VMs,
// `proxbox_node` on devices), so a link works before the first sync has told us any NetBox id, and a guest renamed
// in Proxmox still finds its VM. Pure: the UI and the CLI use the same links.

/** NetBox's address without a trailing slash or /api, keeping a base path (NetBox's BASE_PATH setting). */
function base(url: string): string {
  const u = new URL(url.trim());
  const path = u.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
  return `${u.origin}${path}`;
}

function link(url: string, listPath: string, params: Record<string, string | number>): string {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  return `${base(url)}${listPath}?${query}`;
}

/** The virtual machine for a guest: `/virtualization/virtual-machines/?cf_proxbox_endpoint=…&cf_proxbox_vmid=…`. */
export function vmLink(url: string, endpointId: string, vmid: number): string {
  return link(url, '/virtualization/virtual-machines/', { cf_proxbox_endpoint: endpointId, cf_proxbox_vmid: vmid });
}

/** The device for a node: `/dcim/devices/?cf_proxbox_endpoint=…&cf_proxbox_node=…`. */
export function nodeLink(url: string, endpointId: string, node: string): string {
  return link(url, '/dcim/devices/', { cf_proxbox_endpoint: endpointId, cf_proxbox_node: node });
}

/** The netbox-proxbox plugin's backup routines for a job id: `/plugins/proxbox/backup-routines/?job_id=…`. */
export function routineLink(url: string, jobId: string): string {
  return link(url, '/plugins/proxbox/backup-routines/', { job_id: jobId });
}

/** The cluster of an endpoint: `/virtualization/clusters/?cf_proxbox_endpoint=…`. */
export function clusterLink(url: string, endpointId: string): string {
  return link(url, '/virtualization/clusters/', { cf_proxbox_endpoint: endpointId });
}

/** The page of what a person points at: a guest (by vmid), a node, a backup job (the plugin's), or else the endpoint's cluster. */
export function netboxPage(url: string, endpointId: string, what: { vmid?: number; node?: string; jobId?: string }): string {
  if (what.vmid !== undefined) return vmLink(url, endpointId, what.vmid);
  if (what.jobId) return routineLink(url, what.jobId);
  if (what.node) return nodeLink(url, endpointId, what.node);
  return clusterLink(url, endpointId);
}
