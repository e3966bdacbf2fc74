// Guests grouped by node and shown a page at a time, so a cluster of 10,000 guests never builds 10,000 tree items at once.

export interface GuestLike {
  vmid: number;
  name?: string | null;
  node: string;
  type: string; // 'qemu' | 'lxc'
  status?: string | null;
}

export interface NodeGroup<G extends GuestLike> { node: string; guests: G[] }

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Nodes in natural order (pve2 before pve10), guests by VMID. */
export function groupGuestsByNode<G extends GuestLike>(guests: readonly G[]): NodeGroup<G>[] {
  const byNode = new Map<string, G[]>();
  for (const g of guests) {
    const list = byNode.get(g.node);
    if (list) list.push(g); else byNode.set(g.node, [g]);
  }
  return [...byNode.entries()]
    .sort(([a], [b]) => collator.compare(a, b))
    .map(([node, list]) => ({ node, guests: list.sort((a, b) => a.vmid - b.vmid) }));
}

export interface Page<T> { items: T[]; remaining: number; nextShown: number }

/** The first `shown` items and how many are left; "Show N more" raises `shown` by `pageSize`. */
export function pageOf<T>(items: readonly T[], shown: number): Page<T> {
  const n = Math.max(0, Math.min(items.length, shown));
  return { items: items.slice(0, n), remaining: items.length - n, nextShown: n };
}

export function guestLabel(g: GuestLike): string {
  return `${g.vmid} ${g.name ?? ''}`.trim();
}

export function guestDescription(g: GuestLike): string {
  const kind = g.type === 'lxc' ? 'container' : g.type === 'qemu' ? 'VM' : g.type;
  return g.status ? `${kind} · ${g.status}` : kind;
}

export function guestIcon(g: GuestLike): { id: string; color?: string } {
  const id = g.type === 'lxc' ? 'package' : 'vm';
  if (g.status === 'running') return { id, color: 'testing.iconPassed' };
  if (g.status === 'stopped') return { id, color: 'disabledForeground' };
  return { id };
}
