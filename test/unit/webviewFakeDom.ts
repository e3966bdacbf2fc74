// Just enough of the DOM for the webviews' view modules to render into in Node: elements with attributes, classes,
// text, styles, children and click handlers. There is no HTML parser on purpose: nothing here can turn a string into
// elements, so a test that finds an element made from Proxmox text has found a real injection.

export class FakeText {
  readonly nodeType = 3;
  parent: FakeElement | null = null;
  constructor(public data: string) {}
  get textContent(): string {
    return this.data;
  }
}

type Child = FakeElement | FakeText;

export class FakeElement {
  readonly nodeType = 1;
  parent: FakeElement | null = null;
  children: Child[] = [];
  readonly attributes = new Map<string, string>();
  // setProperty as the CSSOM has it (custom properties such as --custom-color); not enumerable, so `style` still
  // lists only the values set.
  readonly style: Record<string, string> = Object.defineProperty({}, 'setProperty', {
    value(this: Record<string, string>, name: string, value: string) { this[name] = value; },
    enumerable: false,
  }) as Record<string, string>;
  private readonly listeners = new Map<string, ((event: unknown) => void)[]>();
  value = '';
  checked = false;
  disabled = false;

  constructor(readonly tagName: string) {}

  get className(): string {
    return this.attributes.get('class') ?? '';
  }

  set className(v: string) {
    this.attributes.set('class', v);
  }

  get classList(): string[] {
    return this.className.split(/\s+/).filter(Boolean);
  }

  get id(): string {
    return this.attributes.get('id') ?? '';
  }

  get title(): string {
    return this.attributes.get('title') ?? '';
  }

  set title(v: string) {
    this.attributes.set('title', v);
  }

  get textContent(): string {
    return this.children.map((c) => c.textContent).join('');
  }

  set textContent(v: string) {
    this.replaceChildren(v);
  }

  setAttribute(name: string, value: string): void {
    this.attributes.set(name, String(value));
  }

  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }

  addEventListener(type: string, handler: (event: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), handler]);
  }

  /** Fires an event as a user would: a click, or a change after setting value/checked. */
  fire(type: string): void {
    for (const h of this.listeners.get(type) ?? []) h({ type, target: this, preventDefault: () => undefined });
  }

  append(...nodes: (Child | string)[]): void {
    for (const n of nodes) {
      const node = typeof n === 'string' ? new FakeText(n) : n;
      node.parent = this;
      this.children.push(node);
    }
  }

  replaceChildren(...nodes: (Child | string)[]): void {
    this.children = [];
    this.append(...nodes);
  }

  /** Every element below this one, depth first. */
  all(): FakeElement[] {
    return this.children.flatMap((c) => (c instanceof FakeElement ? [c, ...c.all()] : []));
  }

  find(test: (e: FakeElement) => boolean): FakeElement | undefined {
    return this.all().find(test);
  }

  byId(id: string): FakeElement | undefined {
    return this.find((e) => e.id === id);
  }

  byClass(cls: string): FakeElement[] {
    return this.all().filter((e) => e.classList.includes(cls));
  }

  /** Text with a line per block element, roughly as innerText reads it. */
  get innerText(): string {
    const blocks = new Set(['div', 'p', 'h1', 'h2', 'h3', 'li', 'section', 'header', 'tr', 'pre', 'ul', 'ol', 'table', 'button', 'main']);
    const walk = (n: Child): string => (n instanceof FakeText ? n.data
      : `${blocks.has(n.tagName) ? '\n' : ''}${n.children.map(walk).join(n.tagName === 'tr' ? '\t' : '')}${blocks.has(n.tagName) ? '\n' : ''}`);
    return walk(this).replace(/\n+/g, '\n').trim();
  }
}

export const fakeDocument = {
  createElement: (tag: string) => new FakeElement(tag),
  createTextNode: (text: string) => new FakeText(text),
};

/** Installs the fake document for the duration of a mocha suite. */
export function useFakeDom(): void {
  let previous: unknown;
  before(() => {
    previous = (globalThis as { document?: unknown }).document;
    (globalThis as { document?: unknown }).document = fakeDocument;
  });
  after(() => {
    (globalThis as { document?: unknown }).document = previous;
  });
}
