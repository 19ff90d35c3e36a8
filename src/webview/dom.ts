// Tiny DOM helpers. Every string from a mail goes in as text (textContent), never as HTML.
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

/**
 * Mail text may carry bidi overrides (U+202E would reverse the rest of a box), escapes and zero-width
 * characters: they are drawn as visible "[U+202E]" marks, as the editor shows them (same set as
 * src/vscode/diagnostics.ts visible()).
 */
export function visible(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

export function clear(e: Element): void {
  while (e.firstChild) e.removeChild(e.firstChild);
}
