/*
 * Inter-procedural summaries: what a function defined in the patch does to its caller's locks, per
 * return class, derived by running its own paths. Only effects on objects named by a parameter (or
 * the returned object) and present on every feasible path of that class are kept (must-effects);
 * anything else stays unknown rather than guessed. Only complete functions (signature and closing brace
 * seen, no gaps, paths not truncated) are summarised; a summary passed to runPath wins over the table,
 * so a patch that moves an unlock into or out of a callee is checked against its own convention (R3).
 */
import type { FunctionAnalysis, Path } from '../types';
import { returnLiteral } from './conditions';
import type { ReturnClass } from './conditions';
import { contractFor } from './contracts';
import { isGlobalName, rootOf } from './pathModel';
import { builtinApiTable, lookupApi, RCU_FLAVOURS } from './apiTable';
import { nullOnBranch, objectKey, runPathDetailed, type FunctionSummary, type RunPathOptions, type SummaryEffect } from './runPath';

/** Resources a callee given the object can release (the checks' ESCAPES_TO_CALLEE, for locks and refs). */
const OPAQUE_MAY_RELEASE = new Set(['folio-lock', 'writeback-bit', 'refcount', 'request']);

const TRACKED = new Set(['wb-lock', 'folio-lock', 'mutex', 'spinlock', 'bit-lock', 'rwsem', 'rcu', 'stable-writes', 'refcount']);
/** One effect per kind, resource and object (an argument, a field of one, or a kernel-wide object). */
const effectKey = (e: SummaryEffect): string => `${e.kind}|${e.resource}|${e.obj}${e.path ?? ''}${e.global ? `@${e.global}` : ''}`;
/** Kernel-wide objects a callee can enter or leave for its caller (the API table's `global` names). */
const GLOBAL_OBJECTS = new Set(RCU_FLAVOURS.map(([, , name]) => name));
/** Locks that live in a structure and are named through a pointer to it (`&eb->refs_lock`). */
const LOCK_FIELD = new Set(['mutex', 'spinlock', 'rwsem', 'bit-lock']);

/** The constant a path returns, as written (`0`, `-EAGAIN`, `AOP_WRITEPAGE_ACTIVATE`), or via a local set to a number. */
function returnedConstant(p: Path): string | null {
  if (p.end !== 'return' || p.returnExpr === null) return null;
  const e = p.returnExpr.trim();
  if (/^-?\s*(\d+|[A-Z][A-Z0-9_]*)$/.test(e)) return e.replace(/\s+/g, '');
  return returnLiteral(p, p.steps.length - 1, e);
}

