// Building DOM from data. Every string goes in as text (textContent or an attribute value), never as HTML:
// names, comments and notes come from Proxmox and may contain markup.

export interface Props {
  class?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.text !== undefined) el.textContent = props.text;
  if (props.title !== undefined) el.title = props.title;
  for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, v);
  for (const [event, handler] of Object.entries(props.on ?? {})) el.addEventListener(event, handler as EventListener);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
}

/** A two-column table of label/value rows; rows without a value are left out. */
export function definitionTable(rows: [string, string | Node | null | undefined][], caption?: string): HTMLTableElement {
  // aria-label rather than a hidden caption: the caption's text would show up twice in the text snapshot.
  const table = h('table', { class: 'kv', attrs: caption ? { 'aria-label': caption } : {} });
  for (const [label, value] of rows) {
    if (value === null || value === undefined || value === '') continue;
    table.append(h('tr', {}, h('th', { text: label, attrs: { scope: 'row' } }), h('td', {}, value)));
  }
  return table;
}

/** The visible text of the page, one line per block, for the 'rendered' snapshot. */
export function textSnapshot(root: HTMLElement): string {
  return (root.innerText || root.textContent || '').replace(/\n{3,}/g, '\n\n').trim();
}
