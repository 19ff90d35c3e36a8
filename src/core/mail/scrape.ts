/*
 * Mail whose line breaks were lost in scraping (the whole mail on one line, runs of whitespace
 * collapsed to one space). We rebuild pseudo-lines that all carry the physical input line they came
 * from (so the line map stays true: the text really is on that input line), recover headers by
 * their names, undo quoted-printable in the scraped form ("= " soft breaks, a lone "=20" is a line
 * holding one space), and re-split diffs at `diff --git`, `---`/`+++`, `@@` markers. Hunk bodies
 * are re-split into lines (quote markers, or C heuristics) and kept only when the header counts
 * agree (checked again by the lenient diff reader).
 */
import type { Line } from './lines';
import { type Ctx, problem } from './context';
import type { MessageHead } from './message';
import { parsePerson } from './person';
import { decodeScrapedQP, recoverHeaders } from './scrapeheaders';
import { rebuildHunk } from './rebuild';
import { UNREBUILT } from './diff';

export function isScraped(lines: Line[]): boolean {
  if (lines.length > 60) return false;
  // A hunk header with text before it, or with more after it than a heading (<= 80 chars) holds.
  const hunkMidLine = (t: string) => {
    for (let at = t.indexOf('@@ -'); at >= 0; at = t.indexOf('@@ -', at + 4)) {
      const h = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/.exec(t.slice(at, at + 64));
      if (!h) continue;
      const before = t.slice(0, at).replace(/^[> ]*/, '');
      return before.trim() !== '' || t.length - (at + h[0].length) > 120;
    }
    return false;
  };
  if (lines.some((l) => l.text.length > 200 && hunkMidLine(l.text))) return true;
  return lines.some((l) => l.text.length > 1500 &&
    (/diff --git |@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/.test(l.text) || /(?:^| )Subject: \S[\s\S]*(?:^| )From: \S|(?:^| )From: \S[\s\S]*(?:^| )(?:Subject|Date): \S/.test(l.text.slice(0, 20000))));
}

/** One string for the whole input plus a way back from offsets to physical lines. */
interface Flat {
  text: string;
  lineAt: (offset: number) => number;
}

function flatten(lines: Line[]): Flat {
  const starts: number[] = [];
  const nums: number[] = [];
  let text = '';
  for (const l of lines) {
    if (text) text += ' ';
    starts.push(text.length);
    nums.push(l.line);
    text += l.text;
  }
  return {
    text,
    lineAt: (off) => {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= off) lo = mid; else hi = mid - 1;
      }
      return nums[lo] ?? 1;
    },
  };
}

const TRAILER_KEYS = 'Signed-off-by|Reviewed-by|Acked-by|Tested-by|Reported-by|Suggested-by|Co-developed-by|Fixes|Link|Closes|Cc|cc|CC';

/**
 * Quoted text: a new line starts at every run of quote markers (" > ", or " > > " for a patch
 * quoted twice). A run longer than the patch's quote depth holds empty quoted lines first.
 */
