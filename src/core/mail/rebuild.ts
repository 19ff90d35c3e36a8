/*
 * Rebuilding one hunk of a scraped mail: the section heading cut and the optional line boundaries
 * must make the hunk's body fit its header counts, and only one way may do so (several fits are
 * ambiguous and rejected), within a fixed budget and the per-parse effort cap.
 */
import { type Ctx, spend } from './context';
import { BLANK, splitC } from './csplit';

/** Section heading candidates for a scraped hunk: git cuts headings at 80 bytes. */
function sectionCuts(s: string, allowNone: boolean): number[] {
  const rank = (c: string) => (c === '{' || c === ')' ? 1 : c === ',' ? 2 : 3);
  const cuts: { at: number; r: number }[] = [];
  if (s.length > 80 && s[80] === ' ') cuts.push({ at: 80, r: 0 });
  const head = s.slice(0, 81);
  for (let i = 0; i < head.length; i++) {
    if ('{),;'.includes(head[i]) && s[i + 1] === ' ') cuts.push({ at: i + 1, r: rank(head[i]) });
  }
  cuts.sort((a, b) => a.r - b.r || b.at - a.at);
  const out = cuts.map((c) => c.at);
  if (allowNone) out.push(0);
  return [...new Set(out)];
}

function counts(pieces: string[]): { o: number; n: number } {
  let o = 0;
  let n = 0;
  for (const p of pieces) {
    if (p.startsWith('+')) n++;
    else if (p.startsWith('-')) o++;
    else { o++; n++; }
  }
  return { o, n };
}

function fits(pieces: string[], oldLines: number, newLines: number): boolean {
  const c = counts(pieces);
  return c.o === oldLines && c.n === newLines && blankAddsPlausible(pieces) && firstPlausible(pieces);
}

/**
 * The first line after the heading must look like a whole C line: a heading cut too early leaves
 * its tail ("struct writeback_c") as a line of its own, which ends mid-word.
 */
function firstPlausible(ps: string[]): boolean {
  const p = ps[0];
  if (p === undefined || p === ' ' || /^[+-]/.test(p)) return true;
  return /(?:[;{},)\]:]|\*\/)$/.test(p) || /^(?:#|\/\*|\*|\/\/)/.test(p) || /^(?:else|do)$/.test(p);
}

/**
 * An empty +/- line followed by context lines that lead straight back into the same marker would
 * mean the context interrupts one added (or removed) block; read as such it is implausible, and it
 * is the usual false reading of "+ text" (an added line with its indentation collapsed).
 */
function blankAddsPlausible(ps: string[]): boolean {
  for (let k = 0; k + 1 < ps.length; k++) {
    const m = ps[k];
    if ((m !== '+' && m !== '-') || /^[+-]/.test(ps[k + 1])) continue;
    let e = k + 1;
    while (e < ps.length && !/^[+-]/.test(ps[e])) e++;
    if (e < ps.length && ps[e][0] === m) return false;
  }
  return true;
}