export function summarizeFunction(fn: FunctionAnalysis, opts: RunPathOptions = {}): FunctionSummary | null {
  if (!fn.params || !fn.complete || fn.truncated || fn.notAnalysed || fn.paths.length === 0) return null;
  if (contractFor(fn).skipped) return null; // implementations of modeled primitives keep their table entry
  const params = fn.params;
  const byClass: Partial<Record<ReturnClass, Map<string, SummaryEffect> | null>> = {};
  let takesFolioLock = false;
  const escapes = new Set<number>();
  const byValue = new Map<string, Map<string, SummaryEffect>>();
  /**
   * Every feasible ending run: the constant it returns (or null), its return class, its effects, and
   * the parameters it found NULL (`if (!cfile) return;`): on such a path, whatever the other paths do
   * to that parameter is done too (releasing NULL is nothing), so it does not break their agreement.
   */
  const endings: { lit: string | null; cls: ReturnClass; effects: Map<string, SummaryEffect>; nulls: Set<number> }[] = [];
  const agreed = (list: typeof endings): Map<string, SummaryEffect> => {
    const out = new Map<string, SummaryEffect>();
    for (const e of list) for (const [k, eff] of e.effects) {
      if (out.has(k)) continue;
      // (Only for what the others let go: a NULL was let go too; taking something is not agreed by NULL.)
      const letGo = eff.kind === 'release' || eff.kind === 'handoff';
      if (list.every((o) => o.effects.has(k) || (letGo && typeof eff.obj === 'number' && o.nulls.has(eff.obj)))) out.set(k, eff);
    }
    return out;
  };
  for (const p of fn.paths) {
    // A parameter stored into memory the caller can reach through another parameter or a global
    // (`ceph_wbc->pages[n] = page`) is kept there for later: whoever reads that memory owns it now.
    // (A local that points into a parameter's memory, `struct page **pages = ceph_wbc->pages;`, is that memory.)
    // Read once per path; counted only when some run of the path is feasible, as the callee escapes are.
    const stored = new Set<number>();
    const intoParam = new Set(params);
    for (const st of p.steps) {
      if (st.kind !== 'assign') continue;
      const lhs = st.lhs.trim();
      const r = rootOf(st.rhs);
      if (/^[A-Za-z_]\w*$/.test(lhs) && r && intoParam.has(r) && /->|\./.test(st.rhs) && !st.rhs.includes('(')) intoParam.add(lhs);
      const i = params.indexOf(r ?? '');
      const into = rootOf(lhs);
      if (i < 0 || !into || into === params[i] || !/->|\.|\[|^\s*\*/.test(lhs)) continue;
      if (intoParam.has(into) || isGlobalName(fn, into)) stored.add(i);
    }
    // A folio its caller cleared for I/O that this path writes or re-dirties (folio_redirty_for_writepage,
    // folio_start_writeback): the caller's cleared state ends here. (The runner keeps that state outside
    // its held resources, so it is read from the path's calls, once per path.)
    const unmarked = new Set<number>();
    for (const st of p.steps) {
      if (st.kind !== 'call') continue;
      for (const op of lookupApi(opts.table ?? builtinApiTable(), st.call.name, st.call.args)?.ops ?? []) {
        if (op.kind !== 'unmark' || op.resource !== 'folio-cleared' || typeof op.obj !== 'number') continue;
        const i = params.findIndex((q) => objectKey('folio-lock', q) === objectKey('folio-lock', st.call.args[op.obj as number] ?? ''));
        if (i >= 0) unmarked.add(i);
      }
    }
    for (const { run, final } of runPathDetailed(p, fn, opts)) {
      if (!run.feasible) continue;
      for (const i of stored) escapes.add(i);
      /** Parameters this path hands to a callee with no model (it may unlock or put them). */
      const opaque = new Set<number>();
      for (const e of run.events) {
        if (e.kind !== 'opaque-call') continue;
        const st = p.steps[e.step];
        if (st?.kind !== 'call') continue;
        for (const a of e.escaping ?? st.call.args) {
          const i = params.indexOf(rootOf(a) ?? '');
          if (i >= 0) {
            escapes.add(i);
            opaque.add(i);
          }
        }
      }
      if (p.end !== 'return' && p.end !== 'fallthrough') continue;
      if (run.events.some((e) => e.kind === 'acquire' && e.resource === 'folio-lock')) takesFolioLock = true;
      const effects = new Map<string, SummaryEffect>();
      for (const h of final) {
        if (!TRACKED.has(h.resource) || h.uncertain) continue;
        let obj: number | 'result' | null = null;
        let field: string | undefined;
        let global: string | undefined;
        const idx = params.findIndex((q) => objectKey(h.resource, q) === h.key);
        if (GLOBAL_OBJECTS.has(h.key)) { obj = 0; global = h.key; }
        else if (idx >= 0) obj = idx;
        else if (p.returnExpr !== null && objectKey(h.resource, p.returnExpr) === h.key) obj = 'result';
        else if (LOCK_FIELD.has(h.resource)) {
          // A lock inside a parameter's structure (`spin_unlock(&eb->refs_lock)` in a function given
          // `eb`): the caller's lock of the same field of what it passed.
          const m = /^([A-Za-z_]\w*)((?:->[A-Za-z_]\w*|\.[A-Za-z_]\w*)+)$/.exec(h.key);
          const at = m ? params.indexOf(m[1]) : -1;
          if (m && at >= 0) { obj = at; field = m[2]; }
        }
        if (obj === null) continue;
        let kind: SummaryEffect['kind'] | null = null;
        if (h.acquiredHere && h.status === 'held') kind = 'acquire';
        else if (!h.acquiredHere && h.status === 'released') kind = 'release';
        else if (h.status === 'handed') kind = 'handoff';
        if (!kind) continue;
        // A lock or reference the path took and then gave to a callee with no model is not known to
        // be held at the return (nilfs_commit_chunk() unlocks the folio it is given): no effect.
        if (kind === 'acquire' && typeof obj === 'number' && !global && opaque.has(obj) && OPAQUE_MAY_RELEASE.has(h.resource)) continue;
        if ((field || global) && kind === 'handoff') continue;
        const e: SummaryEffect = { kind, resource: h.resource, obj: kind === 'handoff' ? 'held' : obj, ...(field ? { path: field } : {}), ...(global ? { global } : {}), ...(h.variety ? { variety: h.variety } : {}) };
        effects.set(effectKey(e), e);
      }
      // Released and taken again on the way (`__releases(x) __acquires(x)`: spin_unlock … spin_lock):
      // for the caller nothing changed, it holds the lock before and after.
      for (const [k, e] of [...effects]) {
        if (e.kind !== 'release') continue;
        const again = effectKey({ ...e, kind: 'acquire' });
        if (effects.has(again)) { effects.delete(k); effects.delete(again); }
      }
      for (const i of unmarked) { const e: SummaryEffect = { kind: 'unmark', resource: 'folio-cleared', obj: i }; effects.set(effectKey(e), e); }
      const lit = returnedConstant(p);
      const nulls = new Set<number>();
      for (const st of p.steps) {
        if (st.kind !== 'assume') continue;
        const n = nullOnBranch(st.cond, st.value);
        const at = n ? params.indexOf(n) : -1;
        if (at >= 0) nulls.add(at);
      }
      endings.push({ lit, cls: run.returnClass, effects, nulls });
    }
  }
  for (const e of endings) if (byClass[e.cls] === undefined) byClass[e.cls] = agreed(endings.filter((o) => o.cls === e.cls));
  for (const e of endings) if (e.lit !== null && !byValue.has(e.lit)) byValue.set(e.lit, agreed(endings.filter((o) => o.lit === e.lit)));
  if (Object.keys(byClass).length === 0) return null; // no feasible complete path: nothing known
  const out: FunctionSummary = { name: fn.name, byClass: {} };
  for (const c of ['success', 'failure', 'unknown'] as ReturnClass[]) {
    const m = byClass[c];
    if (m) out.byClass[c] = [...m.keys()].sort().map((k) => m.get(k)!);
  }
  if (takesFolioLock) out.takesFolioLock = true;
  // Per returned constant, and for everything else than it: a caller that compares the result with
  // the constant gets the effects of exactly those paths.
  if (byValue.size > 0 && endings.some((e) => e.lit === null || e.lit !== endings[0].lit)) {
    const bv: Record<string, SummaryEffect[]> = {};
    const bo: Record<string, SummaryEffect[]> = {};
    for (const [v, m] of [...byValue].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      bv[v] = [...m.keys()].sort().map((k) => m.get(k)!);
      const others = endings.filter((e) => e.lit !== v);
      if (others.length === 0) continue;
      const common = agreed(others);
      bo[v] = [...common.keys()].sort().map((k) => common.get(k)!);
    }
    out.byValue = bv;
    out.byOther = bo;
  }
  const ends = fn.paths.filter((p) => p.end === 'return');
  if (ends.length > 0 && ends.every((p) => p.returnExpr !== null && /^(true|false)$/.test(p.returnExpr.trim()))) out.boolResult = true;
  // A parameter whose fate the summary states (released, handed, acquired) is known, whatever the
  // function also passes it to; only the others escape.
  for (const effs of Object.values(out.byClass)) for (const e of effs ?? []) if (typeof e.obj === 'number' && e.kind !== 'unmark' && !e.path && !e.global) escapes.delete(e.obj);
  if (escapes.size) out.escapes = [...escapes].sort((a, b) => a - b);
  return out;
}

/** Summaries of every analysed function (first definition of a name wins), for runPath's `summaries`. */
export function summarizeAll(fns: FunctionAnalysis[], opts: RunPathOptions = {}): Record<string, FunctionSummary> {
  const out: Record<string, FunctionSummary> = {};
  for (const fn of fns) {
    if (Object.prototype.hasOwnProperty.call(out, fn.name)) continue;
    const s = summarizeFunction(fn, opts);
    if (s) out[fn.name] = s;
  }
  return out;
}
