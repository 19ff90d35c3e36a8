/*
 * Kernel tree mode: the reviewer has the file. Locate each hunk's pre-image in it the way
 * `git apply` does (expected line, then growing offsets; light fuzz: whitespace, then up to two
 * context lines dropped at either end), say whether the tree is at the patch's base, already has it
 * applied, or conflicts, build the other side in memory, and analyse the touched functions whole.
 */
import type { FileDiff, FunctionAnalysis, Hunk, Problem, Side } from '../types';
import type { PathOptions } from '../cfg/paths';
import { analyseCalleesFirst, analyzeFileDiff, analyzeFunctionText } from './analyze';
import { splitFunctions, type FunctionText } from './reconstruct';

export type TreeState = 'at-base' | 'applied' | 'conflict';

export interface TreeAnalysis {
  functions: FunctionAnalysis[];
  treeState: TreeState;
  problems: Problem[];
}

interface Located {
  hunk: Hunk;
  /** 0-based index in the tree lines where the image starts. */
  at: number;
  /** Leading / trailing context lines dropped by fuzz. */
  dropHead: number;
  dropTail: number;
  fuzz: 'none' | 'whitespace' | 'context';
}

const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();

function imageOf(h: Hunk, side: Side): { text: string; inputLine: number; kind: string }[] {
  return h.lines.filter((l) => l.kind === 'context' || l.kind === (side === 'pre' ? 'del' : 'add')).map((l) => ({ text: l.text, inputLine: l.inputLine, kind: l.kind }));
}

function matchAt(lines: string[], img: string[], at: number, ws: boolean): boolean {
  if (at < 0 || at + img.length > lines.length) return false;
  for (let i = 0; i < img.length; i++) {
    const a = lines[at + i];
    const b = img[i];
    if (ws ? norm(a) !== norm(b) : a !== b) return false;
  }
  return true;
}

function search(lines: string[], img: string[], expected: number, ws: boolean): number {
  const max = Math.max(lines.length, expected + 1);
  for (let d = 0; d <= max; d++) {
    if (matchAt(lines, img, expected - d, ws)) return expected - d;
    if (d > 0 && matchAt(lines, img, expected + d, ws)) return expected + d;
  }
  return -1;
}

/** True when every hunk's image (pre or post) occurs verbatim somewhere in `text` (no fuzz, any order). */
export function carriesImage(text: string, file: FileDiff, side: Side): boolean {
  const lines = text.split('\n');
  return file.hunks.every((h) => {
    const img = imageOf(h, side).map((l) => l.text);
    return img.length === 0 || search(lines, img, 0, false) >= 0;
  });
}

/** Locate every hunk's image (pre or post) in the tree; null when some hunk cannot be placed. */
function locateAll(lines: string[], hunks: Hunk[], side: Side): Located[] | null {
  const out: Located[] = [];
  let offset = 0;
  let minAt = 0;
  for (const h of hunks) {
    const img = imageOf(h, side);
    const start = (side === 'pre' ? h.oldStart : h.newStart) - 1;
    const expected = Math.max(0, start + offset);
    if (img.length === 0) {
      out.push({ hunk: h, at: Math.max(minAt, expected + (side === 'pre' ? h.oldLines === 0 ? 1 : 0 : h.newLines === 0 ? 1 : 0)), dropHead: 0, dropTail: 0, fuzz: 'none' });
      continue;
    }
    const texts = img.map((l) => l.text);
    let found: Located | null = null;
    for (const ws of [false, true]) {
      const at = search(lines, texts, expected, ws);
      if (at >= minAt) {
        found = { hunk: h, at, dropHead: 0, dropTail: 0, fuzz: ws ? 'whitespace' : 'none' };
        break;
      }
    }
    for (let fz = 1; !found && fz <= 2; fz++) {
      const head = Math.min(fz, leadingContext(img));
      const tail = Math.min(fz, trailingContext(img));
      if (head + tail === 0 || head + tail >= texts.length) continue;
      const at = search(lines, texts.slice(head, texts.length - tail), expected + head, true);
      if (at >= minAt) found = { hunk: h, at: at - head, dropHead: head, dropTail: tail, fuzz: 'context' };
    }
    if (!found) return null;
    offset = found.at - start;
    minAt = found.at + img.length - found.dropTail;
    out.push(found);
  }
  return out;
}

