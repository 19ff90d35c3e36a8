/*
 * Function reconstruction from hunks (patch-only mode): for one side of a FileDiff, the functions
 * the hunks touch (segment.ts), each as a parse-ready text with gap markers (synthesize.ts).
 * Also splits a whole C text into its functions (tree mode, analyzeSource).
 */
import type { FileDiff, Hunk, Problem, Side, SrcRef } from '../types';
import { segmentFunctions } from './segment';
import { synthesize } from './synthesize';

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

export function reconstructFunctions(file: FileDiff, side: Side, problems: Problem[], inputName?: string): FunctionText[] {
  // Memoised per file diff and side: the effects pass and the analysis both rebuild the same
  // functions. The texts are shared (read-only to callers); the problems are copied out, named.
  let bySide = rebuilt.get(file);
  if (!bySide) rebuilt.set(file, (bySide = new Map()));
  let hit = bySide.get(side);
  if (!hit) {
    const found: Problem[] = [];
    hit = { texts: segmentFunctions(file, side, found, UNNAMED).map(synthesize), problems: found };
    bySide.set(side, hit);
  }
  for (const p of hit.problems) problems.push({ ...p, message: p.message.split(UNNAMED).join(inputName ?? '') });
  return hit.texts;
}

/** Stands for the input's name in memoised problems. */
const UNNAMED = '\u0000';
const rebuilt = new WeakMap<FileDiff, Map<Side, { texts: FunctionText[]; problems: Problem[] }>>();

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