/** The ways one hunk body (after a section cut) fits its counts, at most `limit` of them. */
function fitsOf(rest: string, oldLines: number, newLines: number, ctx: Ctx, optional: boolean, limit: number, last: boolean): { plain: string[] | null; withOptional: string[][]; exhausted: boolean } {
  const none = { plain: null, withOptional: [], exhausted: false };
  if (!spend(ctx, rest.length)) return { ...none, exhausted: true };
  const first = splitC(rest, { take: new Set() });
  const norm = (ps: string[]) => ps.map((p) => (p === BLANK ? ' ' : p));
  const base = counts(norm(first.pieces));
  if (last && (base.o > oldLines || base.n > newLines)) {
    // The last hunk may be followed by text that is not part of the diff: a prefix may fit.
    const ps = norm(first.pieces);
    for (let k = 1; k < ps.length; k++) {
      const c = counts(ps.slice(0, k));
      if (c.o === oldLines && c.n === newLines && fits(ps.slice(0, k), oldLines, newLines)) return { ...none, plain: ps.slice(0, k) };
      if (c.o > oldLines || c.n > newLines) break;
    }
    return none;
  }
  // Every optional boundary taken adds one unmarked (context) line: +1 old, +1 new.
  const need = oldLines - base.o;
  if (need !== newLines - base.n || need < 0) return none;
  if (need === 0) return fits(norm(first.pieces), oldLines, newLines) ? { ...none, plain: norm(first.pieces) } : none;
  if (!optional) return none;
  const pool = first.optional.map((_, i) => i).slice(0, 40);
  const found = new Map<string, string[]>();
  let budget = 1500;
  const subsets = function* (size: number, from = 0, acc: number[] = []): Generator<number[]> {
    if (acc.length === size) { yield acc; return; }
    for (let i = from; i <= pool.length - (size - acc.length); i++) yield* subsets(size, i + 1, [...acc, pool[i]]);
  };
  for (const take of subsets(need)) {
    if (--budget <= 0 || !spend(ctx, rest.length)) return { ...none, withOptional: [...found.values()], exhausted: true };
    const ps = norm(splitC(rest, { take: new Set(take) }).pieces);
    if (fits(ps, oldLines, newLines)) found.set(ps.join('\n'), ps);
    if (found.size >= limit) break;
  }
  return { ...none, withOptional: [...found.values()] };
}

export type Rebuilt =
  /** sectionUncertain: other section cuts fit too; they change only the heading and the first line's text. */
  | { ok: true; section: string; pieces: string[]; sectionUncertain: boolean; trailing?: string }
  | { ok: false; reason: 'no-fit' | 'ambiguous' | 'cap' };

/** Solutions that differ only in where the heading ends give the same line map. */
const shapeKey = (ps: string[]) => ps.map((p) => (p.startsWith('+') ? '+' : p.startsWith('-') ? '-' : ' ')).join('') + '\n' + ps.slice(1).join('\n');

function pick(sols: { section: string; pieces: string[] }[]): Rebuilt {
  const shapes = new Set(sols.map((x) => shapeKey(x.pieces)));
  if (shapes.size === 1) return { ok: true, ...sols[0], sectionUncertain: sols.length > 1 };
  return { ok: false, reason: 'ambiguous' };
}

/**
 * Rebuild one hunk body. Accepted only when exactly one reconstruction fits the header counts:
 * first among those that use no optional boundary (over all section cuts), else, when `optional`
 * (the scrape kept blank lines visible), among those that do. Several fits: ambiguous, rejected.
 */
export function rebuildHunk(body: string, oldLines: number, newLines: number, ctx: Ctx, optional: boolean, last = false): Rebuilt {
  const plain: { section: string; pieces: string[] }[] = [];
  const opt: { section: string; pieces: string[] }[] = [];
  let exhausted = false;
  // No heading at all is only believable when the body starts with what no heading can start with,
  // or when blank lines were kept (otherwise a heading read as a line can stand in for a lost blank).
  const allowNone = optional || !/^[A-Za-z_$]/.test(body);
  for (const cut of sectionCuts(body, allowNone)) {
    const section = body.slice(0, cut).trim();
    const r = fitsOf(body.slice(cut), oldLines, newLines, ctx, optional && plain.length === 0, 3, last);
    if (r.plain) plain.push({ section, pieces: r.plain });
    for (const p of r.withOptional) opt.push({ section, pieces: p });
    exhausted ||= r.exhausted;
  }
  if (plain.length) {
    const r = pick(plain);
    if (r.ok && last) {
      // Text left over after the pieces that fit (only possible for the last hunk).
      const all = splitC(body.slice(body.indexOf(r.section) + r.section.length), { take: new Set() }).pieces;
      if (all.length > r.pieces.length) r.trailing = all.slice(r.pieces.length).join(' ');
    }
    return r;
  }
  if (exhausted) return { ok: false, reason: 'cap' };
  if (opt.length) return pick(opt);
  return { ok: false, reason: 'no-fit' };
}