function leadingContext(img: { kind: string }[]): number {
  let k = 0;
  while (k < img.length && img[k].kind === 'context') k++;
  return k;
}
function trailingContext(img: { kind: string }[]): number {
  let k = 0;
  while (k < img.length && img[img.length - 1 - k].kind === 'context') k++;
  return k;
}

interface SideText {
  lines: string[];
  /** 1-based line → input line, for lines the patch shows. */
  inputOf: Map<number, number>;
  /** 1-based lines changed by the patch on this side (or next to a change made on the other side). */
  touched: Set<number>;
}

/**
 * From the tree (holding `from` side images at `locs`), build the `to` side by replacing each
 * image; record which lines the patch shows and changes on both sides.
 */
function buildSides(tree: string[], locs: Located[], from: Side): { fromSide: SideText; toSide: SideText } {
  const to: Side = from === 'pre' ? 'post' : 'pre';
  const fromSide: SideText = { lines: tree, inputOf: new Map(), touched: new Set() };
  const toSide: SideText = { lines: [], inputOf: new Map(), touched: new Set() };
  let cursor = 0;
  for (const loc of locs) {
    const fromImg = imageOf(loc.hunk, from);
    const at = loc.at;
    while (cursor < at) toSide.lines.push(tree[cursor++]);
    // walk the hunk lines in order, emitting the `to` side and marking both sides
    let fi = at;
    let lastTo = toSide.lines.length;
    const kFrom = from === 'pre' ? 'del' : 'add';
    const kTo = to === 'pre' ? 'del' : 'add';
    const drops = { head: loc.dropHead, tail: loc.dropTail };
    const lines = loc.hunk.lines;
    const totalCtxFrom = fromImg.length;
    let fromIdx = 0;
    for (const l of lines) {
      if (l.kind === 'context' || l.kind === kFrom) {
        const inDrop = fromIdx < drops.head || fromIdx >= totalCtxFrom - drops.tail;
        fromIdx++;
        if (l.kind === 'context') {
          const lineText = tree[fi] ?? l.text;
          if (!inDrop) {
            fromSide.inputOf.set(fi + 1, l.inputLine);
            toSide.inputOf.set(toSide.lines.length + 1, l.inputLine);
          }
          toSide.lines.push(lineText);
          lastTo = toSide.lines.length;
          fi++;
        } else {
          fromSide.inputOf.set(fi + 1, l.inputLine);
          fromSide.touched.add(fi + 1);
          if (lastTo > 0) toSide.touched.add(lastTo);
          toSide.touched.add(lastTo + 1);
          fi++;
        }
      } else if (l.kind === kTo) {
        toSide.lines.push(l.text);
        toSide.inputOf.set(toSide.lines.length, l.inputLine);
        toSide.touched.add(toSide.lines.length);
        lastTo = toSide.lines.length;
        if (fi > 0) fromSide.touched.add(fi);
        fromSide.touched.add(fi + 1);
      }
    }
    cursor = at + fromImg.length;
  }
  while (cursor < tree.length) toSide.lines.push(tree[cursor++]);
  return { fromSide, toSide };
}

function analyseSide(st: SideText, path: string, side: Side, opts: PathOptions): FunctionAnalysis[] {
  const text = st.lines.join('\n') + '\n';
  const texts: FunctionText[] = [];
  for (const ft of splitFunctions(text, 1)) {
    let hit = false;
    for (let l = ft.startLine; l <= ft.endLine && !hit; l++) if (st.touched.has(l)) hit = true;
    if (!hit) continue;
    const mapRef = (r: { sourceLine: number | null; inputLine: number | null } | null) =>
      r === null ? null : { sourceLine: r.sourceLine, inputLine: r.sourceLine !== null ? st.inputOf.get(r.sourceLine) ?? null : null };
    let firstInput = 0;
    for (let l = ft.startLine; l <= ft.endLine; l++) {
      const i = st.inputOf.get(l);
      if (i !== undefined) {
        firstInput = i;
        break;
      }
    }
    const mapped: FunctionText = { ...ft, refs: ft.refs.map(mapRef), gaps: ft.gaps.map((g) => ({ ...g, ref: mapRef(g.ref)! })), inputLine: firstInput };
    texts.push(mapped);
  }
  return analyseCalleesFirst(texts, (ft) => analyzeFunctionText(ft, path, side, opts), opts);
}

