/*
 * The path runner's vocabulary: its result and option types, the held-resource record, the leak
 * rules per resource, object keys, and the conversion of an inter-procedural summary into an API
 * entry. Plain data and pure helpers; the runner itself is runPath.ts.
 */
import type { CallFact, FunctionAnalysis, SimEvent, Step, Trace, TraceStep } from '../types';
import type { ApiEntry, ApiOp, ApiTable } from './apiTable';
import { classOfFacts, type ReturnClass } from './conditions';

/** What a function does to its caller's state, per return class (inter-procedural summary). */
export interface SummaryEffect {
  /** unmark: ends a marked state of the argument (a folio cleared for I/O is written or re-dirtied). */
  kind: 'acquire' | 'release' | 'handoff' | 'unmark';
  resource: string;
  /** Argument index, the assigned result, or (handoff) whatever such resource is held. */
  obj: number | 'result' | 'held';
  variety?: 'bit' | 'mutex';
  /** A field of the argument rather than the argument itself (`->refs_lock`: the lock `&eb->refs_lock`). */
  path?: string;
  /** Not an argument: a kernel-wide object (`RCU`, the read-side section a `__releases(RCU)` helper ends). */
  global?: string;
}
export interface FunctionSummary {
  name: string;
  byClass: Partial<Record<ReturnClass, SummaryEffect[]>>;
  takesFolioLock?: boolean;
  /**
   * Parameters the function hands, on some path, to a callee Lockstep has no model of (directly or
   * through another summarised function): what happens to them there is unknown, so at a call site
   * they escape as they would to an opaque callee.
   */
  escapes?: number[];
  /** Every return is `true` or `false`: a branch on the call's truth picks the class (true = success). */
  boolResult?: boolean;
  /**
   * Per returned constant (`AOP_WRITEPAGE_ACTIVATE`, `1`, `-EAGAIN`): the effects on every path that
   * returns it. A caller that tests the result against that constant gets these, not its class's.
   */
  byValue?: Record<string, SummaryEffect[]>;
  /** Per returned constant: the effects on every path that returns something else (`ret != AOP_WRITEPAGE_ACTIVATE`). */
  byOther?: Record<string, SummaryEffect[]>;
}

export interface RunPathOptions {
  table?: ApiTable;
  /** Run only this variant (by name). */
  variant?: string;
  summaries?: Record<string, FunctionSummary>;
}

export interface PathRun {
  variant: string;
  /** False when the path's assumptions contradict the variant (then events are empty). */
  feasible: boolean;
  /** Set when the function implements a modeled primitive and is not path-checked. */
  skipped: string | null;
  events: SimEvent[];
  trace: Trace;
  returnClass: ReturnClass;
  /** The resource states when the path ended (read by the return-contract inference). */
  final?: FinalHeld[];
}

export interface Held {
  resource: string;
  key: string;
  object: string;
  variety?: 'bit' | 'mutex';
  /** The caller's hold, released on the path and taken again (not this function's to release). */
  restored?: boolean;
  /** Uncertain because the call's result was not known: what the result had to be ('nonnull', 'not-err'). */
  needs?: string;
  /** Step that acquired it; -1 = held on entry. */
  acqStep: number;
  status: 'held' | 'released' | 'handed' | 'lost';
  owner: 'task' | 'request';
  uncertain: boolean;
  endStep: number;
  wildcard: boolean;
  /** Bound from an entry wildcard ("every folio of the request is locked on entry"). */
  fromWildcard?: boolean;
  /** Page-cache lookups: the mapping and the index expression, for the ascending-order rule. */
  index?: { mapping: string; base: string; offset: number };
  /** Held on entry only by the patch's word (patchIntent.ts). */
  assumed?: string;
  /** Handed off to someone other than a netfs request (a batch, netfs read completion): who. */
  handedTo?: string;
  /**
   * The reference came with the object on this path (a lookup's or constructor's result, or an
   * out-parameter it filled): once it is put and no other is held, the path has no claim on the memory.
   */
  fromResult?: boolean;
}

export const LEAK_RULE: Record<string, string> = {
  'writeback-bit': 'R7',
  refcount: 'R9',
  'wb-lock': 'WB1',
  'folio-lock': 'R1',
  'wb-iter': 'R4',
  mutex: 'LK1',
  spinlock: 'LK1',
  'bit-lock': 'LK1',
  rwsem: 'LK1',
  rcu: 'LK1',
  'stable-writes': 'ST1',
};
/** Resources leak-checked only on failure returns (the success path hands them to async completion). */
export const LEAK_ON_FAILURE_ONLY = new Set(['stable-writes', 'writeback-bit', 'refcount']);
export const LOCKLIKE = new Set(['wb-lock', 'folio-lock', 'mutex', 'spinlock', 'bit-lock', 'rwsem', 'rcu']);

const LABEL: Record<string, string> = {
  'wb-lock': 'wb lock',
  'folio-lock': 'folio lock',
  'wb-iter': 'writeback_iter loop',
  'writeback-bit': 'writeback',
  'stable-writes': 'stable writes',
  mutex: 'mutex',
  spinlock: 'spinlock',
  'bit-lock': 'bit lock',
  rwsem: 'rwsem',
  rcu: 'read-side critical section',
};
export const label = (r: string) => LABEL[r] ?? r;

