/*
 * The shared mapping from simulator events to raw findings. Each check selects the events of its
 * resources; the severity policy lives here so that all checks speak the same way:
 *   error   — can hang, crash or lose data (a leaked lock, a release without ownership, dropped dirty state)
 *   warning — a likely bug (an ignored conditional-acquire result)
 *   info    — worth a look (an opaque callee between acquire and release)
 * A finding whose evidence crosses code the patch does not show is softened one level.
 */
import type { SimEvent, Severity, Step } from '../types';
import type { CheckContext, RawFinding } from './types';
import { ALLOCATOR, heldWord, resourceNoun, resultWords, stepsToLines } from './words';

const SOFTER: Record<Severity, Severity> = { error: 'warning', warning: 'info', info: 'info' };

function baseSeverity(e: SimEvent): Severity | null {
  switch (e.kind) {
    case 'leak':
    case 'violation':
    case 'dropped-dirty':
      return 'error';
    case 'ignored-result':
      return 'warning';
    default:
      return null;
  }
}

/** Normalised statement text: the side-independent anchor of a finding. */
export function anchorText(step: Step | undefined): string {
  if (!step) return '';
  return step.text.replace(/\s+/g, ' ').trim();
}

function gapLines(ctx: CheckContext, from: number, to: number): number | null {
  let total = 0;
  let unknown = false;
  for (let i = Math.max(0, from); i <= to && i < ctx.path.steps.length; i++) {
    const s = ctx.path.steps[i];
    if (s.kind === 'gap') {
      if (s.lines == null) unknown = true;
      else total += s.lines;
    }
  }
  return unknown ? null : total;
}

/**
 * Resources whose ownership a callee may take over when it is handed the object: a folio passed to a
 * function we have no model of may come back unlocked (the ->writepage convention), its writeback may
 * be ended or its reference stored. The wb lock, mutexes and spinlocks are not released by callees
 * that merely receive the inode or the lock's container.
 */
export const ESCAPES_TO_CALLEE: ReadonlySet<string> = new Set(['folio-lock', 'writeback-bit', 'refcount', 'request', 'folio-dirty', 'folio-cleared', 'wb-iter', 'use-after-put']);

/** Locks a callee can take or drop when it is given the lock itself (`demofs_down_write(&di->sem)`). */
const LOCK_ITSELF = new Set(['mutex', 'spinlock', 'rwsem', 'bit-lock']);

function escapedToOpaque(ctx: CheckContext, e: SimEvent, opaqueSteps: Map<number, string[] | null>): string | null {
  let from: number;
  let until = e.step;
  let handed: (arg: string) => boolean;
  let queriesCount = false;
  if (e.misuse) return null;
  if (LOCK_ITSELF.has(e.resource)) {
    // Not its container (a callee given the inode does not release its mutex), but the lock itself:
    // a wrapper with no model (a trylock loop, a lockdep-annotated helper) may take or drop it, from
    // where the lock was last taken or dropped on the path (the start when it was not).
    const lock = norm(baseObject(e.object));
    const rel = (e.related ?? []).filter((i) => i >= 0);
    from = rel.length ? Math.min(...rel) : 0;
    handed = (a) => norm(a) === lock;
    queriesCount = true;
  } else if (ESCAPES_TO_CALLEE.has(e.resource)) {
    // From where it was taken; an object held on entry (no acquisition step) from the start.
    const rel = (e.related ?? []).filter((i) => i >= 0);
    from = rel.length ? Math.min(...rel, e.step) : 0;
    const word = new RegExp(`(^|[^\\w])${baseObject(e.object).replace(/^&/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\w]|$)`);
    // The object's containers (`ctx` and `ctx->req` for `ctx->req->folio`): a callee given one of them
    // can reach the object through it.
    const containers = containersOf(e.object);
    // A value read out of the object (`map->start`, `bh->b_blocknr` given to a message) is not the
    // object: the callee cannot release it through that.
    const base = baseObject(e.object).replace(/\s+/g, '').replace(/^&/, '');
    const readOut = new RegExp(`^\\(?[\\w\\s]*\\)?${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(->|\\.)[A-Za-z_]\\w*$`);
    // (A string literal is no object: `"failed to add chunk map"` does not hand over `map`.)
    handed = (a) => !/^\s*"/.test(a) && !readOut.test(a.replace(/\s+/g, '')) && (word.test(a) || containers.has(norm(a)));
    // An earlier instance of a reassigned variable went by that name only until the reassignment.
    const renamed = /\(before step (\d+)\)/.exec(e.object);
    if (renamed) until = Math.min(e.step, Number(renamed[1]));
  } else return null;
  for (let i = from; i < until; i++) {
    const s = ctx.path.steps[i];
    if (s?.kind !== 'call' || !opaqueSteps.has(i)) continue;
    if (failedConstructor(ctx, i, e.step)) continue;
    // A callee that failed on this path (its errno tested as an error before the finding) left a
    // reference or an object's lock with the caller, by the kernel's convention; kept, and said.
    // (Not when it was given the variable's address: it may have put it and cleared the variable,
    // as ->check_write_begin() does with *foliop.)
    const given = (opaqueSteps.get(i) ?? s.call.args).filter(handed);
    if (FAILED_KEEPS.has(e.resource) && given.length && given.every((a) => !/^\s*&/.test(a)) && failedErrno(ctx, i, e.step)) {
      softened.set(e, s.call.name);
      continue;
    }
    // A call that only asks about the object (its result tested at once) does not take it over; a
    // wrapper given the lock itself may take or drop it whatever it returns.
    if ((opaqueSteps.get(i) ?? s.call.args).some(handed) && (queriesCount || !isQuery(ctx, i))) return s.call.name;
  }
  return null;
}

