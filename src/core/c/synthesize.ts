/*
 * Parse-ready text for one function rebuilt from hunks: unseen code becomes `__lockstep_gap(N);`
 * markers, and blocks opened or closed in unseen code are balanced with synthetic lines (a hunk
 * starting at `} while (...)` gets a `do {`, one starting at `} else {` an unseen `if`).
 */
import type { SrcRef } from '../types';
import {
  commentContinuation, continuationLines, count, firstCodeIndex, indentTabs, isCodeLine, isLabelLine, isPreproc, stripLine,
  type LexState, type Shown,
} from './lines';
import { GAP_FN, UNKNOWN_COND } from './preprocess';
import type { FnBuild } from './segment';
import { headingSignature } from './segment';
import type { FunctionText, GapInfo } from './reconstruct';

/** The words of the gap after the last shown line of a partial function (patchIntent.ts matches them). */
export const TRAILING_GAP = 'code after the last shown line is not in the patch';

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

/** Block depth a shown line sits at, by its indentation (preprocessor lines: the next code line's). */
function requiredDepth(lines: Shown[], li: number): number | null {
  for (let j = li; j < lines.length; j++) {
    const t = lines[j].text;
    if (isPreproc(t)) continue;
    if (!isCodeLine(t) || isLabelLine(t)) {
      if (j === li) return null;
      continue;
    }
    const tr = t.trim();
    const tabs = indentTabs(t);
    if (tabs === 0) return null;
    return tr.startsWith('}') || /^(case\b|default\s*:)/.test(tr) ? tabs + 1 : tabs;
  }
  return null;
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

/** A control header whose body is cut by the hunk edge (`if (!wt_ctx->bvec)`), parentheses balanced. */
const CONTROL_HEADER = /^(\}\s*)?(else\s+)?(if|while|for)\s*\(.*\)$|^(\}\s*)?else$/;

/**
 * Drop trailing lines that do not end a statement (cut by the hunk edge). A trailing control header
 * (`if (x)` whose body the hunk does not show) is kept: the unseen code becomes its body, so the
 * branch the patch shows stays on the paths. Returns the dropped count and whether a header was kept.
 */
