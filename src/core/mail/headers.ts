/*
 * RFC 5322 header blocks over `Line[]`: unfolding, RFC 2047 decoding (postal-mime's decodeWords),
 * and the few fields a patch needs.
 */
import { decodeWords } from 'postal-mime';
import type { Line } from './lines';
import { parsePerson } from './person';
import type { MessageHead } from './message';

export interface HeaderBlock {
  /** Lower-cased name → values in order (unfolded, not yet RFC 2047 decoded). */
  fields: Map<string, { value: string; line: number }[]>;
  /** Index of the first body line (after the blank separator line). */
  bodyStart: number;
}

const FIELD_RE = /^([!-9;-~]+):[ \t]?(.*)$/;

export function isHeaderLine(s: string): boolean {
  return FIELD_RE.test(s);
}

export function parseHeaders(lines: Line[], start: number): HeaderBlock {
  const fields: HeaderBlock['fields'] = new Map();
  let i = start;
  let last: { value: string; line: number } | null = null;
  for (; i < lines.length; i++) {
    const t = lines[i].text;
    if (t.trim() === '') { i++; break; }
    if ((t.startsWith(' ') || t.startsWith('\t')) && last) { last.value += ' ' + t.trim(); continue; }
    const m = FIELD_RE.exec(t);
    if (!m) break; // not a header: body starts here without a blank line
    last = { value: m[2], line: lines[i].line };
    const k = m[1].toLowerCase();
    const arr = fields.get(k);
    if (arr) arr.push(last); else fields.set(k, [last]);
  }
  return { fields, bodyStart: i };
}

export function field(h: HeaderBlock, name: string): string | null {
  const v = h.fields.get(name);
  return v && v.length ? v[0].value.trim() : null;
}

export function safeDecodeWords(s: string): string {
  if (!s.includes('=?')) return s;
  try {
    // postal-mime's decoder is quadratic in the number of adjacent encoded words: bound the input.
    return decodeWords(s.length > 4000 ? s.slice(0, 4000) : s);
  } catch {
    return s;
  }
}

function firstId(v: string | null): string | null {
  if (!v) return null;
  const m = /<([^<>\s]+)>/.exec(v);
  if (m) return m[1];
  const t = v.trim();
  return t ? t.split(/\s+/)[0] : null;
}

export function headOf(h: HeaderBlock, startLine: number): MessageHead {
  const from = field(h, 'from');
  return {
    subject: safeDecodeWords(field(h, 'subject') ?? '').replace(/\s+/g, ' ').trim(),
    from: from ? parsePerson(from) : null,
    date: field(h, 'date'),
    messageId: firstId(field(h, 'message-id')),
    inReplyTo: firstId(field(h, 'in-reply-to')),
    inputLine: startLine,
  };
}

/** Parameters of a structured header ("text/plain; charset=utf-8; boundary=..."). */
export function headerParams(v: string | null): { value: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  if (!v) return { value: '', params };
  const parts = v.split(';');
  const value = parts[0].trim().toLowerCase();
  const re = /([\w*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]+)/g;
  let m: RegExpExecArray | null;
  const rest = parts.slice(1).join(';');
  while ((m = re.exec(rest))) {
    let val = m[2];
    if (val.startsWith('"')) val = val.slice(1, -1).replace(/\\(.)/g, '$1');
    params[m[1].toLowerCase()] = val;
  }
  return { value, params };
}
