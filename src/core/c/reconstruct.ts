/*
 * Function reconstruction from hunks (patch-only mode). For one side of a FileDiff, find the
 * functions the hunks touch (section heading + context lines, kernel coding style), join hunks of the
 * same function, and synthesise a parseable text in which unseen code is a `__lockstep_gap(N);`
 * marker and blocks opened or closed in unseen code are balanced with synthetic lines.
 */
import type { DiffLine, FileDiff, Hunk, Problem, Side, SrcRef } from '../types';
import { count, indentTabs, isLabelLine, looksLikeSignatureStart, signatureName, stripLine, type LexState } from './lines';
import { GAP_FN, UNKNOWN_COND } from './preprocess';

export interface GapInfo {
  id: number;
  /** Number of unseen source lines, null when unknown (start of a function shown mid-way). */
  lines: number | null;
  ref: SrcRef;
  where: 'leading' | 'between' | 'trailing';
  text: string;
  /** Only the signature and leading declarations can be unseen here. */
  declarationsOnly?: boolean;
}

export interface FunctionText {
  name: string;
  /** Parse-ready text: the function with gap markers and synthetic lines. */
  text: string;
  /** Per row of `text`: where it came from; null for synthetic rows. */
  refs: (SrcRef | null)[];
  gaps: GapInfo[];
  complete: boolean;
  partialReasons: string[];
  startLine: number;
  endLine: number;
  inputLine: number;
}

interface Shown {
  text: string;
  sourceLine: number;
  inputLine: number;
}

interface Segment {
  lines: Shown[];
  /** Unseen source lines before this segment (between hunks), null for a mid-function start. */
  gapLines: number | null;
  gapFrom: number | null;
  headerInputLine: number;
}

interface FnBuild {
  name: string;
  heading: string;
  /**
   * null: mid-function start (synthetic signature from the heading); '': the signature lines are the
   * first shown lines; otherwise a synthetic first row (the heading) precedes shown continuation lines.
   */
  signature: string | null;
  closingSeen: boolean;
  segments: Segment[];
  touched: boolean;
  /** Exact brace depth when the signature was seen (flat text needs it to find the closing brace). */
  depth: number | null;
  lex: LexState;
}

const isBlankOrComment = (t: string): boolean => {
  const s = t.trim();
  return s === '' || s.startsWith('/*') || s.startsWith('*') || s.startsWith('//');
};
const isPreproc = (t: string): boolean => /^\s*#/.test(t);
const isCodeLine = (t: string): boolean => !isBlankOrComment(t) && !isPreproc(t);

function sideLines(h: Hunk, side: Side): { line: Shown; idx: number }[] {
  const out: { line: Shown; idx: number }[] = [];
  h.lines.forEach((l: DiffLine, idx: number) => {
    if (l.kind !== 'context' && l.kind !== (side === 'post' ? 'add' : 'del')) return;
    const sl = side === 'post' ? l.newLine : l.oldLine;
    if (sl === null) return;
    out.push({ line: { text: l.text, sourceLine: sl, inputLine: l.inputLine }, idx });
  });
  return out;
}