/**
 * A call that builds something from the object and returned NULL or an ERR_PTR on this path
 * (`req = nfs_page_create_from_folio(ctx, folio, …); if (IS_ERR(req))`): in the kernel's convention a
 * constructor or lookup that fails leaves what it was given with the caller, so it took nothing over.
 * (A call whose int result says it failed may still have consumed its argument, as ->writepage does.)
 */
function failedConstructor(ctx: CheckContext, i: number, until: number): boolean {
  const s = ctx.path.steps[i];
  if (s.kind !== 'call' || !s.assignTo) return false;
  // `b = rewind(fs_info, p, b)`: a call that replaces what it was given consumes it, even when it fails.
  const into = norm(s.assignTo);
  if (s.call.args.some((a) => norm(a) === into)) return false;
  let firstError = errorFactsOf.get(ctx.path);
  if (!firstError) {
    // Per path, once: the first step that found each call's result NULL or an ERR_PTR.
    firstError = new Map();
    ctx.path.steps.forEach((st, j) => {
      if (st.kind !== 'assume') return;
      for (const f of st.facts) if ((f.relation === 'null' || f.relation === 'is-err') && !firstError!.has(f.callStep)) firstError!.set(f.callStep, j);
    });
    errorFactsOf.set(ctx.path, firstError);
  }
  const at = firstError.get(i);
  return at !== undefined && at <= until;
}
const errorFactsOf = new WeakMap<CheckContext['path'], Map<number, number>>();

/** Resources a failed callee leaves with its caller (a folio lock may not be: ->writepage unlocks on error). */
const FAILED_KEEPS = new Set(['refcount', 'rwsem']);
/** Findings kept though an opaque callee was given the object, because it failed: which callee. */
const softened = new WeakMap<SimEvent, string>();

/**
 * `ret = callee(obj, …); if (ret) { … }`: the path takes the branch where the errno result of the call
 * at step i is an error (non-zero or negative), before step `until`, and nothing reassigned `ret`.
 */
function failedErrno(ctx: CheckContext, i: number, until: number): boolean {
  const s = ctx.path.steps[i];
  if (s.kind !== 'call' || !s.assignTo || !/^[A-Za-z_]\w*$/.test(s.assignTo.trim())) return false;
  for (let j = i + 1; j <= until && j < ctx.path.steps.length; j++) {
    const t = ctx.path.steps[j];
    if (t.kind === 'assign' && t.lhs.trim() === s.assignTo.trim()) return false;
    if (t.kind === 'call' && t.assignTo?.trim() === s.assignTo.trim()) return false;
    if (t.kind === 'assume' && t.facts.some((f) => f.callStep === i && (f.relation === 'nonzero' || f.relation === 'negative'))) return true;
  }
  return false;
}

/** A lock expression compared as written, without spaces or a leading `&`. */
const norm = (t: string): string => t.replace(/\s+/g, '').replace(/^&/, '');

/** An object's name without the "(before step N)" that marks an earlier instance of a reassigned variable. */
const baseObject = (o: string): string => o.replace(/\s*\(before step \d+\)/g, '');

