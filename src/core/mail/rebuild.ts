/*
 * Rebuilding one hunk of a scraped mail: choose the section heading cut and the optional line
 * boundaries so that the hunk's body fits its header counts exactly; smallest, least guessy
 * choices first, within a fixed budget and the per-parse effort cap.
 */
import { type Ctx, spend } from './context';
import { BLANK, splitC } from './csplit';

/** Section heading candidates for a scraped hunk: git cuts headings at 80 bytes. */
function sectionCuts(s: string): number[] {
  const rank = (c: string) => (c === '{' || c === ')' ? 1 : c === ',' ? 2 : 3);
  const cuts: { at: number; r: number }[] = [];
  if (s.length > 80 && s[80] === ' ') cuts.push({ at: 80, r: 0 });
  const head = s.slice(0, 81);
  for (let i = 0; i < head.length; i++) {
    if ('{),;'.includes(head[i]) && s[i + 1] === ' ') cuts.push({ at: i + 1, r: rank(head[i]) });
  }
  cuts.sort((a, b) => a.r - b.r || b.at - a.at);
  const out = cuts.map((c) => c.at);
  out.push(0);
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
  return c.o === oldLines && c.n === newLines;
}

/**
 * Search optional boundaries: first none, then comment splits, then blank-line and argument-list
 * splits (those mark the result as guessed), smallest sets first, within a fixed budget.
 */
function rebuildWith(rest: string, oldLines: number, newLines: number, ctx: Ctx): { pieces: string[]; guessed: boolean } | null {
  if (!spend(ctx, rest.length)) return null;
  const first = splitC(rest, { take: new Set() });
  const norm = (ps: string[]) => ps.map((p) => (p === BLANK ? ' ' : p));
  const base = counts(norm(first.pieces));
  // Every optional boundary taken adds one unmarked (context) line: +1 old, +1 new.
  const need = oldLines - base.o;
  if (need !== newLines - base.n || need < 0) return null;
  if (need === 0) return { pieces: norm(first.pieces), guessed: false };
  const idx = (c: string) => first.optional.map((k, i) => (k === c ? i : -1)).filter((i) => i >= 0).slice(0, 40);
  const comment = idx('comment');
  // Later commas first: kernel lines are filled up to the column limit before wrapping.
  const other = [...idx('blank'), ...idx('comma')].sort((a, b) => b - a);
  let budget = 1500;
  const subsets = function* (pool: number[], size: number, from = 0, acc: number[] = []): Generator<number[]> {
    if (acc.length === size) { yield acc; return; }
    for (let i = from; i <= pool.length - (size - acc.length); i++) yield* subsets(pool, size, i + 1, [...acc, pool[i]]);
  };
  for (let no = 0; no <= Math.min(other.length, need); no++) {
    const nc = need - no;
    if (nc > comment.length) continue;
    for (const a of subsets(other, no)) {
      for (const b of subsets(comment, nc)) {
        if (--budget <= 0 || !spend(ctx, rest.length)) return null;
        const r = splitC(rest, { take: new Set([...a, ...b]) });
        const ps = norm(r.pieces);
        if (fits(ps, oldLines, newLines)) return { pieces: ps, guessed: no > 0 };
      }
    }
  }
  return null;
}

/** Rebuild one hunk body; null when no proposal fits the counts. */
export function rebuildHunk(body: string, oldLines: number, newLines: number, ctx: Ctx): { section: string; pieces: string[]; guessed: boolean } | null {
  for (const cut of sectionCuts(body)) {
    const section = body.slice(0, cut).trim();
    const rest = body.slice(cut);
    const r = rebuildWith(rest, oldLines, newLines, ctx);
    if (r) return { section, pieces: r.pieces, guessed: r.guessed };
  }
  return null;
}

