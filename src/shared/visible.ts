// Characters from mail that must never reach a reader raw: C0 controls but tab, newline and carriage
// return, DEL and C1, zero-width and bidi controls, line/paragraph separators, BOM. They can drive a
// terminal (escape sequences, OSC 8 links) or hide and reorder text (bidi overrides). Every surface —
// the CLI, diagnostics and hovers, the webview — shows them as visible marks instead.
// (No vscode, no DOM: the host, the webview and the CLI share it.)

const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const hex = (c: string): string => c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

/** Each unsafe character as a visible mark, `[U+202E]` (or with other brackets). */
export function visible(s: string, open = '[', close = ']'): string {
  return s.replace(UNSAFE, (c) => `${open}U+${hex(c)}${close}`);
}

/** For JSON already produced by JSON.stringify: the same value, with unsafe characters as \uXXXX escapes. */
export function escapeUnsafeJson(json: string): string {
  return json.replace(UNSAFE, (c) => `\\u${hex(c).toLowerCase()}`);
}
