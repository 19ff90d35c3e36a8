/*
 * Line-level C helpers for reconstructing functions from hunks (kernel coding style): comment/string
 * stripping, brace and parenthesis counting, indentation depth, signature detection.
 */

export interface LexState {
  inComment: boolean;
}

/** The code of one line with comments, strings and char literals removed (kept as spaces). */
export function stripLine(line: string, st: LexState): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (st.inComment) {
      if (ch === '*' && line[i + 1] === '/') {
        st.inComment = false;
        i++;
      }
      out += ' ';
      continue;
    }
    if (ch === '/' && line[i + 1] === '*') {
      st.inComment = true;
      i++;
      out += ' ';
      continue;
    }
    if (ch === '/' && line[i + 1] === '/') break;
    if (ch === '"' || ch === "'") {
      out += ch;
      for (i++; i < line.length && line[i] !== ch; i++) if (line[i] === '\\') i++;
      out += ch;
      continue;
    }
    out += ch;
  }
  return out;
}

/** A whole text with comments, strings and char literals removed (stripLine over its lines). */
export function stripCode(text: string): string {
  const st: LexState = { inComment: false };
  return text.split('\n').map((l) => stripLine(l, st)).join('\n');
}

/** The names called in stripped code (`f(`, and the member name of `ops->write(`), in order, once each. */
export function calledNames(code: string): string[] {
  const out = new Set<string>();
  for (const m of code.matchAll(/(?<![\w])([A-Za-z_]\w*)\s*\(/g)) out.add(m[1]);
  return [...out];
}

export function count(code: string, ch: string): number {
  let k = 0;
  for (const c of code) if (c === ch) k++;
  return k;
}

/** Leading tabs (8 spaces count as one tab). */
export function indentTabs(line: string): number {
  let tabs = 0;
  let spaces = 0;
  for (const c of line) {
    if (c === '\t') {
      tabs++;
      spaces = 0;
    } else if (c === ' ') {
      spaces++;
      if (spaces === 8) {
        tabs++;
        spaces = 0;
      }
    } else break;
  }
  return tabs;
}

const KEYWORDS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'do', 'else', 'case', 'goto', 'typeof', '__typeof__', 'defined']);

/** Name of the function a signature-like line declares ("int foo(struct x *a," → "foo"), or null. */
export function signatureName(line: string): string | null {
  const s = line.trim();
  if (!s || s.startsWith('#') || s.startsWith('/*') || s.startsWith('*') || s.startsWith('//')) return null;
  if (/^(typedef|struct\s+\w+\s*\{|union\s+\w+\s*\{|enum\s+\w+\s*\{)/.test(s)) return null;
  if (/;\s*(\/\*.*)?$/.test(s)) return null;
  // Anchored at a word start: an unanchored identifier run is quadratic on long lines.
  const m = /(?<![\w])([A-Za-z_]\w*)\s*\(/.exec(s);
  if (!m) return null;
  if (KEYWORDS.has(m[1])) return null;
  if (/^[A-Z_0-9]+$/.test(m[1]) && !/\)\s*\{?\s*$/.test(s) && m.index === 0) return null; // MACRO(...) lines
  if (s.includes('=')) {
    const eq = s.indexOf('=');
    if (eq < m.index) return null; // initialiser, not a signature
  }
  return m[1];
}

/** True when a line can begin a function definition at top level (column 0, kernel style). */
export function looksLikeSignatureStart(line: string): boolean {
  if (!/^[A-Za-z_]/.test(line)) return false;
  if (/^[A-Za-z_]\w*:\s*$/.test(line)) return false; // label
  return signatureName(line) !== null;
}

/** Label line at column 0 ("out:", "couldnt_start:"). */
export function isLabelLine(line: string): boolean {
  return /^[A-Za-z_]\w*:(\s|$)/.test(line) && !/^default:/.test(line);
}

// ───────────── lines of a hunk ─────────────

/** One line of the side being rebuilt, with where it came from. */
export interface Shown {
  text: string;
  sourceLine: number;
  inputLine: number;
}

export const isBlankOrComment = (t: string): boolean => {
  const s = t.trim();
  return s === '' || s.startsWith('/*') || s.startsWith('*') || s.startsWith('//');
};
export const isPreproc = (t: string): boolean => /^\s*#/.test(t);
export const isCodeLine = (t: string): boolean => !isBlankOrComment(t) && !isPreproc(t);

/** Count of leading continuation lines (the rest of a statement begun in unseen code). */
export function continuationLines(lines: Shown[], from: number): number {
  const st: LexState = { inComment: false };
  let bal = 0;
  for (let j = from; j < lines.length && j < from + 12; j++) {
    const code = stripLine(lines[j].text, st).trim();
    if (code === '') continue;
    bal += count(code, '(') - count(code, ')');
    if (bal < 0) {
      // the statement ends on this line or a following one
      for (let e = j; e < lines.length && e < j + 6; e++) {
        const c2 = e === j ? code : stripLine(lines[e].text, st).trim();
        if (/[;{]$/.test(c2) || /\)$/.test(c2)) return e - from + 1;
      }
      return j - from + 1;
    }
    if (/^(&&|\|\||\?|\.|\+|-[^>-]|\*[^/])/.test(code) && j === from) continue;
    if (/[;{}:]$/.test(code)) return 0;
  }
  return 0;
}

/** Leading lines that continue a comment begun in unseen code. */
export function commentContinuation(lines: Shown[], from: number): number {
  for (let j = from; j < lines.length; j++) {
    const t = lines[j].text.trim();
    if (t === '') continue;
    if (!t.startsWith('*')) return 0;
    for (let e = j; e < lines.length; e++) {
      if (lines[e].text.includes('/*')) return 0;
      if (lines[e].text.includes('*/')) return e - from + 1;
    }
    return 0;
  }
  return 0;
}

export function firstCodeIndex(lines: Shown[], from: number): number {
  const st: LexState = { inComment: false };
  for (let j = from; j < lines.length; j++) {
    // a comment continued from unseen lines (" * text", " */")
    if (/^\s*\*(\s|\/|$)/.test(lines[j].text) && !st.inComment) {
      if (lines[j].text.includes('*/')) continue;
      continue;
    }
    const code = stripLine(lines[j].text, st);
    if (code.trim() !== '' && !isPreproc(lines[j].text)) return j;
  }
  return -1;
}