/** Analyse the functions a file diff touches, taking them whole from the tree's copy of the file. */
export function analyzeWithTree(file: FileDiff, treeText: string, side: Side, opts: PathOptions = {}): TreeAnalysis {
  const problems: Problem[] = [];
  const path = (side === 'post' ? file.newPath : file.oldPath) ?? file.newPath ?? file.oldPath ?? '';
  const tree = treeText.split('\n');
  if (tree.length && tree[tree.length - 1] === '') tree.pop();
  const fallback = (state: TreeState, why: string): TreeAnalysis => {
    problems.push({ kind: 'tree-conflict', message: `${path}: ${why}; analysed from the patch alone` });
    return { functions: analyzeFileDiff(file, side, opts), treeState: state, problems };
  };
  if (!/\.(c|h)$/.test(path)) return { functions: [], treeState: 'at-base', problems };
  const asPre = locateAll(tree, file.hunks, 'pre');
  const asPost = asPre ? null : locateAll(tree, file.hunks, 'post');
  let state: TreeState;
  let sides: { fromSide: SideText; toSide: SideText };
  let locs: Located[];
  if (asPre) {
    state = 'at-base';
    locs = asPre;
    sides = buildSides(tree, asPre, 'pre');
  } else if (asPost) {
    state = 'applied';
    locs = asPost;
    sides = buildSides(tree, asPost, 'post');
  } else {
    return fallback('conflict', 'the tree matches neither the pre-image nor the post-image of every hunk');
  }
  for (const l of locs) {
    const expected = (state === 'at-base' ? l.hunk.oldStart : l.hunk.newStart) - 1;
    if (l.fuzz !== 'none' || l.at !== expected) {
      const bits = [];
      if (l.at !== expected) bits.push(`offset ${l.at - expected} lines`);
      if (l.fuzz === 'whitespace') bits.push('whitespace fuzz');
      if (l.fuzz === 'context') bits.push(`fuzz ${Math.max(l.dropHead, l.dropTail)}`);
      problems.push({ kind: 'tree-fuzz', line: l.hunk.inputLine, message: `${path}: hunk at input line ${l.hunk.inputLine} applies with ${bits.join(', ')}` });
    }
  }
  const fromSide: Side = state === 'at-base' ? 'pre' : 'post';
  const st = side === fromSide ? sides.fromSide : sides.toSide;
  return { functions: analyseSide(st, path, side, opts), treeState: state, problems };
}

/**
 * The pre- and post-image lines of a file as tree mode sees them: `treeText` at the patch's base
 * (the other side built by applying the hunks) or with it applied (the pre side built back), or null
 * when the hunks place neither way. Finding lines (by side) are line numbers into these.
 */
export function treeSides(file: FileDiff, treeText: string): { pre: string[]; post: string[]; state: Exclude<TreeState, 'conflict'> } | null {
  const tree = treeText.split('\n');
  if (tree.length && tree[tree.length - 1] === '') tree.pop();
  const asPre = locateAll(tree, file.hunks, 'pre');
  if (asPre) {
    const s = buildSides(tree, asPre, 'pre');
    return { pre: s.fromSide.lines, post: s.toSide.lines, state: 'at-base' };
  }
  const asPost = locateAll(tree, file.hunks, 'post');
  if (!asPost) return null;
  const s = buildSides(tree, asPost, 'post');
  return { pre: s.toSide.lines, post: s.fromSide.lines, state: 'applied' };
}
