// A redraw that replaces the page must not move the user: a background sync re-renders the whole view, and without
// this the focused control is removed with the old DOM (focus falls to the page, Enter does nothing) and the page
// scrolls back to the top while it is empty. The focused element is found again by a stable key (its id, or a
// data-focus-key for elements without one) and the scroll position is put back. Views call it around their render;
// the calendar can use it as well.

/** The part of the DOM this needs, so the unit tests hand in a fake one. */
export interface PlaceElement {
  id: string;
  getAttribute(name: string): string | null;
}

export interface Focusable {
  focus(options?: { preventScroll?: boolean }): void;
}

export interface PlaceDocument {
  activeElement: PlaceElement | null;
  /** Whether the page has the keyboard. A webview keeps its activeElement while the user is in the command palette
   * or another editor; giving that element focus again then pulls the keyboard back into the webview. */
  hasFocus(): boolean;
  body: unknown;
  getElementById(id: string): Focusable | null;
  querySelector(selector: string): Focusable | null;
}

export interface PlaceScroller {
  scrollTop: number;
  scrollLeft: number;
}

export const FOCUS_KEY_ATTR = 'data-focus-key';

/** The key the focused element is found again by after a redraw; null when nothing (or the page) has focus. */
export function focusKey(doc: PlaceDocument): { id: string } | { key: string } | null {
  const active = doc.activeElement;
  if (!active || active === doc.body) return null;
  if (active.id) return { id: active.id };
  const key = active.getAttribute(FOCUS_KEY_ATTR);
  return key ? { key } : null;
}

function find(doc: PlaceDocument, key: { id: string } | { key: string }): Focusable | null {
  if ('id' in key) return doc.getElementById(key.id);
  // The key is an attribute value, quoted for the selector; keys are ours (ids of routines, buttons), never markup.
  return doc.querySelector(`[${FOCUS_KEY_ATTR}="${key.key.replace(/["\\]/g, '\\$&')}"]`);
}

/**
 * Runs `redraw`, then gives focus back to the element with the same key (if the new page has one) and puts the
 * scroll position back. Focus is not moved when the redraw left it where it was (a partial redraw), nor when the
 * page did not have the keyboard: a background redraw must never take it from the command palette or an editor.
 */
export function keepPlace<T>(doc: PlaceDocument, scroller: PlaceScroller | null, redraw: () => T): T {
  const key = doc.hasFocus() ? focusKey(doc) : null;
  const before = doc.activeElement;
  return keepScroll(scroller, () => {
    const result = redraw();
    if (key && doc.activeElement !== before) find(doc, key)?.focus({ preventScroll: true });
    return result;
  });
}

/** Runs `redraw` and puts the scroll position back, for a view that puts the focus back itself (the health view
 * moves it on purpose after some actions). */
export function keepScroll<T>(scroller: PlaceScroller | null, redraw: () => T): T {
  const top = scroller?.scrollTop ?? 0;
  const left = scroller?.scrollLeft ?? 0;
  const result = redraw();
  if (scroller && (scroller.scrollTop !== top || scroller.scrollLeft !== left)) {
    scroller.scrollTop = top;
    scroller.scrollLeft = left;
  }
  return result;
}
