// Tiny DOM helpers. Every string from a mail goes in as text (textContent), never as HTML.
import { visible } from '../shared/visible';

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, k === 'title' || k === 'aria-label' ? visible(v) : v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(typeof c === 'string' ? document.createTextNode(visible(c)) : c);
  }
  return e;
}

// Mail text may carry bidi overrides (U+202E would reverse the rest of a box), escapes and zero-width
// characters: they are drawn as visible "[U+202E]" marks (src/shared/visible.ts, shared with the host).
export { visible };

export function clear(e: Element): void {
  while (e.firstChild) e.removeChild(e.firstChild);
}
