// Which rows of a long table to draw: only those in the viewport plus a few either side (overscan), at a fixed row
// height, so 10,000 guests cost the DOM about as much as 60. Pure, so the arithmetic at the edges is tested.

export interface VirtualWindow {
  /** First row drawn (inclusive) and the one after the last (exclusive). */
  start: number;
  end: number;
  /** Height of all rows, px: the scroll area keeps its full size while most rows are absent. */
  totalHeight: number;
}

/** Every row is this tall (px, media/webview/health.css sets the same): positions are arithmetic, not measured. */
export const ROW_HEIGHT = 26;

export function virtualWindow(total: number, scrollTop: number, viewportHeight: number, rowHeight: number, overscan = 10): VirtualWindow {
  const totalHeight = total * rowHeight;
  if (total === 0) return { start: 0, end: 0, totalHeight };
  // A viewport not measured yet (0) still draws a screenful, so the first paint is never empty.
  const height = viewportHeight > 0 ? viewportHeight : 30 * rowHeight;
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, totalHeight - height));
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + height) / rowHeight);
  return { start: Math.max(0, first - overscan), end: Math.min(total, last + overscan), totalHeight };
}

/** The scrollTop that brings row `index` fully into view, moving as little as possible. */
export function revealRow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (viewportHeight > 0 && top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight;
  return scrollTop;
}

/** The row a key moves the selection to, clamped to the table; `page` rows for PageUp/PageDown. */
export function moveIndex(current: number, key: string, total: number, page: number): number | null {
  if (total === 0) return null;
  const from = current < 0 ? -1 : current;
  switch (key) {
    case 'ArrowDown': return Math.min(total - 1, from + 1);
    case 'ArrowUp': return Math.max(0, from < 0 ? 0 : from - 1);
    case 'PageDown': return Math.min(total - 1, Math.max(0, from) + page);
    case 'PageUp': return Math.max(0, from - page);
    case 'Home': return 0;
    case 'End': return total - 1;
    default: return null;
  }
}
