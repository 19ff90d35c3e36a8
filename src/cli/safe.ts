// Mail text is untrusted: nothing from it may drive the reviewer's terminal or hide text. The CLI shows
// unsafe characters as "<U+202E>" marks in text and as \uXXXX escapes in JSON (src/shared/visible.ts).
import { escapeUnsafeJson, visible } from '../shared/visible';

/** For terminals: "<U+202E>" in place of each unsafe character. */
export function safeText(s: string): string {
  return visible(s, '<', '>');
}

/** For JSON already produced by JSON.stringify: the same value, with unsafe characters escaped. */
export const safeJson = escapeUnsafeJson;