/** `a->b->c` → {a, a->b}; `a.b` → {a}; a plain name has none. */
function containersOf(object: string): Set<string> {
  const t = baseObject(object).replace(/\s+/g, '').replace(/^&/, '');
  const out = new Set<string>();
  const re = /->|\./g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t))) out.add(t.slice(0, m.index));
  return out;
}

/**
 * A call whose result is tested right away by a branch and kept nowhere (`if (demofs_folio_group(folio)
 * != group)`, `if (len > examplefs_max(wreq))`) asks about the object; it does not take it over. A call
 * made for its effect, or whose result is stored (`error = write_folio(wreq, wbc, folio)`), may.
 */
function isQuery(ctx: CheckContext, i: number): boolean {
  const s = ctx.path.steps[i];
  const next = ctx.path.steps[i + 1];
  if (s.kind !== 'call' || s.assignTo !== null || !next || next.kind !== 'assume') return false;
  return next.facts.some((f) => f.callStep === i) || next.cond.includes(`${s.call.name}(`);
}

export function findingsFromEvents(ctx: CheckContext, select: (e: SimEvent) => boolean): RawFinding[] {
  const out: RawFinding[] = [];
  const opaqueSteps = new Map<number, string[] | null>();
  for (const x of ctx.events) if (x.kind === 'opaque-call') opaqueSteps.set(x.step, x.escaping ?? null);
  for (const e of ctx.events) {
    if (!select(e)) continue;
    // Never guess: once the object went to a callee we cannot see into, its state is unknown.
    if (escapedToOpaque(ctx, e, opaqueSteps)) continue;
    const sev0 = baseSeverity(e);
    if (!sev0) continue;
    let severity = sev0;
    let message = stepsToLines(e.message, ctx.path.steps);
    // Code the patch does not show is an opaque callee too: for these resources it decides everything,
    // so the finding is kept only as a note that says what it depends on (never silently dropped).
    if ((e.acrossGap && ESCAPES_TO_CALLEE.has(e.resource)) || e.hint) {
      const from = Math.min(e.step, ...(e.related ?? [e.step]).filter((x) => x >= 0));
      const span = unseenSpan(ctx, from, e.step);
      out.push({
        severity: 'info',
        rule: e.rule,
        message: `${message} (depends on ${span} that the patch does not show; run with --tree to be certain)`,
        step: e.step,
        related: (e.related ?? []).filter((i) => i >= 0 && i < ctx.path.steps.length && i !== e.step).map((i) => ({ step: i, message: relatedMessage(ctx.path.steps[i]) })),
        kind: `${e.kind}|${e.rule ?? ''}|${e.resource}|${e.object}|${anchorText(ctx.path.steps[e.step])}|unseen`,
      });
      continue;
    }
    const related = (e.related ?? [])
      .filter((i) => i >= 0 && i < ctx.path.steps.length && i !== e.step)
      .map((i) => ({ step: i, message: relatedMessage(ctx.path.steps[i]) }));
    if (e.onlyIf) {
      // A rule of some kernel versions only, and the code does not say which: a note, with its condition.
      severity = 'info';
      message += ` (${e.onlyIf})`;
    }
    const failedBy = softened.get(e);
    if (failedBy) message += ` (assuming ${failedBy}(), which failed on this path and has no model, left it with the caller, as failing kernel functions do)`;
    if (e.acrossGap) {
      severity = SOFTER[severity];
      const from = Math.min(e.step, ...(e.related ?? [e.step]));
      const n = gapLines(ctx, from, e.step);
      const what = n == null || n === 0 ? 'the lines' : `the ${n} line${n === 1 ? '' : 's'}`;
      message += ` (assuming ${what} the patch does not show here leave the ${resourceNoun(e.resource)} alone; open the kernel tree to be sure)`;
    }
    out.push({
      severity,
      rule: e.rule,
      message,
      step: e.step,
      related,
      kind: `${e.kind}|${e.rule ?? ''}|${e.resource}|${e.object}|${anchorText(ctx.path.steps[e.step])}`,
    });
  }
  out.push(...unseenErrorExits(ctx, select));
  return out;
}

