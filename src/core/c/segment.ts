/*
 * Which functions do the hunks of one side touch? Segments the shown lines into functions using the
 * section heading and kernel coding style (signatures and body braces at column 0), also for text
 * whose indentation was lost (scraped mail), and joins hunks of the same function.
 */
import type { DiffLine, FileDiff, Hunk, Problem, Side } from '../types';
import {
  commentContinuation, continuationLines, count, firstCodeIndex, isLabelLine, looksLikeSignatureStart, signatureName, stripLine,
  type LexState, type Shown,
} from './lines';

export interface Segment {
  lines: Shown[];
  /** Unseen source lines before this segment (between hunks), null for a mid-function start. */
  gapLines: number | null;
  gapFrom: number | null;
  headerInputLine: number;
}

export interface FnBuild {
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

/**
 * A return type on a line of its own before the name (`static int` / `cifs_setlk(struct file *file, ...`,
 * a common kernel style): column 0, no parenthesis, no statement or label punctuation.
 */
const TYPE_LINE = /^(?!(?:else|return|do|case|default|goto)\b)[A-Za-z_][\w\s*]*$/;

/** The pending signature that begins at L[i], with the return-type line just above it when there is one. */
function startPending(L: { line: Shown; idx: number }[], i: number): { name: string; lines: Shown[]; from: number } {
  const line = L[i].line;
  const prev = i > 0 ? L[i - 1] : null;
  if (prev && prev.line.sourceLine === line.sourceLine - 1 && TYPE_LINE.test(prev.line.text.replace(/\s+$/, '')) && prev.line.text.trim() !== '') {
    return { name: signatureName(line.text)!, lines: [prev.line, line], from: prev.idx };
  }
  return { name: signatureName(line.text)!, lines: [line], from: L[i].idx };
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

export function headingSignature(heading: string, name: string): string {
  const h = heading.trim().replace(/\{\s*$/, '').trim();
  // A heading without a return type (`xchk_quota_item(`: the type is on the line above, kernel style)
  // gets a placeholder one, or the rebuilt text is a call, not a definition.
  const typed = (sig: string): string => (sig.trimStart().startsWith(name) ? `int ${sig.trimStart()}` : sig);
  if (count(h, '(') > 0 && count(h, '(') === count(h, ')')) return typed(h);
  const at = h.indexOf(name + '(') >= 0 ? h.indexOf(name + '(') : h.indexOf(name);
  return typed((at >= 0 ? h.slice(0, at + name.length) : name) + '()');
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
        // Changed lines before the first function the hunk itself opens belong to a function the
        // heading does not name (a label, a macro, a struct, or nothing): say so, naming the hunk.
        const firstSig = L.findIndex((x) => looksLikeSignatureStart(x.line.text));
        const upTo = firstSig < 0 ? L.length : firstSig;
        if (L.slice(0, upTo).some((x) => h.lines[x.idx].kind !== 'context') && !/^\s*(struct|union|enum|typedef)\b[^(]*$/.test(h.section)) {
          const head = h.section.trim();
          const what = head === '' ? 'has no section heading'
            : /^[A-Za-z_]\w*:\s*$/.test(head) ? `is headed by a label ('${head}'), not a function`
              : /^#/.test(head) ? `is headed by a preprocessor line ('${head}'), not a function`
                : `is headed '${head}', which is not a function signature`;
          problems.push({ line: h.inputLine, kind: 'unknown-function', message: `${inputName ?? ''}: hunk @@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@ at input line ${h.inputLine} ${what}: its enclosing function is not in the patch, so its changed lines were not analysed (run with --tree, or send the patch with git format-patch -W)` });
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
          cur = { name: pending.name, heading: pending.heading ?? (pending.lines.find((x) => signatureName(x.text) === pending!.name) ?? pending.lines[0]).text, signature: pending.heading ? (pending.lines.length > 1 ? pending.heading.trim() : headingSignature(pending.heading, pending.name)) : '', closingSeen: false, segments: [{ lines: pending.lines, gapLines: null, gapFrom: null, headerInputLine: h.inputLine }], touched: false, depth: braceSum(pending.lines), lex: { inComment: false } };
          curFrom = pending.from;
          pending = null;
        } else if (/;$/.test(code) || pending.lines.length > 10 || (!flat && /^[A-Za-z_#}]/.test(line.text) && !/^\{/.test(line.text))) {
          pending = null;
          if (looksLikeSignatureStart(line.text)) pending = startPending(L, i);
        }
        continue;
      }
      if (looksLikeSignatureStart(line.text)) {
        pending = startPending(L, i);
        const code = stripLine(line.text, { inComment: false }).trim();
        if (/\)\s*\{$/.test(code)) {
          cur = { name: pending.name, heading: line.text, signature: '', closingSeen: false, segments: [{ lines: pending.lines, gapLines: null, gapFrom: null, headerInputLine: h.inputLine }], touched: false, depth: braceSum([line]), lex: { inComment: false } };
          curFrom = pending.from;
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
