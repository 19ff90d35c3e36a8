/*
 * List-archive pages copied as text.
 *  - pipermail: subject line, "Name user at host" line, date line, body, footer
 *    "More information about the <list> mailing list".
 *  - LKML-archive style (lkml.iu.edu and kin): subject line, "From: Name", "Date: ..." lines in
 *    the body, addresses mangled as "user@xxxxxxxxx" or "[email protected]".
 */
import type { Line } from './lines';
import type { MessageHead } from './message';
import { deobfuscate, parsePerson } from './person';
import { headOf, parseHeaders } from './headers';

export interface ArchivePage {
  kind: 'pipermail' | 'lkml' | 'lore';
  head: MessageHead;
  body: Line[];
}

const CTIME_RE = /^\w{3} \w{3} +\d{1,2} \d{1,2}:\d{2}:\d{2}(?: [A-Za-z]{1,5}| [+-]\d{4})? \d{4}$/;

function firstNonBlank(lines: Line[], from: number): number {
  let i = from;
  while (i < lines.length && lines[i].text.trim() === '') i++;
  return i;
}

function cutFooter(lines: Line[], from: number, re: RegExp): Line[] {
  let end = lines.length;
  for (let i = from; i < lines.length; i++) if (re.test(lines[i].text)) { end = i; break; }
  return lines.slice(from, end);
}

export function detectPipermail(lines: Line[]): ArchivePage | null {
  const s = firstNonBlank(lines, 0);
  if (s >= lines.length || s > 20) return null;
  const who = firstNonBlank(lines, s + 1);
  if (who > s + 3 || who + 1 >= lines.length) return null;
  if (lines[who].text.length > 300 || lines[s].text.length > 1000) return null;
  const m = /^(.*?)\s*([A-Za-z0-9._%+=-]+ at [A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\s*$/.exec(lines[who].text.trim());
  if (!m || !CTIME_RE.test(lines[who + 1].text.trim())) return null;
  const body = cutFooter(lines, who + 2, /^More information about the .* mailing list\s*$/);
  return {
    kind: 'pipermail',
    head: {
      subject: lines[s].text.trim(),
      from: { name: m[1].trim(), email: deobfuscate(m[2]) },
      date: lines[who + 1].text.trim(),
      messageId: null,
      inReplyTo: null,
      inputLine: lines[s].line,
      obfuscated: true,
    },
    body,
  };
}

/**
 * lore / public-inbox message page copied as text: some navigation lines, then a header block
 * ("From:", "Subject:", "Date: ...  [thread overview]", "Message-ID: <...> (raw)"), the body, and
 * a footer ("next prev parent reply other threads:", "Thread overview:").
 */
export function detectLore(lines: Line[]): ArchivePage | null {
  const text = lines.slice(0, 60).map((l) => l.text).join('\n');
  if (!/\[thread overview\]|\(raw\)/.test(text)) return null;
  for (let i = 0; i < Math.min(lines.length, 40); i++) {
    if (!/^From: \S/.test(lines[i].text)) continue;
    const h = parseHeaders(lines, i);
    if (!h.fields.has('subject')) continue;
    const head = headOf(h, lines[i].line);
    if (head.date) head.date = head.date.replace(/\s*\[thread overview\].*$/, '');
    const body = cutFooter(lines, h.bodyStart, /^(next prev parent reply|Thread overview:|\s*other threads:\[)/);
    // A trailing signature/blank block before the footer is harmless; keep the body as is.
    return { kind: 'lore', head, body };
  }
  return null;
}

export function detectLkml(lines: Line[]): ArchivePage | null {
  const s = firstNonBlank(lines, 0);
  if (s >= lines.length || s > 20 || lines[s].text.length > 1000) return null;
  let fromAt = -1;
  let dateAt = -1;
  for (let i = s + 1; i < Math.min(lines.length, s + 8); i++) {
    const t = lines[i].text;
    if (/^From: \S/.test(t) && fromAt < 0) fromAt = i;
    else if (/^Date: \S/.test(t) && dateAt < 0) dateAt = i;
  }
  if (fromAt < 0 || dateAt < 0) return null;
  const bodyStart = Math.max(fromAt, dateAt) + 1;
  const body = cutFooter(lines, bodyStart, /^To unsubscribe from this list: send the line "unsubscribe/);
  return {
    kind: 'lkml',
    head: {
      subject: lines[s].text.trim(),
      from: parsePerson(lines[fromAt].text.slice(6)),
      date: lines[dateAt].text.slice(6).trim(),
      messageId: null,
      inReplyTo: null,
      inputLine: lines[s].line,
    },
    body,
  };
}
