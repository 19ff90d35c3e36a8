/*
 * Unified diff parsing (git and plain) over `Line[]`, keeping for every diff line the input line it
 * was read from and its pre-/post-image line numbers computed from the hunk header. A hunk whose
 * body does not match its header counts is reported; the lines read up to that point stay mapped
 * (their numbers follow from the header), nothing after is guessed.
 */
import type { DiffLine, FileDiff, FileStatus, Hunk } from '../types';
import type { Line } from './lines';
import { type Ctx, problem, problemCapped } from './context';

/** Bound on hunks kept per file diff; more are skipped and reported as a limit. */
export const MAX_HUNKS_PER_FILE = 2000;

const HUNK_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;
const GIT_RE = /^diff --git (\S+|"[^"]*") (\S+|"[^"]*")\s*$/;
// Unicode bidi overrides/isolates/marks, zero-width characters, and C0/C1 controls other than TAB.
const HAZARD_RE = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u2060\uFEFF\u061C\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/** Body line placed after a scraped hunk header whose rebuild failed (already reported). */
export const UNREBUILT = '\u0002unrebuilt';

export function isHunkHeader(s: string): boolean {
  return HUNK_RE.test(s);
}

const ESC: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** git's C-style quoted path: "fl\303\251sh.c" → bytes → UTF-8. */
function unquote(p: string): string {
  if (!(p.length >= 2 && p.startsWith('"') && p.endsWith('"'))) return p;
  const s = p.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      const o = /^[0-3][0-7]{2}/.exec(s.slice(i + 1, i + 4));
      if (o) { bytes.push(parseInt(o[0], 8)); i += 3; continue; }
      const e = ESC[s[i + 1]];
      if (e !== undefined) { bytes.push(e); i++; continue; }
    }
    for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
  }
  return new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
}