/** The variable an object expression starts from (`&folio->page` → folio, `*foliop` → foliop). */
export const rootOf = (t: string): string | null => /^[\s&*(]*([A-Za-z_]\w*)/.exec(t)?.[1] ?? null;

/** A name that is neither a parameter nor a local of a function seen whole: a global. */
export function isGlobalName(fn: FunctionAnalysis, name: string): boolean {
  return fn.complete && fn.locals !== undefined && !fn.locals.includes(name) && !(fn.params ?? []).includes(name);
}

const FOLIO_RESOURCES = new Set(['folio-lock', 'refcount', 'writeback-bit', 'folio-cleared', 'folio-dirty']);

/** Normalises an object expression into a matching key ("&ictx->wb_lock" and "ictx" are one wb lock). */
export function objectKey(resource: string, text: string): string {
  let t = text.replace(/\s+/g, '');
  for (;;) {
    if (t.startsWith('&')) t = t.slice(1);
    else if (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1);
    else break;
  }
  if (resource === 'wb-lock') t = t.replace(/(->|\.)(wb_lock|flags)$/, '');
  // Sparse spells the read-side section both ways (`__acquires(RCU)`, `__acquires(rcu)`).
  if (resource === 'rcu') t = t.toUpperCase();
  if (resource === 'refcount') t = t.replace(/(->|\.)flags$/, '');
  if (FOLIO_RESOURCES.has(resource)) {
    // One folio, several spellings: its head page (`&folio->page`, `folio_page(folio, 0)`) and the
    // folio of a page (`page_folio(page)`) share the folio's lock, reference and flags.
    const m = /^(?:page_folio\((.+)\)|folio_page\((.+),0\))$/.exec(t);
    if (m) t = objectKey(resource, m[1] ?? m[2]);
    else t = t.replace(/^([A-Za-z_]\w*)->page$/, '$1');
  }
  return t;
}

export function resolveResource(op: ApiOp | { resource: string; variety?: 'bit' | 'mutex' }, objText: string): { resource: string; variety?: 'bit' | 'mutex' } {
  if (op.resource === 'mutex' && /wb_lock\s*\)?\s*$/.test(objText)) return { resource: 'wb-lock', variety: 'mutex' };
  return { resource: op.resource, variety: op.variety };
}

/** "index", "index + 1", "index - 1" → base and offset; null when not of that shape. */
export function parseIndex(text: string): { base: string; offset: number } | null {
  const t = text.replace(/\s+/g, '');
  const m = /^([A-Za-z_][\w.>-]*?)(?:([+-])(\d+))?$/.exec(t);
  if (!m) return null;
  return { base: m[1], offset: m[2] ? (m[2] === '-' ? -1 : 1) * Number(m[3]) : 0 };
}

export function stepRef(fn: FunctionAnalysis, s: Step): TraceStep['location'] {
  return { inputLine: s.ref.inputLine, sourceLine: s.ref.sourceLine, file: fn.file };
}

export function describeFacts(facts: CallFact[]): string {
  if (facts.length === 0) return '';
  return ' → ' + facts.map((f) => (f.value !== undefined ? `${f.relation} ${f.value}` : f.relation)).join(', ');
}

/** What is held at the end of a run, for summaries (internal). */
export interface FinalHeld {
  resource: string;
  key: string;
  object: string;
  variety?: 'bit' | 'mutex';
  status: 'held' | 'released' | 'handed' | 'lost';
  /** Acquired on the path (false: held on entry or released without being acquired here). */
  acquiredHere: boolean;
  uncertain: boolean;
}

/**
 * A result the caller does not test (or a void function): what every return class of the callee does,
 * it does on this call too (a void lock wrapper has one class, and its acquire holds).
 */
export function commonEffects(sum: FunctionSummary): SummaryEffect[] {
  const classes = Object.values(sum.byClass).filter((x): x is SummaryEffect[] => !!x);
  if (classes.length === 0) return [];
  const key = (e: SummaryEffect) => `${e.kind}|${e.resource}|${String(e.obj)}${e.path ?? ''}${e.global ?? ''}|${e.variety ?? ''}`;
  return classes[0].filter((e) => classes.every((c) => c.some((o) => key(o) === key(e))));
}

/** Turns a summary into an API entry for the call, choosing the class the facts imply. */
export function summaryEntry(sum: FunctionSummary, facts: CallFact[]): ApiEntry {
  // For a function that returns true or false, true is its success (classOfConst), whereas for an
  // errno a zero result is: read the branch by the summary's own domain.
  let cls = classOfFacts(facts);
  if (sum.boolResult) {
    if (facts.some((f) => f.relation === 'true' || f.relation === 'nonzero')) cls = 'success';
    else if (facts.some((f) => f.relation === 'false' || f.relation === 'zero')) cls = 'failure';
  }
  let effects = sum.byClass[cls] ?? sum.byClass.unknown ?? (cls === 'unknown' ? commonEffects(sum) : []);
  // `if (ret == AOP_WRITEPAGE_ACTIVATE) folio_unlock(folio);`: the callee's paths that return that value.
  const eq = facts.find((f) => f.relation === 'eq' && f.value !== undefined && sum.byValue && Object.prototype.hasOwnProperty.call(sum.byValue, f.value.trim()));
  const ne = facts.find((f) => f.relation === 'ne' && f.value !== undefined && sum.byOther && Object.prototype.hasOwnProperty.call(sum.byOther, f.value.trim()));
  if (eq) effects = sum.byValue![eq.value!.trim()];
  else if (ne) effects = sum.byOther![ne.value!.trim()];
  // A NULL or error-pointer result is no object: nothing is acquired on it, whatever the class.
  if (facts.some((f) => f.relation === 'null' || f.relation === 'is-err')) effects = effects.filter((e) => e.obj !== 'result');
  return {
    name: sum.name,
    ops: effects.map((e) => ({ kind: e.kind, resource: e.resource, obj: e.obj, ...(e.path ? { path: e.path } : {}), ...(e.global ? { global: e.global } : {}), ...(e.variety ? { variety: e.variety } : {}), ...(e.kind === 'handoff' ? { to: 'request' } : {}) })),
    takesFolioLock: sum.takesFolioLock,
  };
}
