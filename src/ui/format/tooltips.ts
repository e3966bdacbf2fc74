// The markdown tooltips of the tree that are not a routine's (see routineView.ts): an error item and an endpoint.
// Every piece of text goes through the one escaper (markdown.ts); the only markdown here is the one we write.
import { capText } from '../../core/text/cap';
import { codeSpan, escapeMarkdown } from './markdown';

/** A server's error text longer than this (an HTML error page) is cut in a tooltip, saying how much was cut. */
export const MAX_TOOLTIP_TEXT = 2000;

/** An error item's tooltip: what happened (server words, as text), what to do, and what a click does. */
export function errorTooltip(message: string, fixTitle: string, suggestion?: string): string {
  const text = (t: string) => escapeMarkdown(capText(t, MAX_TOOLTIP_TEXT));
  return [text(message), ...(suggestion ? [text(suggestion)] : []), `Click to: ${escapeMarkdown(fixTitle)}`].join('\n\n');
}

export interface EndpointLike { name: string; url: string; tokenId: string; fingerprint?: string; netbox?: { url: string; site: string; fingerprint?: string }; backend?: string; kind?: 'pve' | 'pbs' }

/** An endpoint's tooltip: its name, what it is, URL, token id and how its certificate is trusted. */
export function endpointTooltip(e: EndpointLike): string {
  return [
    `**${escapeMarkdown(e.name)}**`, '', ...(e.backend ? [] : [`${e.kind === 'pbs' ? 'Proxmox Backup Server' : 'Proxmox VE'}  `]), `URL: ${escapeMarkdown(e.url)}  `,
    e.backend ? 'proxbox-api backend: its syncs run there and write NetBox; the API key is in VS Code\'s secret storage  ' : `Token: ${escapeMarkdown(e.tokenId)}  `,
    `TLS: ${e.fingerprint ? `pinned certificate ${codeSpan(e.fingerprint)}` : 'verified by a certificate authority'}`,
    ...(e.netbox ? ['', `NetBox: ${escapeMarkdown(e.netbox.url)}, site ${escapeMarkdown(e.netbox.site)}${e.netbox.fingerprint ? ' (pinned certificate)' : ''}  `, 'Each sync writes the differences there.'] : []),
  ].join('\n');
}