/** The unseen code between two steps, in words: "lines 120–180", "the loop head", "the code at out_unlock". */
function unseenSpan(ctx: CheckContext, from: number, to: number): string {
  const parts: string[] = [];
  for (let i = Math.max(0, from); i <= to && i < ctx.path.steps.length; i++) {
    const s = ctx.path.steps[i];
    if (s.kind !== 'gap') continue;
    const g = /^goto (\w+):/.exec(s.text);
    if (/^continue:/.test(s.text)) parts.push('the loop head');
    else if (/^break:/.test(s.text)) parts.push('the enclosing loop');
    else if (g) parts.push(`the code at ${g[1]}`);
    else if (s.ref.sourceLine != null && s.lines != null && s.lines > 0) parts.push(s.lines === 1 ? `line ${s.ref.sourceLine}` : `lines ${s.ref.sourceLine}\u2013${s.ref.sourceLine + s.lines - 1}`);
    else parts.push(s.ref.sourceLine != null ? `the code near line ${s.ref.sourceLine}` : 'code');
  }
  const uniq = parts.filter((p, i) => parts.indexOf(p) === i);
  return uniq.length ? uniq.join(', ') : 'code';
}

const ERROR_FACTS = new Set(['null', 'is-err', 'negative']);


/**
 * An error branch whose body the patch does not show at all, taken with a resource still held: the
 * release, if any, is in the unseen code. Said as a note (info: worth a look, not a verdict) that names
 * both places, only when no path
 * of the function comes back from that unseen code into code the patch shows (where a visible
 * cleanup label could be doing the release).
 */
function unseenErrorExits(ctx: CheckContext, select: (e: SimEvent) => boolean): RawFinding[] {
  const { path, fn } = ctx;
  if (path.end !== 'unknown-exit' || path.steps.length < 2) return [];
  const gap = path.steps[path.steps.length - 1];
  const branch = path.steps[path.steps.length - 2];
  if (gap.kind !== 'gap' || branch.kind !== 'assume') return [];
  const fact = branch.facts.find((f) => {
    if (ERROR_FACTS.has(f.relation)) return true;
    // "== 0" of an allocator's result is its failure (NULL), whatever type the C layer inferred.
    const c = path.steps[f.callStep];
    return f.relation === 'zero' && c?.kind === 'call' && ALLOCATOR.test(c.call.name);
  });
  if (!fact) return [];
  const sameGap = (x: Step) => x.kind === 'gap' && x.ref.sourceLine === gap.ref.sourceLine && x.text === gap.text;
  const comesBack = fn.paths.some((p) => p.steps.some((x, i) => sameGap(x) && i < p.steps.length - 1));
  if (comesBack) return [];
  const held = new Map<string, SimEvent>();
  for (const e of ctx.events) {
    if (ESCAPES_TO_CALLEE.has(e.resource) || !select(e)) continue;
    const k = `${e.resource}|${e.object}`;
    if (e.kind === 'acquire') held.set(k, e);
    else if (e.kind === 'release' || e.kind === 'handoff') held.delete(k);
  }
  const call = path.steps[fact.callStep];
  const callName = call && call.kind === 'call' ? `${call.call.name}()` : 'the call';
  const out: RawFinding[] = [];
  for (const e of held.values()) {
    const at = path.steps[e.step];
    const taker = at && at.kind === 'call' ? ` by ${at.call.name}()` : '';
    const line = at?.ref.sourceLine;
    out.push({
      severity: 'info',
      rule: e.rule,
      message: `the error path where ${callName} ${resultWords(callName.replace(/\(\)$/, ''), fact.relation)} continues in code the patch does not show, with the ${resourceNoun(e.resource)} of ${e.object} still ${heldWord(e.resource)} (${heldWord(e.resource) === 'raised' ? 'raised' : 'taken'}${taker}${line != null ? ` at line ${line}` : ''}): it must be dropped there — check that it is, or open the kernel tree`,
      step: path.steps.length - 2,
      related: [{ step: e.step, message: `the ${resourceNoun(e.resource)} is ${heldWord(e.resource) === 'raised' ? 'raised' : 'taken'} here` }],
      kind: `unseen-error-exit|${e.resource}|${e.object}|${anchorText(branch)}`,
    });
  }
  return out;
}

function relatedMessage(s: Step): string {
  switch (s.kind) {
    case 'call':
      return `${s.call.name}() here`;
    case 'return':
      return 'the path returns here';
    case 'assume':
      return `branch: ${s.cond} is ${s.value}`;
    default:
      return anchorText(s);
  }
}
