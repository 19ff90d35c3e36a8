/*
 * Containers: mbox (mboxo/mboxrd "From " separators, ">From " unescaping), single messages
 * (.eml, git format-patch "From <sha> Mon Sep 17 00:00:00 2001").
 */
import type { Line } from './lines';
import { isHeaderLine } from './headers';

const FROM_SEP_RE = /^From \S+ +(?:\w{3} +\w{3} +\d{1,2} +\d{1,2}:\d{2}(?::\d{2})? +(?:\S+ +)?\d{4}|\S.*\d{4}.*)\s*$/;

export function isFromSeparator(lines: Line[], i: number): boolean {
  if ((lines[i]?.text.length ?? 0) > 300) return false;
  if (!FROM_SEP_RE.test(lines[i]?.text ?? '')) return false;
  if (i > 0 && lines[i - 1].text.trim() !== '') return false;
  return isHeaderLine(lines[i + 1]?.text ?? '');
}

/** Split an mbox into messages (each without its "From " line, >From unescaped). */
export function splitMbox(lines: Line[]): { start: number; lines: Line[] }[] {
  const out: { start: number; lines: Line[] }[] = [];
  let cur: Line[] | null = null;
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    if (isFromSeparator(lines, i)) {
      if (cur) out.push({ start, lines: cur });
      cur = [];
      start = lines[i].line;
      continue;
    }
    if (!cur) continue;
    const t = lines[i].text;
    cur.push(/^>+From /.test(t) ? { text: t.slice(1), line: lines[i].line } : lines[i]);
  }
  if (cur) out.push({ start, lines: cur });
  return out;
}

/** Does the text start with a mail header block (possibly after an mbox From line)? */
export function looksLikeMail(lines: Line[]): boolean {
  let i = 0;
  while (i < lines.length && lines[i].text.trim() === '') i++;
  if (isFromSeparator(lines, i) || /^From \S+ /.test(lines[i]?.text ?? '')) i++;
  let n = 0;
  for (; i < lines.length && n < 200; i++, n++) {
    const t = lines[i].text;
    if (t.trim() === '') break;
    if (t.startsWith(' ') || t.startsWith('\t')) continue;
    if (!isHeaderLine(t)) return false;
  }
  if (n === 0) return false;
  const heads = lines.slice(0, i).map((l) => l.text.toLowerCase());
  return heads.some((t) => t.startsWith('from:') || t.startsWith('subject:') || t.startsWith('message-id:'));
}
