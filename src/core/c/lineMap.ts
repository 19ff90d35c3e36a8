/*
 * Where the lines of one version of a file are in another version (the kernel tree's copy the
 * reviewer has open): a line diff of the two versions (jsdiff's Myers diff, the same algorithm git
 * uses), so a line both versions share maps exactly, whatever was inserted or removed around it. A
 * line the other version does not have (one the patch adds, when the tree is at its base) is placed
 * right after the nearest shared line above it and marked inexact (null when none is above it). Files over MAX_LINES, or pairs
 * that differ in more than MAX_EDIT lines, are not mapped (null): never a guess.
 */
import { diffArrays } from 'diff';

const MAX_LINES = 200_000;
const MAX_EDIT = 20_000;

export interface MappedLine {
  /** 1-based line in `to`. */
  line: number;
  /** True when the line itself was found; false when placed after a shared line above it. */
  exact: boolean;
}

export type LineMapper = (line: number) => MappedLine | null;

/** A mapper from 1-based lines of `from` to lines of `to`, or null when the two are too far apart to map. */
export function lineMapper(from: string[], to: string[]): LineMapper | null {
  if (from === to || (from.length === to.length && from.every((l, i) => l === to[i]))) {
    return (line) => (line >= 1 && line <= from.length ? { line, exact: true } : null);
  }
  if (from.length > MAX_LINES || to.length > MAX_LINES) return null;
  const parts = diffArrays(from, to, { maxEditLength: MAX_EDIT });
  if (!parts) return null;
  // target[i]: 0-based index in `to` of from[i], or -(k+1) where k is the `to` index it would be inserted at.
  const target = new Int32Array(from.length);
  let fi = 0;
  let ti = 0;
  let shared = 0;
  for (const p of parts) {
    const n = p.count ?? p.value.length;
    if (p.added) ti += n;
    else if (p.removed) for (let k = 0; k < n; k++) target[fi++] = -(ti + 1);
    else {
      for (let k = 0; k < n; k++) target[fi++] = ti++;
      shared += n;
    }
  }
  // Two files that share under half their lines are not versions of each other: do not map.
  if (shared * 2 < Math.min(from.length, to.length)) return null;
  return (line) => {
    if (line < 1 || line > from.length) return null;
    const t = target[line - 1];
    if (t >= 0) return { line: t + 1, exact: true };
    // -t - 1 is the insertion index; with no shared line above it there is no place to name.
    const at = -t - 1;
    return at === 0 ? null : { line: Math.min(at + 1, to.length), exact: false };
  };
}

/** Line `line` (1-based) of `from`, located in `to` (one-off form of lineMapper). */
export function mapLine(from: string[], line: number, to: string[]): MappedLine | null {
  return lineMapper(from, to)?.(line) ?? null;
}
