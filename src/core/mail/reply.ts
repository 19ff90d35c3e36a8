/*
 * Review replies that quote a patch with "> " (one or more levels): the quoted commit message and
 * diff are recovered with their input lines; the reviewer's own unquoted trailers (Reviewed-by,
 * Acked-by, ...) are attributed to the quoted patch; the attribution line names the patch author.
 */
import type { Person, Trailer } from '../types';
import type { Line } from './lines';
import { diffStartsAt } from './diff';
import { trailersAnywhere } from './trailers';
import { parsePerson } from './person';

export interface QuotedPatch {
  /** Quoted lines at the patch's quote depth, prefix removed (input lines kept). */
  lines: Line[];
  /** Index in `lines` where the diff starts. */
  diffAt: number;
  depth: number;
  author: Person | null;
  reviewerTrailers: Trailer[];
}

const PREFIX_RE = /^(?:>[ ]?)+/;

export function quoteDepth(t: string): { depth: number; rest: string } {
  const m = PREFIX_RE.exec(t);
  if (!m) return { depth: 0, rest: t };
  const depth = (m[0].match(/>/g) ?? []).length;
  return { depth, rest: t.slice(m[0].length) };
}

/** Strip exactly `depth` quote markers (each optionally followed by one space). */
function stripQuote(t: string, depth: number): string {
  let s = t;
  for (let i = 0; i < depth; i++) {
    if (!s.startsWith('>')) return s;
    s = s.slice(1);
    if (s.startsWith(' ')) s = s.slice(1);
  }
  return s;
}

const ATTR_RES = [
  /^On .*?,\s*(.+?)\s+wrote:\s*$/,
  /^(.+?)\s+(?:wrote|writes):\s*$/,
  /^Quoting (.+?)\s*\(.*\):\s*$/,
];

/** The nearest "X wrote:" line above the patch, at a shallower quote depth than the patch. */
function attribution(body: Line[], before: number, d: number): Person | null {
  for (let i = before - 1; i >= 0; i--) {
    const { depth, rest } = quoteDepth(body[i].text);
    if (depth >= d) continue;
    for (const re of ATTR_RES) {
      const m = re.exec(rest.trim());
      if (m) {
        // "On Sat 03-02-24 08:11:46, Christoph Hellwig wrote:" → the last comma-separated part.
        const who = m[1].replace(/^.*\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?,?\s*/i, '').replace(/^.*,\s*(?=[^,]+$)/, '');
        return parsePerson(who.replace(/\s+via\s+.*$/, ''));
      }
    }
  }
  return null;
}

export function findQuotedPatch(body: Line[], obfuscated: boolean): QuotedPatch | null {
  const depths = body.map((l) => quoteDepth(l.text).depth);
  const max = Math.min(8, Math.max(0, ...depths));
  for (let d = 1; d <= max; d++) {
    const idx: number[] = [];
    const lines: Line[] = [];
    body.forEach((l, i) => {
      if (depths[i] === d) { idx.push(i); lines.push({ text: stripQuote(l.text, d), line: l.line }); }
    });
    let diffAt = -1;
    for (let i = 0; i < lines.length; i++) if (diffStartsAt(lines, i)) { diffAt = i; break; }
    if (diffAt < 0) continue;
    const firstQuoted = idx[0];
    const unquoted = body.filter((_, i) => depths[i] < d);
    // A patch's own trailers come before its diff: any *-by trailer quoted after the diff was
    // given by someone replying earlier in the thread.
    const after = trailersAnywhere(lines.slice(diffAt), obfuscated);
    return {
      lines,
      diffAt,
      depth: d,
      author: attribution(body, firstQuoted, d),
      reviewerTrailers: [...after, ...trailersAnywhere(unquoted.map((l) => ({ text: quoteDepth(l.text).rest, line: l.line })), obfuscated)]
        .sort((x, y) => (x.inputLine ?? 0) - (y.inputLine ?? 0)),
    };
  }
  return null;
}