/** Strip a/ b/ prefixes; /dev/null is null. Timestamps after a TAB (plain diff) are dropped. */
function cleanPath(raw: string): string | null {
  let p = raw.split('\t')[0].trim();
  p = unquote(p);
  if (p === '/dev/null') return null;
  if (/^[abciwo12]\//.test(p)) p = p.slice(2);
  return p;
}

/** Does a diff start at index i (git header, or a ---/+++/@@ triple)? */
export function diffStartsAt(lines: Line[], i: number): boolean {
  const t = lines[i]?.text ?? '';
  if (GIT_RE.test(t)) return true;
  return t.startsWith('--- ') && (lines[i + 1]?.text ?? '').startsWith('+++ ') && HUNK_RE.test(lines[i + 2]?.text ?? '');
}

export function findDiffStart(lines: Line[], from = 0): number {
  for (let i = from; i < lines.length; i++) if (diffStartsAt(lines, i)) return i;
  return -1;
}

export interface DiffOptions {
  /**
   * Lines were rebuilt from a scrape that lost line breaks and indentation: any unmarked line
   * inside the counts is context, and a hunk is kept only when its body fits its header counts
   * exactly and is followed by a diff boundary; otherwise its lines are dropped and reported.
   */
  lenient?: boolean;
}

function isBoundary(t: string | undefined): boolean {
  if (t === undefined) return true;
  return HUNK_RE.test(t) || GIT_RE.test(t) || t === '--' || t === '-- ' || t.startsWith('--- ') || /^-- ?\d/.test(t);
}

function readHunk(lines: Line[], i: number, ctx: Ctx, path: string, opts: DiffOptions): { hunk: Hunk; next: number } {
  const h = lines[i];
  const m = HUNK_RE.exec(h.text)!;
  const hunk: Hunk = {
    oldStart: Number(m[1]),
    oldLines: m[2] === undefined ? 1 : Number(m[2]),
    newStart: Number(m[3]),
    newLines: m[4] === undefined ? 1 : Number(m[4]),
    section: m[5].trim(),
    inputLine: h.line,
    lines: [],
  };
  if (opts.lenient && lines[i + 1]?.text === UNREBUILT) return { hunk, next: i + 2 };
  let oldLeft = hunk.oldLines;
  let newLeft = hunk.newLines;
  let oldNo = hunk.oldStart;
  let newNo = hunk.newStart;
  let j = i + 1;
  while (j < lines.length && (oldLeft > 0 || newLeft > 0)) {
    const l = lines[j];
    const t = l.text;
    const c = t.charAt(0);
    let dl: DiffLine | null = null;
    if (opts.lenient && (HUNK_RE.test(t) || GIT_RE.test(t) || t === UNREBUILT)) break;
    if (opts.lenient && (c === '+' || c === '-')) {
      const text = t.slice(1).replace(/^\s+/, '');
      if (c === '-' && oldLeft > 0) { dl = { kind: 'del', text, inputLine: l.line, oldLine: oldNo++, newLine: null }; oldLeft--; }
      else if (c === '+' && newLeft > 0) { dl = { kind: 'add', text, inputLine: l.line, oldLine: null, newLine: newNo++ }; newLeft--; }
      else break;
    } else if (opts.lenient && c !== '\\') {
      if (oldLeft === 0 || newLeft === 0) break;
      dl = { kind: 'context', text: t.replace(/^\s+/, ''), inputLine: l.line, oldLine: oldNo++, newLine: newNo++ };
      oldLeft--;
      newLeft--;
    } else if (c === ' ' || t === '') {
      if (oldLeft === 0 || newLeft === 0) break;
      dl = { kind: 'context', text: t.slice(1), inputLine: l.line, oldLine: oldNo++, newLine: newNo++ };
      oldLeft--;
      newLeft--;
    } else if (c === '-') {
      if (oldLeft === 0) break;
      dl = { kind: 'del', text: t.slice(1), inputLine: l.line, oldLine: oldNo++, newLine: null };
      oldLeft--;
    } else if (c === '+') {
      if (newLeft === 0) break;
      dl = { kind: 'add', text: t.slice(1), inputLine: l.line, oldLine: null, newLine: newNo++ };
      newLeft--;
    } else if (c === '\\') {
      j++;
      continue;
    } else {
      break;
    }
    if (HAZARD_RE.test(dl.text)) {
      const cps = [...new Set([...dl.text].filter((ch) => HAZARD_RE.test(ch)).map((ch) => 'U+' + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')))];
      problemCapped(ctx, 'bidi-control', `diff line in ${path} contains Unicode bidi or control characters (${cps.join(', ')}): what is displayed may not be what is compiled`, l.line, 500);
    }
    hunk.lines.push(dl);
    j++;
  }
  if (opts.lenient) {
    // After the last hunk a reply may go on with a trailer ("Acked-by: ...").
    const fits = oldLeft === 0 && newLeft === 0 && (isBoundary(lines[j]?.text) || /^[A-Z][\w-]*-by: \S/.test(lines[j]?.text ?? ''));
    if (!fits) {
      problem(
        ctx,
        'hunk-unrebuilt',
        `hunk ${h.text.split('@@').slice(0, 2).join('@@')}@@ in ${path} could not be rebuilt from text without line breaks (line counts do not agree); its lines are not mapped`,
        h.line,
      );
      hunk.lines = [];
      while (j < lines.length && !isBoundary(lines[j].text)) j++;
    }
    return { hunk, next: j };
  }
  if (oldLeft > 0 || newLeft > 0) {
    problemCapped(
      ctx,
      'hunk-count-mismatch',
      `hunk ${h.text.split('@@').slice(0, 2).join('@@')}@@ in ${path}: body ends with ${oldLeft} old and ${newLeft} new lines missing; lines after input line ${lines[j - 1]?.line ?? h.line} are not mapped`,
      h.line,
      500,
    );
  }
  // "\ No newline at end of file" right after a complete hunk.
  while (j < lines.length && lines[j].text.startsWith('\\ ')) j++;
  return { hunk, next: j };
}

/**
 * Parse consecutive file diffs starting at `start`. Returns the files and the index of the first
 * line that is not part of the diff.
 */
export function parseDiff(lines: Line[], start: number, ctx: Ctx, opts: DiffOptions = {}): { files: FileDiff[]; end: number } {
  const files: FileDiff[] = [];
  let i = start;
  while (i < lines.length) {
    const t = lines[i].text;
    const g = GIT_RE.exec(t);
    if (!g && !diffStartsAt(lines, i)) break;
    const file: FileDiff = { oldPath: null, newPath: null, status: 'modified', inputLine: lines[i].line, hunks: [] };
    let status: FileStatus = 'modified';
    let modeChange = false;
    if (g) {
      file.oldPath = cleanPath(g[1]);
      file.newPath = cleanPath(g[2]);
      i++;
      // Extended header lines.
      for (; i < lines.length; i++) {
        const x = lines[i].text;
        if (x.startsWith('new file mode')) status = 'added';
        else if (x.startsWith('deleted file mode')) status = 'deleted';
        else if (x.startsWith('old mode') || x.startsWith('new mode')) modeChange = true;
        else if (x.startsWith('rename from ')) { status = 'renamed'; file.oldPath = unquote(x.slice(12).trim()); }
        else if (x.startsWith('rename to ')) { status = 'renamed'; file.newPath = unquote(x.slice(10).trim()); }
        else if (x.startsWith('copy from ')) { status = 'copied'; file.oldPath = unquote(x.slice(10).trim()); }
        else if (x.startsWith('copy to ')) { status = 'copied'; file.newPath = unquote(x.slice(8).trim()); }
        else if (/^(similarity|dissimilarity) index /.test(x) || x.startsWith('index ')) continue;
        else if (x.startsWith('Binary files ') || x === 'GIT binary patch') {
          status = 'binary';
          i++;
          if (x === 'GIT binary patch') while (i < lines.length && !GIT_RE.test(lines[i].text) && lines[i].text.trim() !== '-- ') i++;
          break;
        } else break;
      }
    }
    const cur = lines[i]?.text ?? '';
    if (status !== 'binary' && cur.startsWith('--- ') && (lines[i + 1]?.text ?? '').startsWith('+++ ')) {
      const op = cleanPath(cur.slice(4));
      const np = cleanPath(lines[i + 1].text.slice(4));
      if (!g) {
        file.oldPath = op;
        file.newPath = np;
        if (op === null) status = 'added';
        else if (np === null) status = 'deleted';
      } else {
        if (op === null) { status = 'added'; file.oldPath = null; }
        if (np === null) { status = 'deleted'; file.newPath = null; }
      }
      i += 2;
    }
    if (g && status === 'added') file.oldPath = null;
    if (g && status === 'deleted') file.newPath = null;
    const path = file.newPath ?? file.oldPath ?? '?';
    let skipped = 0;
    while (i < lines.length && HUNK_RE.test(lines[i].text)) {
      const r = readHunk(lines, i, ctx, path, opts);
      if (file.hunks.length < MAX_HUNKS_PER_FILE) file.hunks.push(r.hunk); else skipped++;
      i = r.next;
    }
    if (skipped) {
      problem(ctx, 'limit', `${path}: more than ${MAX_HUNKS_PER_FILE} hunks in one file diff; ${skipped} further hunks are not read`, file.inputLine);
    }
    if (status === 'modified' && modeChange) status = 'mode-change';
    file.status = status;
    if (file.oldPath === null && file.newPath === null) {
      problem(ctx, 'bad-file-header', 'a file diff names /dev/null on both sides; it is skipped', file.inputLine);
    } else files.push(file);
    if (!g && file.hunks.length === 0) break;
  }
  return { files, end: i };
}
