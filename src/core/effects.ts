/*
 * Which functions a message defines can touch what the simulator models, read from their text before
 * any path is walked. The path search splits states on a call only when the call can change a
 * modelled state (cfg/paths.ts: relevance); a function the patch or the tree defines used to count as
 * such a call whatever its body does, so a file's trace, debug and arithmetic helpers split states
 * like folio_unlock() does, and real writeback functions ran into the search's bounds.
 *
 * A defined function "may have effects" when its body calls a modelled API (an API table entry that
 * acquires, releases, hands off, takes a folio lock, reaches writeback, waits for the wb lock, may
 * sleep or reads an index), calls a defined function that may have effects, or stores a parameter
 * into memory (an escape, which its summary reports). A function whose whole body is not seen (a hunk
 * that shows part of it) may have effects. The scan is by name and text only: it can only say "no
 * effect" for a body it saw entirely, so a call it makes irrelevant is one whose summary would have
 * no effect on the caller's states. Merging at a call that is not relevant only drops paths that
 * differ there, never adds one (a missed finding at worst, never a false one).
 */
import type { FileDiff } from './types';
import { reconstructFunctions, splitFunctions } from './c/index';
import { calledNames, stripCode } from './c/lines';
import { lookupApi, type ApiEntry, type ApiTable, type FunctionSummary } from './sim/index';

const NOT_CALLS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'typeof', '__typeof__', 'defined', '__builtin_expect', 'likely', 'unlikely']);

/** An API entry that changes (or reads) something the simulator models. */
export function effectfulEntry(e: ApiEntry | null): boolean {
  return e !== null && (e.ops.length > 0 || !!e.misuse || !!e.takesFolioLock || !!e.reachesWriteback || !!e.waitsForWbLock || !!e.maySleep || e.indexArg !== undefined || e.cannotFailWhenArgFalse !== undefined);
}

/** Any entry of the table for this name is effectful (argument-matched entries included). */
function effectfulName(table: ApiTable, name: string): boolean {
  const list = Object.prototype.hasOwnProperty.call(table.byName, name) ? table.byName[name] : null;
  if (list) return list.some((e) => effectfulEntry(e));
  return effectfulEntry(lookupApi(table, name, []));
}

interface Body {
  calls: Set<string>;
  escapes: boolean;
}

/** The calls a body makes (names, member names of indirect calls) and whether it stores a parameter. */
function readBody(text: string): Body {
  // Comments and strings name no calls.
  const code = stripCode(text);
  const calls = new Set(calledNames(code).filter((n) => !NOT_CALLS.has(n)));
  // Parameters: the names before ',' or ')' in the signature's parentheses.
  const open = code.indexOf('(');
  const body = code.indexOf('{');
  const params = new Set<string>();
  if (open >= 0 && body > open) {
    for (const p of code.slice(open + 1, code.lastIndexOf(')', body)).split(',')) {
      const m = /([A-Za-z_]\w*)\s*(\[[^\]]*\])?\s*$/.exec(p.trim());
      if (m) params.add(m[1]);
    }
  }
  let escapes = false;
  // `x->f = param;`, `a[i] = param;`, `*p = param;`: the parameter is kept where the caller can reach it.
  for (const m of code.slice(Math.max(0, body)).matchAll(/(->|\.|\]|^\s*\*\s*\w+)\s*[\w\]]*\s*=\s*&?\s*([A-Za-z_]\w*)\s*;/gm)) {
    if (params.has(m[2])) { escapes = true; break; }
  }
  return { calls, escapes };
}

/**
 * The defined names whose calls may change modelled state. `defined` is every name the message
 * defines; `bodies` gives each whole body seen (from the tree or from hunks that show it entirely).
 */
export function effectfulDefined(defined: Set<string>, bodies: Map<string, string>, table: ApiTable): Set<string> {
  const read = new Map<string, Body>();
  for (const [n, t] of bodies) if (defined.has(n)) read.set(n, readBody(t));
  const out = new Set<string>();
  // A name defined but not seen whole may do anything.
  for (const n of defined) {
    const b = read.get(n);
    if (!b || b.escapes || effectfulName(table, n)) out.add(n);
    else for (const c of b.calls) if (c !== n && effectfulName(table, c)) { out.add(n); break; }
  }
  // Through defined callees, to a fixpoint.
  for (let changed = true; changed;) {
    changed = false;
    for (const [n, b] of read) {
      if (out.has(n)) continue;
      for (const c of b.calls) if (c !== n && out.has(c)) { out.add(n); changed = true; break; }
    }
  }
  return out;
}

/**
 * Whole bodies of a file's functions: from its kernel tree text when given (plus what the patch's
 * hunks add to them), else from hunks that show a function whole. A function the hunks show only in
 * part, with no tree, is left out: it may have effects.
 */
export function bodiesOf(file: FileDiff, treeText: string | null, into: Map<string, string>): void {
  const add = (name: string, text: string) => {
    const prev = into.get(name);
    // Both sides of a patch (or two definitions): the union of their calls is what may happen.
    into.set(name, prev === undefined ? text : `${prev}\n${text}`);
  };
  const partial = new Set<string>();
  const whole = new Map<string, string>();
  for (const side of ['pre', 'post'] as const) {
    let fns;
    try {
      fns = reconstructFunctions(file, side, []);
    } catch {
      continue;
    }
    for (const f of fns) {
      if (f.complete && f.gaps.length === 0) whole.set(f.name, `${whole.get(f.name) ?? ''}\n${f.text}`);
      else partial.add(f.name);
    }
  }
  if (treeText !== null) {
    // The tree holds the unseen lines of a partly shown function; the hunks hold what the patch adds.
    for (const f of splitFunctions(treeText)) add(f.name, f.text);
    for (const [n, t] of whole) add(n, t);
    // Which hunk lines belong to which partly shown function is not worth knowing here: each gets
    // all of the file's hunk lines (more calls can only make it relevant).
    const all = file.hunks.map((h) => h.lines.map((l) => l.text).join('\n')).join('\n');
    for (const n of partial) if (into.has(n)) add(n, all);
    return;
  }
  for (const [n, t] of whole) if (!partial.has(n)) add(n, t);
}

/** A summary that changes something its caller's paths hold or read by itself (escapes aside: they matter per call site). */
export function summaryHasEffect(s: FunctionSummary): boolean {
  if (s.takesFolioLock) return true;
  return Object.values(s.byClass).some((effs) => (effs ?? []).length > 0);
}