function splitQuoted(text: string, at: (i: number) => number): Line[] {
  const out: Line[] = [];
  const re = /(?:^| )>(?= |$)/g;
  const marks: number[] = [];
  let m: RegExpExecArray | null;
  let lastKept = 0;
  while ((m = re.exec(text))) {
    const p = m.index === 0 ? 0 : m.index + 1;
    const inRun = marks.length > 0 && marks[marks.length - 1] === p - 2;
    if (!inRun) {
      // "a > b" inside an open parenthesis is a comparison, not a quote marker.
      const prev = text.slice(lastKept, p);
      const open = (prev.match(/\(/g) ?? []).length - (prev.match(/\)/g) ?? []).length;
      if (open > 0 && !/(,|\(|&&|\|\|)\s*$/.test(prev) && /^> (?![+-] )(?!\*[ /])[\w(*&!-]/.test(text.slice(p, p + 5))) continue;
    }
    marks.push(p);
    lastKept = p;
  }
  // Runs of markers.
  const runs: { s: number; k: number; e: number }[] = [];
  for (const p of marks) {
    const r = runs[runs.length - 1];
    if (r && r.e === p) { r.k++; r.e = p + 2; } else runs.push({ s: p, k: 1, e: p + 2 });
  }
  // The patch's quote depth: the shortest run in front of diff structure lines.
  let d = 0;
  for (const r of runs) if (/^(?:diff --git |@@ -\d|--- a\/|\+\+\+ b\/)/.test(text.slice(r.e, r.e + 12))) d = d === 0 ? r.k : Math.min(d, r.k);
  if (d === 0) d = 1;
  const pieces: { depth: number; text: string; a: number }[] = [];
  const head = text.slice(0, runs[0]?.s ?? text.length).trim();
  if (head) pieces.push({ depth: 0, text: head, a: 0 });
  runs.forEach((r, i) => {
    const content = text.slice(Math.min(r.e, text.length), i + 1 < runs.length ? runs[i + 1].s : text.length).trim();
    const n = r.k >= d ? Math.floor(r.k / d) : 1;
    // With a patch quoted more than once, a run that is not a multiple of its depth mixes quote
    // levels ("> > >": an empty reply line and a patch line, or the other way round): unprovable.
    if (d > 1 && r.k > d && r.k % d !== 0) pieces.push({ depth: d, text: UNREBUILT, a: r.s });
    for (let j = 0; j + 1 < n; j++) pieces.push({ depth: d, text: '', a: r.s });
    pieces.push({ depth: r.k >= d ? r.k - (n - 1) * d : r.k, text: content, a: r.s });
  });
  for (const pc of pieces) {
    const piece = pc.text;
    const quoted = pc.depth > 0;
    const a = pc.a;
    const prefix = Array(pc.depth).fill('>').join(' ');
    // Unquoted text glued after a quoted line: a trailer that does not open the line, or text after
    // a trailer's closing address, belongs to the replier.
    const parts: { text: string; q: boolean }[] = [];
    const tr = new RegExp(` (?=(?:${TRAILER_KEYS}): )`, 'g');
    let rest = piece;
    let q = quoted;
    for (let guard = 0; guard < 50; guard++) {
      const own = new RegExp(`^(?:${TRAILER_KEYS}): [^<>]*<[^<>\\s]*>`).exec(rest);
      if (own && own[0].length < rest.length) {
        parts.push({ text: own[0], q });
        rest = rest.slice(own[0].length).trim();
        q = false;
        continue;
      }
      tr.lastIndex = 0;
      const t = tr.exec(rest);
      if (t && t.index > 0) {
        parts.push({ text: rest.slice(0, t.index), q });
        rest = rest.slice(t.index + 1);
        q = false;
        continue;
      }
      break;
    }
    parts.push({ text: rest, q });
    for (const p of parts) out.push({ text: p.q ? (p.text ? prefix + ' ' + p.text : prefix) : p.text, line: at(a) });
  }
  return out;
}

const STRUCT_RE = /(diff --git \S+ \S+|(?:new|deleted) file mode \d{6}|old mode \d{6}|new mode \d{6}|similarity index \d+%|rename (?:from|to) \S+|index [0-9a-f]{4,}\.\.[0-9a-f]{4,}(?: \d{6})?|--- \S+(?: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [+-]\d{4})?|\+\+\+ \S+(?: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [+-]\d{4})?|@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@|Binary files \S+ and \S+ differ)/g;

/** Unquoted scraped diff text → pseudo-lines. */
function splitDiff(text: string, at: (i: number) => number, ctx: Ctx, blanksKept: boolean): Line[] {
  const out: Line[] = [];
  const marks: { s: string; a: number; b: number }[] = [];
  STRUCT_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = STRUCT_RE.exec(text))) {
    // '--- ' / '+++ ' only right after a diff header; '@@' anywhere.
    const prev = marks[marks.length - 1];
    const adjacent = !!prev && text.slice(prev.b, m.index).trim() === '';
    if (m[0].startsWith('---') && !(adjacent && /^(diff|index|new|deleted|old|similarity|rename)/.test(prev.s)) && !text.startsWith(' +++ ', m.index + m[0].length)) continue;
    if (m[0].startsWith('+++') && !(adjacent && prev.s.startsWith('---'))) continue;
    if (/^index /.test(m[0]) && !(marks.length && text.slice(marks[marks.length - 1].b, m.index).trim() === '')) continue;
    marks.push({ s: m[0], a: m.index, b: m.index + m[0].length });
  }
  const sig = /(?:^| )--\s*(?:\d+\.\d+[\w.]*)?\s*$/;
  // Archive footers glued after the last hunk.
  const footers = [/ More information about the \S.* mailing list/, / To unsubscribe from this list: /, / next prev parent reply /, / Thread overview: /];
  for (let k = 0; k < marks.length; k++) {
    const mk = marks[k];
    const end = k + 1 < marks.length ? marks[k + 1].a : text.length;
    const h = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@$/.exec(mk.s);
    if (!h) {
      out.push({ text: mk.s, line: at(mk.a) });
      continue;
    }
    let body = text.slice(mk.b, end).replace(/^ /, '');
    const last = k + 1 === marks.length;
    if (last || /^diff --git /.test(marks[k + 1].s)) {
      // Between patches: signatures, git-log commit headers, the next mail's separator/headers.
      const junk = / (?:-- ?\d+\.\d+[\w.]*(?: |$)|commit [0-9a-f]{7,40} Author: |From [0-9a-f]{40} Mon Sep 17 |From: \S[^@]*@\S+ (?:To|Cc|Subject|Date): )/.exec(body);
      if (junk) body = body.slice(0, junk.index);
    }
    if (last) {
      for (const f of footers) {
        const fm = f.exec(body);
        if (fm) body = body.slice(0, fm.index);
      }
      const sm = sig.exec(body);
      if (sm) body = body.slice(0, sm.index);
    }
    const oldLines = h[1] === undefined ? 1 : Number(h[1]);
    const newLines = h[2] === undefined ? 1 : Number(h[2]);
    const r = rebuildHunk(body.trimEnd(), oldLines, newLines, ctx, blanksKept, last);
    if (r.ok) {
      if (r.sectionUncertain) {
        problem(ctx, 'hunk-section-uncertain', `hunk ${mk.s}: where its heading ends is a guess ("${r.section}"); the line map is the same either way, the first line's text may carry part of the heading`, at(mk.a));
      }
      if (r.trailing) problem(ctx, 'trailing-text', `text after the last hunk (${mk.s}) is not part of the diff: "${r.trailing.slice(0, 60)}"`, at(mk.a));
      out.push({ text: mk.s + (r.section ? ' ' + r.section : ''), line: at(mk.a) });
      for (const p of r.pieces) out.push({ text: p === ' ' ? '' : p.startsWith('+') || p.startsWith('-') ? p : ' ' + p, line: at(mk.a) });
    } else {
      const why = r.reason === 'ambiguous'
        ? 'several line splits fit its counts (ambiguous)'
        : r.reason === 'cap' ? 'the work cap was reached' : blanksKept ? 'no line split fits its counts' : 'no line split fits its counts (blank lines vanish in this scrape)';
      problem(ctx, 'hunk-unrebuilt', `hunk ${mk.s} could not be rebuilt from text without line breaks: ${why}; its lines are not mapped`, at(mk.a));
      out.push({ text: mk.s, line: at(mk.a) });
      out.push({ text: UNREBUILT, line: at(mk.a) });
    }
  }
  if (!marks.length) problem(ctx, 'scraped', 'no diff markers found in text without line breaks');
  return out;
}