/** Count of leading continuation lines (the rest of a statement begun in unseen code). */
function continuationLines(lines: Shown[], from: number): number {
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
function commentContinuation(lines: Shown[], from: number): number {
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

function firstCodeIndex(lines: Shown[], from: number): number {
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

type StartKind = { kind: 'inside'; skip: number } | { kind: 'top'; skip: number } | { kind: 'opens'; skip: number; cont: Shown[] };

/** Where does a hunk start: inside a function body, at top level, or inside a signature? */
const PROTOTYPE = /^(static\s+|extern\s+|inline\s+)*[A-Za-z_][\w\s*]*[\s*]\w+\s*\([^;{}=]*\)\s*;$/;
const TOP_LEVEL = /^(\/\*|EXPORT_SYMBOL|MODULE_|module_|#|static\s|struct\s+\w+\s*\{|typedef\s|late_initcall|core_initcall|subsys_initcall|fs_initcall|device_initcall)/;

/** Flat (scraped) text: does this line look like top level rather than function body? */
function flatTopLevel(lines: Shown[], k: number): boolean {
  const t = lines[k].text.trim();
  if (TOP_LEVEL.test(t) && !/^static\s+(DEFINE_|const\s+\w+\s+\w+\s*=)/.test(t)) return !/^#/.test(t) || /^#\s*(include|define)/.test(t);
  if (PROTOTYPE.test(t)) return true;
  if (looksLikeSignatureStart(t)) {
    if (/\{\s*$/.test(t)) return true;
    for (let j = k + 1; j < lines.length && j <= k + 5; j++) {
      const u = lines[j].text.trim();
      if (/^\{\s*$/.test(u)) return true;
      if (/;\s*$/.test(u) || u === '') return false;
    }
    return lines.length <= k + 6; // the signature runs past the end of the hunk
  }
  return false;
}

function classifyStart(lines: Shown[], flat = false): StartKind {
  if (flat) {
    const k0 = firstCodeIndex(lines, commentContinuation(lines, 0));
    if (k0 < 0) return { kind: 'top', skip: 0 };
    if (/^\}/.test(lines[k0].text.trim()) || isLabelLine(lines[k0].text)) return { kind: 'inside', skip: 0 };
    return flatTopLevel(lines, k0) ? { kind: 'top', skip: 0 } : { kind: 'inside', skip: 0 };
  }
  const cc = commentContinuation(lines, 0);
  const k = firstCodeIndex(lines, cc);
  if (k < 0) return { kind: 'top', skip: cc };
  const cont = continuationLines(lines, k);
  if (cont > 0) {
    const after = firstCodeIndex(lines, k + cont);
    const a = after >= 0 ? lines[after].text : '';
    if (after >= 0 && /^\{\s*$/.test(a)) return { kind: 'opens', skip: k, cont: lines.slice(k, k + cont) };
    if (after < 0 || /^[A-Za-z_]/.test(a) && !isLabelLine(a)) return { kind: 'top', skip: k + cont };
    return { kind: 'inside', skip: 0 };
  }
  const t = lines[k].text;
  if (/^\{\s*$/.test(t)) return { kind: 'opens', skip: k, cont: [] };
  if (/^\s/.test(t) || /^\}/.test(t) || isLabelLine(t)) return { kind: 'inside', skip: 0 };
  return { kind: 'top', skip: cc };
}

function braceSum(lines: Shown[]): number {
  const st: LexState = { inComment: false };
  let d = 0;
  for (const l of lines) {
    const c = stripLine(l.text, st);
    d += count(c, '{') - count(c, '}');
  }
  return d;
}

function headingSignature(heading: string, name: string): string {
  const h = heading.trim().replace(/\{\s*$/, '').trim();
  if (count(h, '(') > 0 && count(h, '(') === count(h, ')')) return h;
  const at = h.indexOf(name + '(') >= 0 ? h.indexOf(name + '(') : h.indexOf(name);
  return (at >= 0 ? h.slice(0, at + name.length) : name) + '()';
}

/** Segment one side of a file diff into touched functions. */
export function segmentFunctions(file: FileDiff, side: Side, problems: Problem[], inputName?: string, all = false): FnBuild[] {
  const out: FnBuild[] = [];
  let cur: FnBuild | null = null;
  let curFrom = 0;
  let prevEnd: number | null = null;
  const flat = file.hunks.some((h) => h.lines.length > 0) && file.hunks.every((h) => h.lines.every((l) => !/^[\t ]/.test(l.text)));
  const closes = (L: { line: Shown }[], i: number, fb: FnBuild): boolean => {
    const t = L[i].line.text;
    if (!flat) return /^\}/.test(t);
    if (!/^\}\s*;?\s*$/.test(t)) return false;
    if (fb.signature !== null && fb.depth !== null) return fb.depth <= 0;
    const shownL = L.map((x) => x.line);
    const nx = firstCodeIndex(shownL, i + 1);
    if (nx < 0) {
      const after = shownL.slice(i + 1).find((l) => l.text.trim() !== '');
      return after !== undefined && after.text.trim().startsWith('/**');
    }
    return flatTopLevel(shownL, nx);
  };
  const finish = (fb: FnBuild): void => {
    if (fb.touched || all) out.push(fb);
  };
  file.hunks.forEach((h) => {
    const L = sideLines(h, side);
    const touchedBetween = (from: number, to: number): boolean => {
      for (let i = from; i <= to && i < h.lines.length; i++) if (h.lines[i].kind !== 'context') return true;
      return false;
    };
    if (L.length === 0) return;
    const shown = L.map((x) => x.line);
    const headName = signatureName(h.section);
    const start = classifyStart(shown, flat);
    const hunkStartLine = L[0].line.sourceLine;
    let i = 0;
    if (cur && !(start.kind === 'inside' && (headName === null || headName === cur.name))) {
      finish(cur);
      cur = null;
    }
    let skipping = false;
    let pending: { name: string; lines: Shown[]; from: number; heading?: string } | null = null;
    if (cur) {
      cur.segments.push({ lines: [], gapLines: prevEnd === null ? null : hunkStartLine - prevEnd - 1, gapFrom: prevEnd === null ? null : prevEnd + 1, headerInputLine: h.inputLine });
      curFrom = 0;
    } else if (start.kind === 'inside') {
      // git takes the heading from the pre-image; if that function's signature comes later in this
      // hunk, the hunk starts in some other (unnamed) function.
      const headLater = headName !== null && shown.some((l) => looksLikeSignatureStart(l.text) && signatureName(l.text) === headName);
      if (headName && !headLater) {
        cur = { name: headName, heading: h.section, signature: null, closingSeen: false, segments: [{ lines: [], gapLines: null, gapFrom: null, headerInputLine: h.inputLine }], touched: false, depth: null, lex: { inComment: false } };
        curFrom = 0;
      } else {
        skipping = true;
        if (!/^\s*(struct|union|enum|typedef|#)/.test(h.section) && !/;\s*$/.test(h.section) && L.slice(0, 40).some((x) => h.lines[x.idx].kind !== 'context')) {
          problems.push({ input: inputName, line: h.inputLine, kind: 'unknown-function', message: `hunk at input line ${h.inputLine} starts inside code whose function is not named by the section heading ('${h.section.trim()}'); not analysed` });
        }
      }
    } else if (start.kind === 'opens' && headName) {
      pending = { name: headName, lines: start.cont, from: L[start.skip].idx, heading: h.section };
      i = start.skip + start.cont.length;
    } else {
      i = start.skip;
    }
    for (; i < L.length; i++) {
      const { line, idx } = L[i];
      if (cur) {
        cur.segments[cur.segments.length - 1].lines.push(line);
        if (cur.depth !== null) {
          const code = stripLine(line.text, cur.lex);
          cur.depth += count(code, '{') - count(code, '}');
        }
        if (closes(L, i, cur)) {
          cur.closingSeen = true;
          if (touchedBetween(curFrom, idx)) cur.touched = true;
          finish(cur);
          cur = null;
        }
        continue;
      }
      if (skipping) {
        if (/^\}/.test(line.text) && (!flat || flatTopLevel(shown, Math.max(0, firstCodeIndex(shown, i + 1))))) skipping = false;
        continue;
      }
      if (pending) {
        pending.lines.push(line);
        const code = stripLine(line.text, { inComment: false }).trim();
        if (/^\{/.test(line.text)) {
          cur = { name: pending.name, heading: pending.heading ?? pending.lines[0].text, signature: pending.heading ? (pending.lines.length > 1 ? pending.heading.trim() : headingSignature(pending.heading, pending.name)) : '', closingSeen: false, segments: [{ lines: pending.lines, gapLines: null, gapFrom: null, headerInputLine: h.inputLine }], touched: false, depth: braceSum(pending.lines), lex: { inComment: false } };
          curFrom = pending.from;
          pending = null;
        } else if (/;$/.test(code) || pending.lines.length > 10 || (!flat && /^[A-Za-z_#}]/.test(line.text) && !/^\{/.test(line.text))) {
          pending = null;
          if (looksLikeSignatureStart(line.text)) pending = { name: signatureName(line.text)!, lines: [line], from: idx };
        }
        continue;
      }
      if (looksLikeSignatureStart(line.text)) {
        pending = { name: signatureName(line.text)!, lines: [line], from: idx };
        const code = stripLine(line.text, { inComment: false }).trim();
        if (/\)\s*\{$/.test(code)) {
          cur = { name: pending.name, heading: line.text, signature: '', closingSeen: false, segments: [{ lines: [line], gapLines: null, gapFrom: null, headerInputLine: h.inputLine }], touched: false, depth: braceSum([line]), lex: { inComment: false } };
          curFrom = idx;
          pending = null;
        }
      }
    }
    if (cur && touchedBetween(curFrom, h.lines.length - 1)) cur.touched = true;
    prevEnd = L[L.length - 1].line.sourceLine;
  });
  if (cur) finish(cur);
  return out;
}

// ───────────── text synthesis ─────────────

function neededDepth(lines: Shown[], closesFunction: boolean): number | null {
  let indentNeed: number | null = null;
  for (const l of lines) {
    if (!isCodeLine(l.text) || isLabelLine(l.text)) continue;
    const t = l.text.trim();
    const tabs = indentTabs(l.text);
    if (t.startsWith('}') || /^(case\b|default\s*:)/.test(t)) indentNeed = tabs + 1;
    else indentNeed = tabs >= 1 ? tabs : null;
    break;
  }
  // Braces: the segment must never close more blocks than are open (the function's own closing
  // brace, when the segment ends the function, excepted).
  const st: LexState = { inComment: false };
  let bal = 0;
  let min = 0;
  const upto = closesFunction ? lines.length - 1 : lines.length;
  for (let j = 0; j < upto; j++) {
    for (const ch of stripLine(lines[j].text, st)) {
      if (ch === '{') bal++;
      else if (ch === '}') min = Math.min(min, --bal);
    }
  }
  const braceNeed = 1 - min;
  if (indentNeed === null) return min < 0 ? braceNeed : null;
  return Math.max(indentNeed, braceNeed);
}

const DECL = /^\t(?:(?:const|static|unsigned|signed|volatile|register)\s+)*(?:(?:struct|union|enum)\s+\w+|bool|char|short|int|long|float|double|void|size_t|ssize_t|loff_t|pgoff_t|gfp_t|u8|u16|u32|u64|s8|s16|s32|s64|__u32|__u64|unsigned|[a-z_]\w*_t)\b[\s*]*\w+\s*(\[[^\]]*\])?\s*(=|;|,)/;

function startsWithDeclaration(lines: Shown[]): boolean {
  const k = firstCodeIndex(lines, 0);
  return k >= 0 && DECL.test(lines[k].text) && !/^\t(return|goto|if|else|while|for|do|switch|case)\b/.test(lines[k].text);
}

function opener(lines: Shown[], lvl: number): string {
  for (const l of lines) {
    const t = l.text.trim();
    if (t.startsWith('}') && indentTabs(l.text) === lvl - 1) {
      return /^\}\s*while\b/.test(t) ? 'do {' : `if (${UNKNOWN_COND}) {`;
    }
  }
  return `if (${UNKNOWN_COND}) {`;
}

/** Drop trailing lines that do not end a statement (cut by the hunk edge). Returns dropped count. */
function dropTrailingIncomplete(lines: Shown[]): number {
  const st: LexState = { inComment: false };
  let bal = 0;
  let safe = -1;
  for (let j = 0; j < lines.length; j++) {
    const code = stripLine(lines[j].text, st).trim();
    bal += count(code, '(') - count(code, ')');
    if (st.inComment || bal !== 0) continue;
    if (code === '' || isPreproc(lines[j].text) || /[;{}:]$/.test(code)) safe = j;
  }
  const dropped = lines.length - 1 - safe;
  if (dropped > 0) lines.splice(safe + 1);
  return dropped;
}

export function synthesize(fb: FnBuild): FunctionText {
  const rows: string[] = [];
  const refs: (SrcRef | null)[] = [];
  const gaps: GapInfo[] = [];
  const reasons: string[] = [];
  const push = (t: string, r: SrcRef | null): void => {
    rows.push(t);
    refs.push(r);
  };
  const st: LexState = { inComment: false };
  let depth = 0;
  const allShown = fb.segments.flatMap((s) => s.lines);
  const first = allShown[0];
  if (fb.signature === null) {
    push(headingSignature(fb.heading, fb.name), null);
    push('{', null);
    depth = 1;
    reasons.push(`starts mid-function at line ${first ? first.sourceLine : '?'} (signature not shown)`);
  } else if (fb.signature !== '') {
    push(fb.signature, null);
  }
  let carried = 0;
  fb.segments.forEach((seg, si) => {
    const lines = seg.lines.slice();
    const afterGap = si > 0 || fb.signature === null;
    if (afterGap) {
      let drop = commentContinuation(lines, 0);
      const k = firstCodeIndex(lines, drop);
      if (k >= 0) {
        const c = continuationLines(lines, k);
        if (c > 0) drop = k + c;
      }
      if (drop > 0) {
        reasons.push(`statement cut by the hunk edge at line ${lines[0].sourceLine}`);
        lines.splice(0, drop);
      }
      // Kernel C puts declarations first in a block (-Wdeclaration-after-statement): when a function
      // shown mid-way starts with a declaration at body level, the unseen part above it is the
      // signature, the brace and more declarations, not code that could branch or return.
      const declOnly = si === 0 && drop === 0 && startsWithDeclaration(lines);
      if (declOnly) {
        reasons[reasons.length - 1] = `starts mid-function at line ${first ? first.sourceLine : '?'} (signature and leading declarations not shown)`;
      }
      {
      const unseen = seg.gapLines === null ? null : seg.gapLines + carried + drop;
      const id = gaps.length;
      const where = si === 0 ? 'leading' : 'between';
      const from = seg.gapFrom;
      const text = declOnly
        ? 'signature and leading declarations not in the patch'
        : unseen === null ? 'code before the first shown line is not in the patch' : `${unseen} line${unseen === 1 ? '' : 's'} not shown${from !== null ? ` (from line ${from})` : ''}`;
      gaps.push({ id, lines: unseen, ref: { inputLine: seg.headerInputLine, sourceLine: from }, where, text, ...(declOnly ? { declarationsOnly: true } : {}) });
      if (where === 'between') reasons.push(`gap of ${unseen} lines after line ${from !== null ? from - 1 : '?'}`);
      const need = neededDepth(lines, si === fb.segments.length - 1 && fb.closingSeen) ?? depth;
      const gref = gaps[id].ref;
      const mark = (d: number): void => push(`${'\t'.repeat(Math.max(d, 1))}${GAP_FN}(${id});`, gref);
      // Unseen code at the current level, then blocks the unseen code opens or closes, with unseen
      // code at every level in between (a path that skips an inner block still crosses the gap).
      mark(depth);
      if (need > depth) {
        for (let lvl = depth + 1; lvl <= need; lvl++) {
          push('\t'.repeat(lvl - 1) + opener(lines, lvl), gref);
          mark(lvl);
        }
        depth = need;
      } else if (need < depth && need >= 1) {
        for (; depth > need; depth--) {
          push('\t'.repeat(depth - 1) + '}', gref);
          mark(depth - 1);
        }
      }
      carried = 0;
      }
    }
    const last = si === fb.segments.length - 1;
    if (!last || !fb.closingSeen) {
      const d = dropTrailingIncomplete(lines);
      if (d > 0) {
        carried = d;
        reasons.push(`statement cut by the hunk edge after line ${lines.length ? lines[lines.length - 1].sourceLine : '?'}`);
      }
    }
    lines.forEach((l, li) => {
      const code = stripLine(l.text, st);
      const isClose = last && fb.closingSeen && li === lines.length - 1 && /^\}/.test(l.text);
      if (isClose) for (; depth > 1; depth--) push('\t'.repeat(depth - 1) + '}', null);
      push(l.text, { inputLine: l.inputLine, sourceLine: l.sourceLine });
      depth += count(code, '{') - count(code, '}');
    });
  });
  if (!fb.closingSeen) {
    const lastShown = allShown[allShown.length - 1];
    const id = gaps.length;
    const from = lastShown ? lastShown.sourceLine + 1 : null;
    gaps.push({ id, lines: null, ref: { inputLine: lastShown ? lastShown.inputLine : null, sourceLine: from }, where: 'trailing', text: 'code after the last shown line is not in the patch' });
    const gref = gaps[id].ref;
    if (st.inComment) push('*/', gref);
    push(`${'\t'.repeat(Math.max(depth, 1))}${GAP_FN}(${id});`, gref);
    for (; depth > 1; depth--) {
      push('\t'.repeat(depth - 1) + '}', gref);
      push(`${'\t'.repeat(depth - 1)}${GAP_FN}(${id});`, gref);
    }
    push('}', gref);
    depth = 0;
    reasons.push(`ends before the closing brace (after line ${lastShown ? lastShown.sourceLine : '?'})`);
  }
  return {
    name: fb.name,
    text: rows.join('\n') + '\n',
    refs,
    gaps,
    complete: reasons.length === 0,
    partialReasons: reasons,
    startLine: first ? first.sourceLine : 0,
    endLine: allShown.length ? allShown[allShown.length - 1].sourceLine : 0,
    inputLine: first ? first.inputLine : 0,
  };
}

export function reconstructFunctions(file: FileDiff, side: Side, problems: Problem[], inputName?: string): FunctionText[] {
  return segmentFunctions(file, side, problems, inputName).map(synthesize);
}

/**
 * Every function definition of a whole C text (kernel coding style: signature at column 0, body
 * braces at column 0), each as its own parse-ready text. `firstLine` is the source line of row 0.
 */
export function splitFunctions(text: string, firstLine = 1): FunctionText[] {
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const hunk: Hunk = {
    oldStart: firstLine, oldLines: lines.length, newStart: firstLine, newLines: lines.length, section: '', inputLine: 0,
    lines: lines.map((t, i) => ({ kind: 'context' as const, text: t, inputLine: 0, oldLine: firstLine + i, newLine: firstLine + i })),
  };
  const file: FileDiff = { oldPath: null, newPath: null, status: 'modified', inputLine: 0, hunks: [hunk] };
  return segmentFunctions(file, 'post', [], undefined, true).map(synthesize);
}
