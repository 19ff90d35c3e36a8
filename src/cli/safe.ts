// Mail text is untrusted: nothing from it may drive the reviewer's terminal (escape sequences, OSC 8
// hyperlinks, C1 controls) or hide text (bidi overrides, zero-width characters). Text output shows
// such characters as visible escapes; JSON output escapes them as \uXXXX (still the same JSON value).

// C0 controls but tab and newline, DEL and C1, zero-width and bidi controls, BOM, line/para separators.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const hex = (c: string) => c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

/** For terminals: "<U+202E>" in place of each unsafe character. */
export function safeText(s: string): string {
  return s.replace(UNSAFE, (c) => `<U+${hex(c)}>`);
}

/** For JSON already produced by JSON.stringify: the same value, with unsafe characters escaped. */
export function safeJson(json: string): string {
  return json.replace(UNSAFE, (c) => `\\u${hex(c).toLowerCase()}`);
}
