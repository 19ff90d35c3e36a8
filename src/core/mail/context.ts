// Shared state of one parseInput call: the input name and the problems found so far.
import type { Problem } from '../types';

export interface Ctx {
  file: string;
  problems: Problem[];
  /** Work spent re-splitting scraped hunks (characters scanned), capped per parse. */
  effort?: number;
  /** Problems reported so far per kind (for per-kind caps). */
  counts?: Record<string, number>;
}

/** Like problem(), but at most `cap` of this kind; the first one over the cap says so. */
export function problemCapped(ctx: Ctx, kind: string, message: string, line: number | null | undefined, cap: number): void {
  const counts = (ctx.counts ??= {});
  const n = (counts[kind] = (counts[kind] ?? 0) + 1);
  if (n <= cap) problem(ctx, kind, message, line);
  else if (n === cap + 1) problem(ctx, 'limit', `more than ${cap} "${kind}" problems; further ones are not listed`, line);
}

/** Cap on scraped-hunk re-splitting work per parse (characters scanned). */
export const EFFORT_CAP = 8_000_000;

/** Spend effort; false (and one 'parse-cap' problem) once the cap is passed. */
export function spend(ctx: Ctx, n: number): boolean {
  const before = ctx.effort ?? 0;
  ctx.effort = before + n;
  if (ctx.effort <= EFFORT_CAP) return true;
  if (before <= EFFORT_CAP) problem(ctx, 'parse-cap', 'work cap reached while rebuilding hunks of a scraped mail; remaining hunks are not rebuilt');
  return false;
}

export function problem(ctx: Ctx, kind: string, message: string, line?: number | null): void {
  const p: Problem = { input: ctx.file, kind, message };
  if (line != null) p.line = line;
  ctx.problems.push(p);
}
