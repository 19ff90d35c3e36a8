/*
 * Commit trailers (Signed-off-by, Reviewed-by, Fixes, Link, Cc, ...), with the person they name.
 */
import type { Trailer } from '../types';
import type { Line } from './lines';
import { deobfuscate, parsePerson } from './person';

const CANON = [
  'Signed-off-by', 'Reviewed-by', 'Acked-by', 'Tested-by', 'Reported-by', 'Suggested-by',
  'Co-developed-by', 'Reported-and-tested-by', 'Requested-by', 'Fixes', 'Link', 'Closes', 'Cc',
  'Bug', 'BugLink', 'Message-ID', 'Stable-dep-of', 'Originally-by', 'Debugged-by', 'Helped-by',
];
const CANON_BY_LOWER = new Map(CANON.map((k) => [k.toLowerCase(), k]));
const TRAILER_RE = /^([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)\s*:\s+(\S.*)$/;
const PERSON_KEYS = new Set(['signed-off-by', 'reviewed-by', 'acked-by', 'tested-by', 'reported-by', 'suggested-by',
  'co-developed-by', 'reported-and-tested-by', 'requested-by', 'cc', 'originally-by', 'debugged-by', 'helped-by']);

/** Parse one line as a trailer, or null. Only known keys or `*-by` keys count. */
export function parseTrailerLine(text: string, line: number | undefined, obfuscated: boolean): Trailer | null {
  if (text.length > 1000) return null;
  const m = TRAILER_RE.exec(text.trim());
  if (!m) return null;
  const lower = m[1].toLowerCase();
  const key = CANON_BY_LOWER.get(lower) ?? (lower.endsWith('-by') ? m[1] : null);
  if (!key) return null;
  let value = m[2].trim();
  if (obfuscated && PERSON_KEYS.has(lower)) value = deobfuscate(value);
  const t: Trailer = { key, value };
  if (PERSON_KEYS.has(lower) || lower.endsWith('-by')) {
    const p = parsePerson(value);
    if (p) t.person = p;
  }
  if (line !== undefined) t.inputLine = line;
  if (lower === 'fixes') {
    const f = /^([0-9a-f]{7,40})\b/i.exec(value);
    if (f) t.target = f[1].toLowerCase();
  } else if (lower === 'link' || lower === 'closes' || lower === 'buglink' || lower === 'bug') {
    const u = /\bhttps?:\/\/[^\s<>"]+/.exec(value);
    if (u) t.target = u[0];
  }
  return t;
}

/**
 * Trailers of a commit message: the lines of its last paragraph that parse as trailers (other
 * lines there, like "[ maintainer: note ]", are tolerated).
 */
export function trailersOf(msg: Line[], obfuscated: boolean): Trailer[] {
  let end = msg.length;
  while (end > 0 && msg[end - 1].text.trim() === '') end--;
  let start = end;
  while (start > 0 && msg[start - 1].text.trim() !== '') start--;
  const out: Trailer[] = [];
  for (let i = start; i < end; i++) {
    const t = parseTrailerLine(msg[i].text, msg[i].line, obfuscated);
    if (t) out.push(t);
  }
  return out;
}

/** Trailers anywhere in free text (a reviewer's reply: "Reviewed-by: ..." on its own line). */
export function trailersAnywhere(text: Line[], obfuscated: boolean): Trailer[] {
  const out: Trailer[] = [];
  for (const l of text) {
    const t = parseTrailerLine(l.text, l.line, obfuscated);
    if (t && t.key.endsWith('-by') && t.key !== 'Signed-off-by') out.push(t);
  }
  return out;
}
