/*
 * Scraped mail (line breaks lost): recover header fields by their names, and undo
 * quoted-printable in the scraped form ("= " is a soft break, a lone "=20" a line holding one space).
 */
import { decodeBytes } from './mime';
import { BLANK } from './csplit';

/** Undo quoted-printable in scraped text; a lone "=20" becomes the BLANK marker. Offsets kept per char. */
export function decodeScrapedQP(text: string, base: number, charset: string | undefined): { text: string; offs: number[] } {
  let out = '';
  const offs: number[] = [];
  const hex = (i: number) => /^[0-9A-Fa-f]{2}$/.test(text.slice(i, i + 2));
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '=') { out += c; offs.push(base + i); continue; }
    if (text.startsWith('=20', i) && (i === 0 || text[i - 1] === ' ') && (i + 3 >= text.length || text[i + 3] === ' ')) {
      out += BLANK; offs.push(base + i); i += 2; continue;
    }
    if (hex(i + 1)) {
      const bytes: number[] = [];
      const at = i;
      while (text[i] === '=' && hex(i + 1)) { bytes.push(parseInt(text.slice(i + 1, i + 3), 16)); i += 3; }
      i--;
      const s = decodeBytes(Uint8Array.from(bytes), charset);
      for (const ch of s) { out += ch; offs.push(base + at); }
      continue;
    }
    if (text[i + 1] === ' ' || i + 1 === text.length) { i++; continue; } // soft line break
    out += c; offs.push(base + i);
  }
  return { text: out, offs };
}

const HEADER_NAMES = 'From|To|Cc|Subject|Date|Message-I[Dd]|In-Reply-To|References|Received|Return-Path|Delivered-To|Authentication-Results|ARC-[A-Za-z-]+|DKIM-Signature|X-[A-Za-z0-9-]+|MIME-Version|Content-Type|Content-Transfer-Encoding|Content-Disposition|Precedence|List-[A-Za-z-]+|Sender|Reply-To|Mail-Followup-To|User-Agent|Organization|Thread-[A-Za-z]+|Importance|Archived-At';
const HEADER_RE = new RegExp(`(?<=^| )(${HEADER_NAMES}):(?= |$)`, 'g');
const GRAMMAR: Record<string, RegExp> = {
  'content-type': /^[\w.+-]+\/[\w.+-]+(?:\s*;\s*[\w*-]+=(?:"[^"]*"|[^\s;"]+))*;?/,
  'content-transfer-encoding': /^[\w-]+/,
  'mime-version': /^\d\.\d(?: \([^)]*\))?/,
  'message-id': /^(?:<[^>\s]*>)?/,
  'in-reply-to': /^(?:<[^>\s]*>\s*)*/,
  references: /^(?:<[^>\s]*>\s*)*/,
  date: /^(?:(?:\w{3},? )?\d{1,2} \w{3} \d{2,4} \d{1,2}:\d{2}(?::\d{2})?(?: [+-]\d{4})?(?: \([A-Za-z]+\))?|\w{3} \w{3} \d{1,2} \d{4} - \d{1,2}:\d{2}:\d{2}(?: [A-Z]{2,5})?|\w{3} \w{3} +\d{1,2} \d{1,2}:\d{2}:\d{2}(?: [A-Z]{2,5})? \d{4})/,
  precedence: /^\w*/,
  'x-mailer': /^git-send-email [\d.]+/,
};

export interface ScrapedHeaders {
  fields: Map<string, string>;
  bodyStart: number;
  /** Addresses are written "user at host" (a pipermail page). */
  obfuscated?: boolean;
  /** What the headers came from. */
  page: 'mail' | 'pipermail' | 'lkml';
}

/**
 * A pipermail page scraped to one line: "<subject> <Name> <user at host> <ctime date> <body>".
 * The name is the run of capitalised words right before the address.
 */
function pipermailHead(text: string): ScrapedHeaders | null {
  const m = /^(.{3,300}?) ((?:[A-Z][\w.'-]*\s){0,3}[A-Z][\w.'-]*) ([A-Za-z0-9._%+=-]+ at [A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+) (\w{3} \w{3} +\d{1,2} \d{1,2}:\d{2}:\d{2}(?: [A-Za-z]{1,5})? \d{4}) /.exec(text.slice(0, 1000));
  if (!m) return null;
  const fields = new Map<string, string>([['subject', m[1].trim()], ['from', `${m[2]} <${m[3].replace(' at ', '@')}>`], ['date', m[4]]]);
  return { fields, bodyStart: m[0].length, obfuscated: true, page: 'pipermail' };
}

export function recoverHeaders(text: string): ScrapedHeaders | null {
  const ms: { name: string; at: number; valueAt: number }[] = [];
  HEADER_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  const limit = Math.min(text.length, 60000);
  while ((m = HEADER_RE.exec(text)) && m.index < limit) ms.push({ name: m[1].toLowerCase(), at: m.index, valueAt: m.index + m[0].length });
  if (!ms.length || !ms.some((x) => x.name === 'subject' || x.name === 'from') || ms[0].at > 400) return pipermailHead(text);
  const fields = new Map<string, string>();
  // LKML-archive style: the subject line comes first, then "From:" / "Date:" lines.
  const lead = text.slice(0, ms[0].at).trim();
  const lkml = !!lead && !ms.some((x) => x.name === 'subject') && !/^From \S+ /.test(lead);
  if (lkml) fields.set('subject', lead);
  const page = lkml ? 'lkml' : 'mail';
  for (let k = 0; k < ms.length; k++) {
    const h = ms[k];
    const nextAt = k + 1 < ms.length ? ms[k + 1].at : text.length;
    const g = GRAMMAR[h.name];
    const lead = text[h.valueAt] === ' ' ? 1 : 0;
    const raw = text.slice(h.valueAt + lead, nextAt);
    const gm = g ? g.exec(raw) : null;
    if (gm) {
      const rest = raw.slice(gm[0].length);
      if (!fields.has(h.name)) fields.set(h.name, gm[0].trim());
      if (rest.trim() !== '') return { fields, bodyStart: h.valueAt + lead + gm[0].length, page };
    } else if (k + 1 === ms.length) {
      // The last header's value has no known shape: where the body starts cannot be told; the
      // value is dropped and the text after the header name is read as body.
      return { fields, bodyStart: h.valueAt + lead, page };
    } else if (!fields.has(h.name)) fields.set(h.name, raw.trim());
  }
  return { fields, bodyStart: text.length, page };
}