function dropTrailingIncomplete(lines: Shown[]): { dropped: number; header: boolean } {
  const st: LexState = { inComment: false };
  let bal = 0;
  let safe = -1;
  let headerEnd = -1;
  let headerStart = -1;
  let stmtStart = 0;
  for (let j = 0; j < lines.length; j++) {
    const code = stripLine(lines[j].text, st).trim();
    if (bal === 0 && code !== '') stmtStart = j;
    bal += count(code, '(') - count(code, ')');
    if (st.inComment || bal !== 0) continue;
    if (code === '' || isPreproc(lines[j].text) || /[;{}:]$/.test(code)) safe = j;
    else {
      const joined = lines.slice(stmtStart, j + 1).map((l) => l.text.trim()).join(' ');
      if (CONTROL_HEADER.test(joined)) { headerStart = stmtStart; headerEnd = j; }
    }
  }
  const header = headerEnd === lines.length - 1 && headerStart === safe + 1;
  const keep = header ? headerEnd : safe;
  const dropped = lines.length - 1 - keep;
  if (dropped > 0) lines.splice(keep + 1);
  return { dropped, header };
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
  // #if blocks the shown code opens but does not close (or closes but did not open) are balanced.
  let pp = 0;
  const closePp = (r: SrcRef | null): void => {
    for (; pp > 0; pp--) push('#endif', r);
  };
  const allShown = fb.segments.flatMap((s) => s.lines);
  const first = allShown[0];
  // Blocks opened by synthetic lines (levels); closed again when the indentation says the shown
  // code has left them (a braceless `if` body, or a block the unseen code opened).
  const synthOpen: number[] = [];
  const flat = allShown.every((l) => !/^[\t ]/.test(l.text));
  if (fb.signature === null) {
    push(headingSignature(fb.heading, fb.name), null);
    push('{', null);
    depth = 1;
    reasons.push(`starts mid-function at line ${first ? first.sourceLine : '?'} (signature not shown)`);
  } else if (fb.signature !== '') {
    push(fb.signature, null);
  }
  let carried = 0;
  // Set when the previous segment ended with a control header whose body the unseen code is.
  let headerOpen = false;
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
      closePp(gref);
      // Unseen code at the current level, then blocks the unseen code opens or closes, with unseen
      // code at every level in between (a path that skips an inner block still crosses the gap).
      // After a kept control header, the first marker is its body and a second one follows it.
      if (headerOpen) mark(depth + 1);
      headerOpen = false;
      mark(depth);
      if (need > depth) {
        for (let lvl = depth + 1; lvl <= need; lvl++) {
          push('\t'.repeat(lvl - 1) + opener(lines, lvl), gref);
          synthOpen.push(lvl);
          mark(lvl);
        }
        depth = need;
      } else if (need < depth && need >= 1) {
        for (; depth > need; depth--) {
          push('\t'.repeat(depth - 1) + '}', gref);
          mark(depth - 1);
        }
        while (synthOpen.length && synthOpen[synthOpen.length - 1] > depth) synthOpen.pop();
      }
      carried = 0;
      }
    }
    const last = si === fb.segments.length - 1;
    if (!last || !fb.closingSeen) {
      const d = dropTrailingIncomplete(lines);
      if (d.dropped > 0) {
        carried = d.dropped;
        reasons.push(`statement cut by the hunk edge after line ${lines.length ? lines[lines.length - 1].sourceLine : '?'}`);
      }
      if (d.header) {
        headerOpen = true;
        reasons.push(`the body of the branch at line ${lines[lines.length - 1].sourceLine} is not shown`);
      }
    }
    lines.forEach((l, li) => {
      const code = stripLine(l.text, st);
      const isClose = last && fb.closingSeen && li === lines.length - 1 && /^\}/.test(l.text);
      if (isClose) {
        closePp(null);
        for (; depth > 1; depth--) push('\t'.repeat(depth - 1) + '}', null);
      }
      if (!flat && synthOpen.length && !isClose) {
        const req = requiredDepth(lines, li);
        while (req !== null && synthOpen.length && synthOpen[synthOpen.length - 1] > req && depth >= synthOpen[synthOpen.length - 1]) {
          push('\t'.repeat(depth - 1) + '}', null);
          depth--;
          synthOpen.pop();
        }
      }
      const d = /^\s*#\s*(if|ifdef|ifndef|else|elif|endif)\b/.exec(l.text);
      if (d && (d[1] === 'if' || d[1] === 'ifdef' || d[1] === 'ifndef')) pp++;
      else if (d && d[1] === 'endif') {
        if (pp === 0) push(`#if ${UNKNOWN_COND}`, null); // opened in unseen code
        else pp--;
      } else if (d && pp === 0) {
        pp++;
        push(`#if ${UNKNOWN_COND}`, null);
      }
      push(l.text, { inputLine: l.inputLine, sourceLine: l.sourceLine });
      depth += count(code, '{') - count(code, '}');
      while (synthOpen.length && synthOpen[synthOpen.length - 1] > depth) synthOpen.pop();
    });
  });
  if (!fb.closingSeen) {
    const lastShown = allShown[allShown.length - 1];
    const id = gaps.length;
    const from = lastShown ? lastShown.sourceLine + 1 : null;
    gaps.push({ id, lines: null, ref: { inputLine: lastShown ? lastShown.inputLine : null, sourceLine: from }, where: 'trailing', text: TRAILING_GAP });
    const gref = gaps[id].ref;
    if (st.inComment) push('*/', gref);
    closePp(gref);
    if (headerOpen) push(`${'\t'.repeat(Math.max(depth + 1, 1))}${GAP_FN}(${id});`, gref);
    headerOpen = false;
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