export interface Scraped {
  head: MessageHead;
  body: Line[];
  /** The headers came from a list-archive page rather than a mail. */
  archive: boolean;
}

export function unscrape(lines: Line[], ctx: Ctx): Scraped {
  const flat = flatten(lines);
  let text = flat.text;
  let offs: number[] | null = null;
  const head: MessageHead = { subject: '', from: null, date: null, messageId: null, inReplyTo: null, inputLine: lines[0]?.line ?? 1, scraped: true };
  const hs = recoverHeaders(text);
  let base = 0;
  let archive = false;
  if (hs) {
    const f = hs.fields;
    head.subject = f.get('subject') ?? '';
    const from = f.get('from');
    head.from = from ? parsePerson(from) : null;
    head.date = f.get('date') || null;
    head.messageId = (f.get('message-id') ?? '').replace(/^<|>$/g, '') || null;
    head.inReplyTo = (f.get('in-reply-to') ?? '').replace(/^<|>.*$/g, '') || null;
    base = hs.bodyStart;
    if (hs.obfuscated) head.obfuscated = true;
    archive = hs.page !== 'mail';
    const charset = /charset="?([\w-]+)/i.exec(f.get('content-type') ?? '')?.[1];
    if ((f.get('content-transfer-encoding') ?? '').toLowerCase() === 'quoted-printable') {
      const d = decodeScrapedQP(text.slice(base), base, charset);
      text = d.text;
      offs = d.offs;
    } else text = text.slice(base);
  }
  const at = (i: number) => flat.lineAt(offs ? offs[Math.min(i, offs.length - 1)] ?? base : base + i);
  problem(ctx, 'scraped', 'input has no line breaks (scraped); lines were rebuilt from markers and hunk counts, indentation is lost', head.inputLine);
  let body: Line[];
  if (/(?:^| )> (?:> )*diff --git /.test(text) || /(?:^| )> @@ -\d/.test(text)) {
    body = splitQuoted(text, at);
  } else {
    const d = text.search(/(?:^| )(?:diff --git |--- \S+(?: \S+ \S+ [+-]\d{4})? \+\+\+ \S+)/);
    const pre = d < 0 ? text : text.slice(0, d);
    body = [];
    const sep = /(?:^| )---(?= )/.exec(pre);
    const msg = sep ? pre.slice(0, sep.index) : pre;
    const tr = new RegExp(`(?:^| )(?=(?:${TRAILER_KEYS}): )`, 'g');
    const cuts = [0];
    let m: RegExpExecArray | null;
    while ((m = tr.exec(msg))) { if (m.index > 0) cuts.push(m.index); tr.lastIndex = m.index + 1; }
    cuts.push(msg.length);
    for (let k = 0; k + 1 < cuts.length; k++) {
      const t = msg.slice(cuts[k], cuts[k + 1]).trim();
      if (!t) continue;
      if (k === 1) body.push({ text: '', line: at(cuts[k]) });
      body.push({ text: t, line: at(cuts[k]) });
    }
    if (sep) {
      body.push({ text: '---', line: at(sep.index) });
      const notes = pre.slice(sep.index + 4).trim();
      if (notes) body.push({ text: ' ' + notes.replace(/\u0001/g, ' '), line: at(sep.index + 4) });
    }
    // Blank context lines survive a scrape only when quoted-printable kept them as "=20".
    if (d >= 0) body.push(...splitDiff(text.slice(d).trimStart(), (i) => at(i + d + (text[d] === ' ' ? 1 : 0)), ctx, offs !== null));
  }
  return { head, body, archive };
}
