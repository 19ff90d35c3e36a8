/*
 * The path runner: executes one enumerated path of one function from the entry state its contract
 * gives, once per entry variant, and reports SimEvents (acquire / release / handoff / violation /
 * leak / ignored-result / dropped-dirty / opaque-call / note) plus a Trace for the timeline.
 * What each callee does comes from the API table (data) or an inter-procedural summary; anything
 * else is an 'opaque-call', never a guess.
 */
import type { FunctionAnalysis, Path, SimEvent, Step, Trace, TraceStep, CallFact } from '../types';
import { keptKey, normBug, sig as callSig, TRAILING_GAP } from '../patchIntent';
import { builtinApiTable, lookupApi, type ApiEntry, type ApiOp, type ApiTable } from './apiTable';
import { evalCondition, knowledgeOf, returnClass, returnLiteral, returnsConstant, satisfies, type Env, type ReturnClass } from './conditions';
import { contractFor, type ContractVariant, type FunctionContract } from './contracts';
import {
  LEAK_ON_FAILURE_ONLY,
  LEAK_RULE,
  LOCKLIKE,
  describeFacts,
  label,
  objectKey,
  rootOf,
  isGlobalName,
  parseIndex,
  resolveResource,
  stepRef,
  summaryEntry,
  commonEffects,
  type FinalHeld,
  type FunctionSummary,
  type Held,
  type PathRun,
  type RunPathOptions,
} from './pathModel';

export { objectKey } from './pathModel';
export type { FinalHeld, FunctionSummary, PathRun, RunPathOptions, SummaryEffect } from './pathModel';

/**
 * Runs of one path that used no callee summary, per API table and variant: the summaries pass and the
 * checks pass of `checkParsed` run the same paths, with different summary sets but, for a path that
 * calls none of the summarised functions, to the same result. Runs are read, never changed, downstream.
 */
const memo = new WeakMap<Path, WeakMap<ApiTable, Map<string, { run: PathRun; final: FinalHeld[] }>>>();

function usesSummary(path: Path, summaries: Record<string, FunctionSummary>): boolean {
  for (const s of path.steps) if (s.kind === 'call' && Object.prototype.hasOwnProperty.call(summaries, s.call.name)) return true;
  return false;
}

function runVariantMemo(path: Path, fn: FunctionAnalysis, contract: FunctionContract, v: ContractVariant, table: ApiTable, summaries: Record<string, FunctionSummary>): { run: PathRun; final: FinalHeld[] } {
  if (usesSummary(path, summaries)) return runVariant(path, fn, contract, v, table, summaries);
  let byTable = memo.get(path);
  if (!byTable) memo.set(path, (byTable = new WeakMap()));
  let byVariant = byTable.get(table);
  if (!byVariant) byTable.set(table, (byVariant = new Map()));
  // A variant run with the patch's assumptions is another run than the one without them.
  const vk = v.entryHeld.some((e) => e.assumed) ? `${v.name}\u0000${v.entryHeld.map((e) => e.assumed ? `${e.resource}:${e.object}` : '').join(',')}` : v.name;
  const hit = byVariant.get(vk);
  if (hit) return hit;
  const r = withAssumptions(path, fn, contract, v, table, summaries);
  byVariant.set(vk, r);
  return r;
}

/**
 * A variant that holds objects only by the patch's word (patchIntent.ts) is also run without them:
 * a leak or violation that only the assumption produces is a note that says what it rests on; what
 * both runs find does not depend on it.
 */
function withAssumptions(path: Path, fn: FunctionAnalysis, contract: FunctionContract, v: ContractVariant, table: ApiTable, summaries: Record<string, FunctionSummary>): { run: PathRun; final: FinalHeld[] } {
  const r = runVariant(path, fn, contract, v, table, summaries);
  const assumed = v.entryHeld.filter((e) => e.assumed);
  if (!assumed.length) return r;
  const plain = runVariant(path, fn, contract, { ...v, entryHeld: v.entryHeld.filter((e) => !e.assumed) }, table, summaries);
  const sig = (e: SimEvent) => `${e.kind}|${e.step}|${e.rule ?? ''}|${e.resource}`;
  const without = new Set(plain.run.events.map(sig));
  const why = (e: SimEvent) => assumed.find((a) => a.resource === e.resource && objectKey(a.resource, a.object) === objectKey(e.resource, e.object))?.assumed ?? assumed[0].assumed!;
  const events = r.run.events.map((e) => (e.kind === 'leak' || e.kind === 'violation') && !e.onlyIf && !without.has(sig(e)) ? { ...e, onlyIf: why(e), byPatch: true as const } : e);
  return { ...r, run: { ...r.run, events } };
}

/** Hand-off targets that are the netfs write request and its collector (the messages name them so). */
const REQUEST_TARGET = /request|wreq|collector/;

/** Assertion macros: their condition is the author's test of a value. */
const ASSERTION = /^(ASSERT|BUG_ON|VM_BUG_ON|VM_WARN_ON|WARN_ON|WARN_ON_ONCE|WARN|WARN_ONCE|DEBUG_NET_WARN_ON_ONCE|DBG_BUGON)$/;
/** Callees that look at the pointer itself, never at what it points to. */
const POINTER_ONLY = /^(IS_ERR|IS_ERR_OR_NULL|PTR_ERR|PTR_ERR_OR_ZERO|ERR_CAST|WARN_ON|WARN_ON_ONCE|WARN|WARN_ONCE|BUG_ON|VM_BUG_ON|likely|unlikely|sizeof|typeof|offsetof|ARRAY_SIZE|prefetch|prefetchw)$/;
/** String and character literals emptied, so that what they say is not read as code. */
const unquoted = (t: string): string => t.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
/** `name->` or `name.`: a dereference of a variable (not of a field: `a->b->c` yields `a`). */
const DEREFS = /(?<![\w.>])([A-Za-z_]\w*)\s*(?:->|\.(?!\d))/g;
/** Matches an expression as a whole word (`folio` in `&folio->page`, not in `folios`). */
const wordRe = (text: string): RegExp => new RegExp(`(^|[^\\w])${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\w]|$)`);

/**
 * A callee's summary merged with its table entry: the summary's ops, plus each table op on a resource
 * and object the summary says nothing about; the table's flags (sleeping, SELF-DL, result domain).
 */
export function mergeEntries(sum: ApiEntry, tab: ApiEntry | null): ApiEntry {
  if (!tab) return sum;
  const said = new Set(sum.ops.map((o) => `${o.resource}|${String(o.obj)}${o.path ?? ''}`));
  const ops = [...sum.ops, ...tab.ops.filter((o) => !said.has(`${o.resource}|${String(o.obj)}${o.path ?? ''}`))];
  return { ...tab, ...sum, ops, takesFolioLock: sum.takesFolioLock || tab.takesFolioLock, ...(tab.domain ? { domain: tab.domain } : {}) };
}

/** Runs one path once per entry variant of its function's contract. */
export function runPath(path: Path, fn: FunctionAnalysis, opts: RunPathOptions = {}): PathRun[] {
  const table = opts.table ?? builtinApiTable();
  const contract = contractFor(fn);
  if (contract.skipped) {
    return [
      {
        variant: 'default',
        feasible: true,
        skipped: contract.skipped,
        events: [],
        trace: { title: `${fn.name} ${path.id}`, tasks: [contract.task], steps: [], verdict: 'unknown', summary: `not path-checked: ${contract.skipped}` },
        returnClass: 'unknown',
      },
    ];
  }
  const variants = opts.variant ? contract.variants.filter((v) => v.name === opts.variant) : contract.variants;
  return variants.map((v) => {
    try {
      return runVariantMemo(path, fn, contract, v, table, opts.summaries ?? {}).run;
    } catch (e) {
      // Malformed input must not take the whole report down: this path is reported as not checked.
      const why = `simulator error on this path: ${e instanceof Error ? e.message : String(e)}`;
      return {
        variant: v.name,
        feasible: true,
        skipped: why,
        events: [],
        trace: { title: `${fn.name} ${path.id} [${v.name}]`, tasks: [contract.task], steps: [], verdict: 'unknown', summary: why },
        returnClass: 'unknown',
      };
    }
  });
}

/**
 * What a branch says of a pointer: `IS_ERR_OR_NULL(p)` true → 'err-or-null', false → 'valid';
 * `IS_ERR(p)` → 'err' / 'not-err'; `p`, `p != NULL` → 'nonnull' / 'null'; `!p`, `p == NULL` the
 * other way round. Null when the condition is not such a test.
 */
export function pointerTest(cond: string, value: boolean): { name: string; is: 'valid' | 'err-or-null' | 'err' | 'not-err' | 'null' | 'nonnull' } | null {
  let c = cond.replace(/\s+/g, ' ').trim();
  let v = value;
  for (;;) {
    if (c.startsWith('!')) { v = !v; c = c.slice(1).trim(); continue; }
    if (/^(?:unlikely|likely)\s*\(.*\)$/.test(c)) { c = c.replace(/^(?:unlikely|likely)\s*/, ''); continue; }
    if (/^\(.*\)$/.test(c) && balanced(c.slice(1, -1))) { c = c.slice(1, -1).trim(); continue; }
    break;
  }
  const id = '([A-Za-z_]\\w*)';
  let m = new RegExp(`^IS_ERR_OR_NULL\\(${id}\\)$`).exec(c);
  if (m) return { name: m[1], is: v ? 'err-or-null' : 'valid' };
  m = new RegExp(`^IS_ERR\\(${id}\\)$`).exec(c);
  if (m) return { name: m[1], is: v ? 'err' : 'not-err' };
  m = new RegExp(`^${id}$`).exec(c);
  if (m) return { name: m[1], is: v ? 'nonnull' : 'null' };
  m = new RegExp(`^${id} ?([=!]=) ?NULL$`).exec(c);
  if (m) return { name: m[1], is: (m[2] === '!=') === v ? 'nonnull' : 'null' };
  return null;
}

/**
 * A branch condition decided by a pointer known to be NULL: `IS_ERR_OR_NULL(p)` (true), `IS_ERR(p)`
 * (false), `p` (false), `p == NULL` (true), each perhaps negated with `!`; null when not decided.
 */
export function nullConstTest(cond: string, valueOf: (name: string) => string): boolean | null {
  // What the condition says when it holds, and whether a NULL pointer says the same.
  const t = pointerTest(cond, true);
  if (!t || !/^(NULL|0)$/.test(valueOf(t.name))) return null;
  return t.is === 'null' || t.is === 'err-or-null' || t.is === 'not-err';
}

function balanced(t: string): boolean {
  let d = 0;
  for (const ch of t) {
    if (ch === '(') d++;
    else if (ch === ')' && --d < 0) return false;
  }
  return d === 0;
}

/** The pointer a branch says is NULL (`!p` true, `p` false, `p == NULL` true, `p != NULL` false), or null. */
export function nullOnBranch(cond: string, value: boolean): string | null {
  const c = cond.replace(/\s+/g, ' ').trim();
  const name = '([A-Za-z_]\\w*(?:(?:->|\\.)[A-Za-z_]\\w*)*)';
  let m = new RegExp(`^${name}$`).exec(c);
  if (m) return value ? null : m[1];
  m = new RegExp(`^! ?${name}$`).exec(c);
  if (m) return value ? m[1] : null;
  m = new RegExp(`^${name} ?([=!]=) ?NULL$`).exec(c) ?? new RegExp(`^NULL ?([=!]=) ?${name}$`).exec(c);
  if (m) {
    const n = m[1] === '==' || m[1] === '!=' ? m[2] : m[1];
    const op = m[1] === '==' || m[1] === '!=' ? m[1] : m[2];
    return (op === '==') === value ? n : null;
  }
  return null;
}

/** runPath plus the final resource states, per variant (internal: summaries). */
export function runPathDetailed(path: Path, fn: FunctionAnalysis, opts: RunPathOptions = {}): { run: PathRun; final: FinalHeld[] }[] {
  const table = opts.table ?? builtinApiTable();
  const contract = contractFor(fn);
  if (contract.skipped) return [];
  return contract.variants.map((v) => runVariantMemo(path, fn, contract, v, table, opts.summaries ?? {}));
}

function runVariant(
  path: Path,
  fn: FunctionAnalysis,
  contract: FunctionContract,
  variant: ContractVariant,
  table: ApiTable,
  summaries: Record<string, FunctionSummary>,
): { run: PathRun; final: FinalHeld[] } {
  const env: Env = variant.env;
  const steps = path.steps;
  const events: SimEvent[] = [];
  const traceSteps: TraceStep[] = [];
  // A wb lock held on entry without a stated variety is the mutex when the path uses the wb_lock mutex.
  const usesWbMutex = steps.some((s) => s.kind === 'call' && /^mutex_/.test(s.call.name) && s.call.args.some((a) => /wb_lock\s*\)?\s*$/.test(a)));
  const held: Held[] = variant.entryHeld.filter((e) => !e.assumedFree && !e.askFirst && !e.assumedAcquiredBy && !e.keepOnly).map((e) => ({
    resource: e.resource,
    key: e.assumed ? objectKey(e.resource, e.object) : e.object,
    object: e.object === '*' ? `the ${label(e.resource)}` : e.object,
    variety: e.variety ?? (e.resource === 'wb-lock' ? (usesWbMutex ? 'mutex' : 'bit') : undefined),
    acqStep: -1,
    status: 'held',
    owner: e.owner,
    uncertain: false,
    endStep: -1,
    wildcard: e.object === '*',
    ...(e.assumed ? { assumed: e.assumed } : {}),
  }));

  const keptByAssumed = variant.entryHeld.some((e) => e.assumedKeptBy?.length || e.assumedAcquiredBy);
  let requestCreated = false;
  let inodeDirty = false;
  let retClass: ReturnClass = 'unknown';
  let infeasible: string | null = null;
  const gaps: number[] = [];
  steps.forEach((s, i) => { if (s.kind === 'gap') gaps.push(i); });
  const acrossGap = (from: number, to: number) => gaps.some((g) => g > from && g < to);

  // Facts per call step, gathered from all assume steps of the path.
  const factsByCall = new Map<number, CallFact[]>();
  for (const s of steps) if (s.kind === 'assume') for (const f of s.facts) {
    if (!factsByCall.has(f.callStep)) factsByCall.set(f.callStep, []);
    factsByCall.get(f.callStep)!.push(f);
  }
  const factsFor = (i: number) => factsByCall.get(i) ?? [];
  const plainKnowledge = new Map<number, ReturnType<typeof knowledgeOf>>();
  const knowledgeAt = (i: number) => {
    let k = plainKnowledge.get(i);
    if (!k) { k = knowledgeOf(factsFor(i)); plainKnowledge.set(i, k); }
    return k;
  };
  // The display state is rebuilt only after a step changed something (trace steps may share it).
  let stateDirty = true;
  let lastState: Record<string, string> = {};

  const emit = (e: SimEvent) => {
    if (e.acrossGap === false) delete e.acrossGap;
    events.push(e);
    stateDirty = true;
  };

  /** Names that hold one object on this path (a copy `a = b`), each name to its shared set. */
  const names = new Map<string, Set<string>>();
  for (const group of variant.aliases ?? []) {
    if (group.length < 2) continue;
    const set = new Set(group);
    for (const n of group) names.set(n, set);
  }
  const sameName = (a: string, b: string): boolean => a !== b && !!names.get(a)?.has(b);
  /** The step at which a name became another name of an object (its copy). */
  const joinedAt = new Map<string, number>();
  const leaveNames = (n: string) => {
    names.get(n)?.delete(n);
    names.delete(n);
    joinedAt.delete(n);
  };
  const findHeld = (resource: string, key: string, statuses: Held['status'][]): Held | undefined => {
    for (let j = held.length - 1; j >= 0; j--) {
      const h = held[j];
      if (h.resource === resource && (h.key === key || sameName(h.key, key)) && statuses.includes(h.status)) return h;
    }
    return undefined;
  };
  const bindWildcard = (resource: string, key: string, object: string): Held | undefined => {
    const w = held.find((h) => h.resource === resource && h.wildcard && (h.status === 'held' || h.status === 'handed'));
    if (w) { w.wildcard = false; w.fromWildcard = true; w.key = key; w.object = object; }
    return w;
  };

  /**
   * `v` is assigned a new value at step i: from here on it names another object (in a loop, the next
   * iteration's folio). What the old object still holds is checked now — a lock still held when the
   * only name for it is overwritten is leaked on this iteration — and its state is kept under a name
   * of its own, so the next object's release is not mistaken for a second release of the old one.
   */
  /** From step i the record is an earlier object's: its name says so, and the current name no longer finds it. */
  const renameOld = (h: Held, i: number): void => {
    h.key = `${h.key}#${i}`;
    h.object = `${h.object} (before step ${i})`;
  };
  /**
   * Locals that name a container by an accessor (`ei = EXT4_I(inode)`, `ci = CIFS_I(inode)`: the
   * kernel's capitalised container_of() wrappers, pure functions of their argument): a lock reached
   * through either spelling (`&ei->i_data_sem`, `&EXT4_I(inode)->i_data_sem`) is one lock. Calls read
   * the local as the accessor, until the local or the accessor's argument changes.
   */
  const accessorOf = new Map<string, string>();
  const ACCESSOR = /^[A-Z][A-Z0-9_]*_I\s*\(\s*[A-Za-z_]\w*\s*\)$/;
  const canonArgs = (args: string[]): string[] => {
    if (!accessorOf.size) return args;
    let out: string[] | null = null;
    for (const [local, expr] of accessorOf) {
      const re = new RegExp(`(^|[^\\w>.])${local}\\b(?!\\s*\\()`, 'g');
      (out ?? args).forEach((a, k) => {
        if (!re.test(a)) return;
        re.lastIndex = 0;
        out ??= [...args];
        out[k] = a.replace(re, (_m, pre: string) => `${pre}${expr}`);
      });
    }
    return out ?? args;
  };
  const reassign = (v: string, i: number): void => {
    const name = v.trim();
    accessorOf.delete(name);
    for (const [local, expr] of accessorOf) if (wordRe(name).test(expr)) accessorOf.delete(local);
    // A variable, or a field of one (`ctx->cur_folio`): a field is the caller's storage, which other
    // names may reach, so overwriting it renames the old object but is not by itself a leak.
    const simple = /^[A-Za-z_]\w*$/.test(name);
    if (!simple && !/^[A-Za-z_]\w*(?:(?:->|\.)[A-Za-z_]\w*)+$/.test(name)) return;
    const word = wordRe(name);
    // Objects reached through the variable (`eb->refs_lock`, `eb->folios[i]`) or named with it as a
    // subscript (`fbatch.folios[i]`) are another object too once it changes; what they hold is not
    // leaked by it (other names may reach them), only renamed.
    const through = simple ? new RegExp(`^${name}(->|\\.|\\[)|\\[[^\\]]*\\b${name}\\b[^\\]]*\\]`) : null;
    // The name leaves the names it shared one object with; what it held is that object's, under
    // another of its names now (`src_folio = folio; … folio = NULL;`: src_folio holds it).
    const others = simple ? [...(names.get(name) ?? [])].filter((n) => n !== name) : [];
    if (simple) leaveNames(name);
    const renamed = new Set<Held>();
    if (others.length) {
      for (const h of held) {
        if (h.wildcard || h.key !== name) continue;
        h.key = others[0];
        h.object = others[0];
        renamed.add(h);
      }
    }
    for (const h of held.slice()) {
      if (renamed.has(h)) continue;
      // (Held on entry and untouched: the caller's word covers whichever element the name reaches.)
      if (!h.wildcard && through && h.key !== objectKey(h.resource, name) && through.test(h.key)) {
        if (h.acqStep < 0 && h.status === 'held') continue;
        renameOld(h, i);
        continue;
      }
      if (h.wildcard || h.key !== objectKey(h.resource, name)) continue;
      if (simple && h.status === 'held' && h.owner === 'task' && !h.uncertain && h.acqStep >= 0 && LEAK_RULE[h.resource] && !LEAK_ON_FAILURE_ONLY.has(h.resource)) {
        // Stored elsewhere first (`ctx->folio = folio`, `*foliop = folio`): another name still holds it.
        const aliased = steps.slice(h.acqStep + 1, i).some((x) => x.kind === 'assign' && word.test(x.rhs));
        // Either way it is out of this name's reach. Aliased, the other name now holds it (`head = folio`
        // before `folio` moves on): what becomes of it is that name's, which this runner does not
        // follow, so no claim about it either way.
        h.status = 'lost';
        h.endStep = i;
        if (!aliased) {
          emit({ step: i, kind: 'leak', resource: h.resource, object: h.object, rule: LEAK_RULE[h.resource], message: `\`${name}\` is overwritten while the ${label(h.resource)} of ${h.object} (acquired at step ${h.acqStep}) is still held: nothing can release it any more (in a loop, this iteration leaks it)`, related: [h.acqStep], acrossGap: acrossGap(h.acqStep, i) });
        }
      }
      if (h.fromWildcard && h.acqStep < 0)
        held.push({ ...h, key: h.key, object: h.object, status: 'held', endStep: -1, wildcard: true, fromWildcard: false });
      renameOld(h, i);
    }
  };

  const objText = (op: { obj: number | 'result' | 'held'; path?: string; global?: string }, s: Extract<Step, { kind: 'call' }>): string => {
    if (op.global) return op.global;
    if (op.obj === 'result') return s.assignTo ?? `${s.call.name}(${s.call.args.join(', ')})`;
    if (typeof op.obj === 'number') {
      const a = s.call.args[op.obj] ?? '?';
      if (!op.path) return a;
      return /^[A-Za-z_][\w>.-]*$/.test(a.trim()) ? `${a.trim()}${op.path}` : `(${a.trim()})${op.path}`;
    }
    return '';
  };

  /** Resources whose acquisition was attempted on the visible path (resource\0key). */
  const attempted = new Set<string>();
  /** Ownership predicates asked on the path so far, by name and object key (patchIntent.ts askFirst). */
  const asked = new Set<string>();
  const askFirst = variant.entryHeld.filter((e) => e.askFirst);
  /** Folios whose dirty bit was cleared for I/O and that were neither written nor redirtied yet: key → step. */
  const cleared = new Map<string, number>();
  /**
   * Cleared folios unlocked by a plain folio_unlock: R5 unless writeback is started or the folio
   * redirtied later on the path (then the misuse is another rule's, e.g. R2 for writeback after unlock).
   */
  const pendingDrop = new Map<string, SimEvent>();
  const settleDrops = () => {
    for (const e of pendingDrop.values()) emit(e);
    pendingDrop.clear();
  };
  // Constants assigned on the path ("folio = NULL"), for guards like writeback_iter(.., NULL, ..).
  const consts = new Map<string, string>();
  const valueOf = (a: string): string => {
    const t = a.trim();
    return consts.get(t) ?? t;
  };

  /**
   * A statement the path has run before means a loop came round. An object named by a subscript
   * (`fbatch.folios[i]`, `eb->folios[i]`) that the path touched since then names this iteration's
   * element now (array loops move their index), so the last one's state is kept under a name of its
   * own, as for a reassigned variable. An iterator macro (`bio_for_each_folio_all(fi, bio)`,
   * `list_for_each_entry(pos, head, member)`) assigns its first argument on every iteration it enters.
   */
  /** Source places seen on this path, and the step that last had each (a repeat is a new iteration). */
  const seenAt = new Map<string, number>();
  const newIteration = (s: Step, i: number): void => {
    if (s.kind === 'assume' && s.value) {
      const m = /^\s*(\w*for_each\w*)\s*\(\s*([A-Za-z_]\w*)\s*[,)]/.exec(s.cond);
      if (m) reassign(m[2], i);
    }
    if (s.kind === 'gap' || s.ref.sourceLine === null) return;
    const place = `${s.ref.inputLine ?? ''}:${s.ref.sourceLine}:${s.text}`;
    const before = seenAt.get(place);
    seenAt.set(place, i);
    if (before === undefined) return;
    for (const h of held) {
      if (h.wildcard || !/\[[^\]]*[A-Za-z_]/.test(h.key) || /#\d+$/.test(h.key) || (h.acqStep < 0 && h.status === 'held')) continue;
      if (Math.max(h.acqStep, h.endStep) < before) continue;
      renameOld(h, i);
    }
  };

  /**
   * Use after put (checks/useAfterPut.ts): step i reads an object whose only reference this path took
   * (with the object: a lookup's result) was put earlier on the path, with no other reference held.
   * Checked before the step's own ops, so a second put is a use too. Once per object and path.
   */
  const putUsed = new Set<string>();
  const useAfterPut = (s: Step, i: number): void => {
    const uses: string[] = [];
    /** Objects this call puts (its table entry releases their reference): a use of those is a second put. */
    const puts = new Set<string>();
    if (s.kind === 'call') {
      const pointerOnly = POINTER_ONLY.test(s.call.name);
      // `&x` where the callee returns a new object through it (cifs_get_writable_path(.., &cfile))
      // writes x: no use of what x pointed to.
      const ops = lookupApi(table, s.call.name, s.call.args)?.ops ?? [];
      const outs = new Set(ops.filter((o) => o.kind === 'acquire' && typeof o.obj === 'number').map((o) => o.obj as number));
      for (const o of ops) if (o.kind === 'release' && o.resource === 'refcount' && typeof o.obj === 'number' && !o.when && s.call.args[o.obj]) puts.add(objectKey('refcount', s.call.args[o.obj]));
      // A summarised callee that puts the argument whatever it returns (smb2_set_path_attr() puts cfile).
      const sum = Object.prototype.hasOwnProperty.call(summaries, s.call.name) ? summaries[s.call.name] : undefined;
      for (const e of sum ? commonEffects(sum) : []) {
        if (e.kind === 'release' && e.resource === 'refcount' && typeof e.obj === 'number' && !e.path && !e.global && s.call.args[e.obj]) puts.add(objectKey('refcount', s.call.args[e.obj]));
      }
      for (const [j, a] of s.call.args.entries()) {
        if (outs.has(j) && /^\s*&\s*[A-Za-z_]\w*\s*$/.test(a)) continue;
        for (const m of unquoted(a).matchAll(DEREFS)) uses.push(m[1]);
        const r = rootOf(a);
        if (r && !pointerOnly && a.replace(/[\s&()*]/g, '') === r) uses.push(r);
      }
    } else {
      const text = s.kind === 'assign' ? s.rhs : s.kind === 'assume' ? s.cond : s.kind === 'return' ? s.expr ?? '' : '';
      for (const m of unquoted(text).matchAll(DEREFS)) uses.push(m[1]);
    }
    for (const r of uses) {
      const key = objectKey('refcount', r);
      if (putUsed.has(key)) continue;
      const refs = held.filter((h) => h.resource === 'refcount' && h.key === key);
      if (refs.length === 0 || refs.some((h) => h.status !== 'released' || h.uncertain || h.assumed)) continue;
      const last = refs.reduce((a, b) => (b.endStep > a.endStep ? b : a));
      if (!last.fromResult || last.acqStep < 0 || last.endStep < 0 || last.owner !== 'task') continue;
      if (variant.entryHeld.some((e) => e.resource === 'refcount' && objectKey('refcount', e.object) === key)) continue;
      putUsed.add(key);
      const put = steps[last.endStep];
      const putName = put?.kind === 'call' ? `${put.call.name}()` : 'the put';
      const what = s.kind === 'call' ? `${s.call.name}(${s.call.args.join(', ')})` : `\`${s.text.trim()}\``;
      if (puts.has(key)) {
        // Put again: the reference count drops below what the path took (R9), a double put.
        emit({ step: i, kind: 'violation', resource: 'refcount', object: last.object, rule: 'R9', message: `${what} puts ${r} again: ${putName} at step ${last.endStep} already put the reference taken at step ${last.acqStep}, the only one this path holds (a double put: use after free)`, related: [last.acqStep, last.endStep], acrossGap: acrossGap(last.acqStep, i) });
        continue;
      }
      emit({ step: i, kind: 'violation', resource: 'use-after-put', object: last.object, rule: 'UAF1', message: `${what} uses ${r} after ${putName} at step ${last.endStep} put the reference taken at step ${last.acqStep}, the only one this path holds: the memory may already be freed and reused (use after free)`, related: [last.acqStep, last.endStep], acrossGap: acrossGap(last.acqStep, i) });
    }
  };

  for (let i = 0; i < steps.length && !infeasible; i++) {
    const s = steps[i];
    newIteration(s, i);
    useAfterPut(s, i);
    if (s.kind === 'assign') {
      // `src_folio = folio`: one object, two names, until either moves on. Assigning a name the
      // value it already has (`src_folio = folio` again on a retry) changes nothing.
      const lhs = s.lhs.trim();
      // (A folio's head page, `&folio->page`, and a page's folio, `page_folio(page)`, are the same
      // folio: one lock, one reference count.)
      const bare = s.rhs.trim().replace(/^\(\s*(?:struct\s+)?[A-Za-z_]\w*\s*\*\s*\)\s*/, '');
      const rhs = /^&\s*[A-Za-z_]\w*\s*->\s*page$|^(?:folio_page|page_folio)\s*\(/.test(bare) ? objectKey('folio-lock', bare) : bare;
      const copy = /^[A-Za-z_]\w*$/.test(lhs) && /^[A-Za-z_]\w*$/.test(rhs) && lhs !== rhs;
      if (!(copy && sameName(lhs, rhs))) reassign(s.lhs, i);
      if (/^[A-Za-z_]\w*$/.test(lhs) && ACCESSOR.test(bare)) accessorOf.set(lhs, bare.replace(/\s+/g, ''));
      if (copy && !sameName(lhs, rhs)) {
        const set = names.get(rhs) ?? new Set([rhs]);
        set.add(lhs);
        joinedAt.set(lhs, i);
        names.set(rhs, set);
        names.set(lhs, set);
      }
    }
    else if (s.kind === 'call' && s.assignTo && !s.call.args.some((a) => objectKey('folio-lock', a) === objectKey('folio-lock', s.assignTo!))) {
      reassign(s.assignTo, i);
      const acc = `${s.call.name}(${s.call.args.join(',')})`;
      if (/^[A-Za-z_]\w*$/.test(s.assignTo.trim()) && s.call.args.length === 1 && ACCESSOR.test(acc)) accessorOf.set(s.assignTo.trim(), acc.replace(/\s+/g, ''));
    }
    if (s.kind === 'assign') {
      if (/^(NULL|-?\d+|true|false)$/.test(s.rhs.trim())) consts.set(s.lhs.trim(), s.rhs.trim());
      else consts.delete(s.lhs.trim());
    } else if (s.kind === 'gap') consts.clear();

    let violationMsg: string | undefined;
    const evStart = events.length;
    let opText = s.text;

    if (s.kind === 'assume') {
      const v = evalCondition(s.cond, env);
      if (v !== null && v !== s.value) infeasible = `branch ${s.cond} is ${s.value}, but ${variant.description}`;
      // A test of a pointer the path set to NULL (`folio = NULL; … if (!IS_ERR_OR_NULL(folio))`).
      const c = nullConstTest(s.cond, valueOf);
      if (c !== null && c !== s.value && !infeasible) infeasible = `branch ${s.cond} is ${s.value}, but the path set it to NULL`;
      for (const f of s.facts) if (knowledgeAt(f.callStep).possible.length === 0) infeasible = `contradictory facts about step ${f.callStep}`;
      for (const f of s.facts) {
        if (f.relation !== 'null' || infeasible) continue;
        const at = usedAsObject(f.callStep, i);
        if (at !== null) infeasible = `the result of step ${f.callStep} is tested for NULL, but step ${at} already used it as an object (a NULL there would have oopsed)`;
      }
      // A branch on which a pointer is NULL (`if (!cfile)`, `cfile == NULL`): nothing is held through
      // it there, whoever took it (the caller's reference `if (cfile) cifsFileInfo_put(cfile)` skips).
      // A test of a result the path could not tie to its call (`folio = NULL; if (…) folio = lookup();
      // if (!IS_ERR_OR_NULL(folio))`): what the call took is certain, or nothing, on this branch.
      const said = pointerTest(s.cond, s.value);
      if (said && !infeasible) {
        for (const h of held) {
          if (h.status !== 'held' || !h.uncertain || !h.needs || h.key !== objectKey(h.resource, said.name)) continue;
          if (said.is === 'valid' || said.is === h.needs) { h.uncertain = false; h.needs = undefined; }
          else if (said.is === 'null' || said.is === 'err' || said.is === 'err-or-null') { h.status = 'lost'; h.endStep = i; }
        }
      }
      // A pointer this path itself took a lock or reference through is not NULL: that branch is not
      // taken (`if (!src_folio)` on a retry that holds src_folio's lock).
      const nul = nullOnBranch(s.cond, s.value);
      if (nul && !infeasible) {
        for (const h of held) {
          if (h.status !== 'held' || h.wildcard || (h.key !== objectKey(h.resource, nul) && !sameName(h.key, objectKey(h.resource, nul)))) continue;
          // (The name given a new value since, `folio = writeback_iter(…, folio, …)`: another pointer;
          // a name that became the object's by a copy counts from that copy.)
          const since = h.key === objectKey(h.resource, nul) && h.acqStep >= 0 && !joinedAt.has(nul) ? h.acqStep : Math.max(h.acqStep, joinedAt.get(nul) ?? h.acqStep);
          if (assignedBetween(nul, since, i)) continue;
          if (h.acqStep >= 0 && !h.uncertain && h.owner === 'task' && !h.fromWildcard) {
            infeasible = `branch ${s.cond} is ${s.value} (${nul} is NULL), but step ${h.acqStep} took the ${label(h.resource)} of ${h.object} through it`;
            break;
          }
          h.status = 'lost';
          h.endStep = i;
        }
      }
      opText = `branch: ${s.cond} is ${s.value}`;
    } else if (s.kind === 'gap') {
      // A jump to an unseen label that the patch's own added release says does not release the
      // object (patchIntent.ts): holding it here leaks it, by the patch's word.
      const g = /^goto (\w+):/.exec(s.text);
      if (g) for (const e of variant.entryHeld) {
        if (!e.assumed || !e.assumedLabels?.includes(g[1])) continue;
        const h = findHeld(e.resource, objectKey(e.resource, e.object), ['held']);
        if (!h || h.owner !== 'task' || h.uncertain || !LEAK_RULE[h.resource]) continue;
        emit({ step: i, kind: 'leak', resource: h.resource, object: h.object, key: h.key, rule: LEAK_RULE[h.resource], message: `goes to ${g[1]} (not shown) with the ${label(h.resource)} of ${h.object} still held; the code at ${g[1]} does not release it, as the patch's release before its own \`goto ${g[1]}\` says`, related: [], onlyIf: e.assumed });
      }
      // The code after the last shown line, reached through a line where the patch added a release
      // just before it (patchIntent.ts exits): by the patch's word that code does not release it.
      if (s.text === TRAILING_GAP && i === steps.length - 1) for (const e of variant.entryHeld) {
        if (!e.assumed || !e.assumedExits?.length) continue;
        const through = e.assumedExits.find((x) => steps.some((t, k) => k < i && t.kind === x.kind && t.ref.inputLine === x.line && (t.kind !== 'assume' || t.value === x.value)));
        if (!through) continue;
        const h = findHeld(e.resource, objectKey(e.resource, e.object), ['held']);
        if (!h || h.owner !== 'task' || h.uncertain || !LEAK_RULE[h.resource]) continue;
        // (Said at the last shown step: the gap has no line of its own.)
        const at = i > 0 && steps[i - 1].ref.sourceLine !== null ? i - 1 : i;
        emit({ step: at, kind: 'leak', resource: h.resource, object: h.object, key: h.key, rule: LEAK_RULE[h.resource], message: `leaves the shown code with the ${label(h.resource)} of ${h.object} still held; the code that follows does not release it, as the release the patch adds on this path says`, related: [], onlyIf: e.assumed });
      }
      opText = `… ${s.lines === null ? 'unknown number of' : s.lines} line${s.lines === 1 ? '' : 's'} the patch does not show`;
    } else if (s.kind === 'return' || (s.kind === 'bug')) {
      opText = s.kind === 'bug' ? `BUG: ${s.text}` : `return${s.expr ? ' ' + s.expr : ''}`;
      // A BUG the patch turns into error handling (patchIntent.ts bugsRemoved): what this path holds
      // when it crashes is what the new error return must let go.
      if (s.kind === 'bug' && fn.bugsRemoved?.includes(normBug(s.text))) {
        for (const h of held) {
          if (h.status !== 'held' || h.owner !== 'task' || h.uncertain || !LEAK_RULE[h.resource]) continue;
          emit({ step: i, kind: 'leak', resource: h.resource, object: h.object, key: h.key, rule: LEAK_RULE[h.resource], message: `${s.text} crashes the kernel on this path with the ${label(h.resource)} of ${h.object} held${h.acqStep >= 0 ? ` (acquired at step ${h.acqStep})` : ''}: a recoverable error must return and release it`, related: h.acqStep >= 0 ? [h.acqStep] : [], acrossGap: acrossGap(h.acqStep, i), onlyIf: 'the patch replaces this BUG with an error return', byPatch: true });
        }
      }
    } else if (s.kind === 'call') {
      const facts = factsFor(i);
      const name = s.call.name;
      const args = canonArgs(s.call.args);
      const rewritten = args !== s.call.args;
      for (const e of askFirst) if (e.askFirst === name && args.some((a) => objectKey(e.resource, a) === objectKey(e.resource, e.object))) asked.add(`${e.resource}\u0000${objectKey(e.resource, e.object)}`);
      const summary = Object.prototype.hasOwnProperty.call(summaries, name) ? summaries[name] : undefined;
      // A summary (derived from the patch's own, complete definition on this side) is merged with the
      // table: what it says about a resource of an argument wins; what it is silent about (resources it
      // does not track, effects that are not on every path of the class) keeps the table's rule.
      const tableEntry = lookupApi(table, name, args);
      const entry: ApiEntry | null = summary && !tableEntry?.primitive ? mergeEntries(summaryEntry(summary, facts), tableEntry) : tableEntry;
      opText = `${name}(${args.join(', ')})${describeFacts(facts)}`;
      // This call as patchIntent.ts names the calls on the way to an added release (only when asked).
      const callKey = keptByAssumed ? keptKey(callSig(s), facts.map((f) => f.relation)) : '';
      // A call the patched side makes on its way to its added release left that object held.
      const kept = keptByAssumed ? variant.entryHeld.filter((e) => e.assumedKeptBy?.includes(callKey)) : [];
      if (entry && summary?.escapes?.length && entry.name === summary.name) {
        const handed = summary.escapes.map((x) => args[x]).filter((a) => a !== undefined && !kept.some((e) => objectKey(e.resource, a) === objectKey(e.resource, e.object)));
        if (handed.length) emit({ step: i, kind: 'opaque-call', resource: 'call', object: name, escaping: handed, message: `${name}() hands ${handed.join(', ')} on to callees with no model: what happens to ${handed.length === 1 ? 'it' : 'them'} there is unknown` });
      }
      if (!entry) {
        // The out-parameter a callee fills for the caller, by the patch's word (patchIntent.ts acquiredBy).
        const taking = keptByAssumed ? variant.entryHeld.filter((e) => e.assumedAcquiredBy === callKey) : [];
        for (const e of taking) held.push({ resource: e.resource, key: objectKey(e.resource, e.object), object: e.object, acqStep: i, status: 'held', owner: 'task', uncertain: false, endStep: -1, wildcard: false, assumed: e.assumed });
        const escaping = kept.length || taking.length
          ? args.filter((a) => !kept.some((e) => objectKey(e.resource, a) === objectKey(e.resource, e.object)) && !taking.some((e) => rootOf(a) === rootOf(e.object)))
          : null;
        // (Arguments read through an accessor local are said as the checks will name their objects.)
        const given = escaping ?? (rewritten ? args : null);
        emit({ step: i, kind: 'opaque-call', resource: 'call', object: name, ...(given && (given.length < args.length || rewritten) ? { escaping: given } : {}), message: `${name}() has no model and no summary: its effects are unknown` });
        // (A folio handed to an unknown callee may come back unlocked: the checks see the opaque-call
        // event between the acquisition and any finding and decide; the runner does not guess.)
      } else {
        // Can the conditional ops fail here? (netfs_wb_begin(ictx, false) cannot.)
        let k = knowledgeOf(facts, undefined, entry.domain);
        let cannotFail = false;
        if (entry.cannotFailWhenArgFalse !== undefined && evalCondition(args[entry.cannotFailWhenArgFalse] ?? '', env) === false) {
          cannotFail = true;
          const w = entry.ops.find((o) => o.when)?.when;
          if (w) {
            k = knowledgeOf(facts, w.rel, entry.domain);
            if (k.possible.length === 0) { infeasible = `${name}(${args.join(', ')}) cannot fail under ${variant.description}, but the path assumes it did`; break; }
          }
          opText += ' (cannot fail: nowait is false)';
        }
        const nowaitTrue = entry.cannotFailWhenArgFalse !== undefined && !cannotFail;
        if (entry.misuse) emit({ step: i, kind: 'violation', resource: entry.misuse.resource, object: args[0] ?? name, rule: entry.misuse.rule, misuse: true, message: `${name}(${args.join(', ')}): ${entry.misuse.message}` });
        // Hazards decided before the call's own ops.
        const heldTask = held.filter((h) => h.status === 'held' && h.owner === 'task' && !h.uncertain);
        // Folios the callee is handed (it releases them) or that it requires released are not SELF-DL victims.
        const releasesPrev = new Set(entry.ops.filter((o) => (o.kind === 'requires-released' || o.kind === 'release') && o.resource === 'folio-lock').map((o) => objectKey('folio-lock', objText(o, s))));
        const ownFolioAcq = entry.ops.find((o) => o.kind === 'acquire' && o.resource === 'folio-lock' && typeof o.obj === 'number');
        const newIndex = entry.indexArg !== undefined ? parseIndex(args[entry.indexArg] ?? '') : null;
        const newMapping = entry.indexArg !== undefined ? objectKey('folio-lock', args[0] ?? '') : '';
        if (entry.takesFolioLock && entry.indexArg !== undefined) {
          // A page-cache lookup that locks: folios of one mapping go in ascending index order (§11.2).
          for (const h of heldTask.filter((x) => x.resource === 'folio-lock')) {
            const newObj = objText({ obj: 'result' }, s);
            if (h.index && newIndex && h.index.mapping === newMapping && h.index.base === newIndex.base) {
              if (newIndex.offset > h.index.offset) continue; // ascending: allowed
              const same = newIndex.offset === h.index.offset;
              emit({
                step: i,
                kind: 'violation',
                resource: 'folio-lock',
                object: newObj,
                rule: 'R12',
                message: same
                  ? `${name}(${args.join(', ')}) locks the folio at the index of ${h.object}, which this task already holds: self-deadlock`
                  : `${name}(${args.join(', ')}) locks a folio at a lower index than ${h.object}, which this task holds: folios of one mapping must be locked in ascending index order (ABBA with writeback_iter and truncate)`,
                related: h.acqStep >= 0 ? [h.acqStep] : [],
                acrossGap: acrossGap(h.acqStep, i),
              });
            } else {
              emit({ step: i, kind: 'note', resource: 'folio-lock', object: newObj, rule: 'R12', message: `${name}() locks another folio while ${h.object} is locked; their index order is not known here (ascending order is required within a mapping)`, related: h.acqStep >= 0 ? [h.acqStep] : [] });
            }
          }
        } else if (entry.takesFolioLock) {
          const same = ownFolioAcq ? objectKey('folio-lock', objText(ownFolioAcq, s)) : null;
          const victims = heldTask.filter((h) => h.resource === 'folio-lock' && !releasesPrev.has(h.key) && (same === null || h.key === same));
          if (victims.length > 0 && !(ownFolioAcq?.when?.rel === 'true')) {
            const h = victims[victims.length - 1];
            const msg = same !== null
              ? `${name}(${args.join(', ')}) waits for the folio lock of ${h.object}, which this task already holds: self-deadlock`
              : `${name}() takes folio locks inside (SELF-DL) while this task holds the folio lock of ${h.object}: it can wait on itself`;
            const g = acrossGap(h.acqStep, i);
            emit({ step: i, kind: g ? 'note' : 'violation', resource: 'folio-lock', object: h.object, rule: 'R12', message: g ? `${msg} — unless the code the patch does not show released it` : msg, related: h.acqStep >= 0 ? [h.acqStep] : [], acrossGap: g });
          }
        }
        if (entry.reachesWriteback) {
          const w = heldTask.find((h) => h.resource === 'wb-lock');
          if (w) emit({ step: i, kind: 'violation', resource: 'wb-lock', object: w.object, rule: 'WB6', message: `${name}() reaches ->writepages (WB_SYNC_ALL waits for the wb lock) while this task holds the wb lock of ${w.object}: it waits on itself`, related: w.acqStep >= 0 ? [w.acqStep] : [], acrossGap: acrossGap(w.acqStep, i) });
        }
        if (entry.waitsForWbLock && !nowaitTrue) {
          const f = heldTask.find((h) => h.resource === 'folio-lock');
          if (f) emit({ step: i, kind: 'violation', resource: 'wb-lock', object: objText({ obj: 0 }, s), rule: 'WB4', message: `${name}() may wait for the wb lock while this task holds the folio lock of ${f.object}; the wb lock owner may be waiting for that folio in writeback_iter() (ABBA deadlock)`, related: f.acqStep >= 0 ? [f.acqStep] : [], acrossGap: acrossGap(f.acqStep, i) });
        }
        if (entry.maySleep) {
          const sp = heldTask.find((h) => h.resource === 'spinlock');
          if (sp) emit({ step: i, kind: 'violation', resource: 'spinlock', object: sp.object, rule: 'SLEEP', message: `${name}() may sleep while the spinlock ${sp.object} is held: "BUG: sleeping function called from invalid context"`, related: sp.acqStep >= 0 ? [sp.acqStep] : [], acrossGap: acrossGap(sp.acqStep, i) });
        }

        for (const op of entry.ops) {
          if (op.guard && valueOf(args[op.guard.arg] ?? '') !== op.guard.equals) continue;
          let uncertain = false;
          // An unconditional acquire that the same call may undo by its result (writeback_iter(NULL)
          // starts the iteration, which is over at once if it returns NULL) is uncertain while the result is.
          if (op.kind === 'acquire' && !op.when && !cannotFail) {
            const undo = entry.ops.find((o) => o.kind === 'release' && o.resource === op.resource && o.when);
            if (undo && satisfies(k, undo.when!) === null) uncertain = true;
          }
          if (op.kind === 'acquire') {
            const t = objText(op, s);
            attempted.add(`${resolveResource(op, t).resource}\u0000${objectKey(resolveResource(op, t).resource, t)}`);
          }
          if (op.when) {
            const sat = cannotFail || (op.when.rel === 'nonnull' && derefBeforeTest(i)) ? true : satisfies(k, op.when);
            if (sat === false) continue;
            if (sat === null && op.kind === 'acquire' && entry.nullsOnFailure) {
              // Referenced or NULL, and NULL is accepted downstream: as good as referenced.
            } else if (sat === null) {
              // A result-conditioned release paired with a result-conditioned acquire (writeback_iter:
              // folio on non-NULL, end of iteration on NULL) are alternatives: with the result unknown, neither.
              if (op.kind === 'release' && entry.ops.some((o) => o.kind === 'acquire' && o.when)) continue;
              if (op.kind === 'mark') continue;
              if (op.kind === 'acquire') {
                uncertain = true;
                // (A path that stops at a merge point before any test, `cut`, is tested where it merged.)
                if (k.facts === 0 && op.resource !== 'request' && path.end !== 'cut' && !gaps.some((g) => g > i) && !resultReturned(i) && !handedToErrAware(i) && !assertedLater(i) && !testedLater(i)) {
                  const t = objText(op, s);
                  const r = resolveResource(op, t);
                  emit({ step: i, kind: 'ignored-result', resource: r.resource, object: t, rule: r.resource === 'wb-lock' ? 'WB3' : r.resource === 'folio-lock' ? 'R1' : undefined, message: `the result of ${name}(${args.join(', ')}) is never tested: the path cannot know whether it holds the ${label(r.resource)}` });
                }
              }
            }
          }
          applyOp(op, rewritten ? { ...s, call: { ...s.call, args } } : s, i, uncertain, entry, newIndex ? { mapping: newMapping, ...newIndex } : undefined, nowaitTrue);
          if (uncertain && op.kind === 'acquire' && op.when && op.obj === 'result' && s.assignTo) {
            const last = held[held.length - 1];
            if (last && last.acqStep === i && last.uncertain) last.needs = op.when.rel;
          }
        }
      }
    }

    if (s.kind === 'call' && pendingDrop.size > 0 && /writeback_iter$/.test(s.call.name)) settleDrops();
    if (s.kind === 'return' || (i === steps.length - 1 && path.end === 'fallthrough' && s.kind !== 'bug')) {
      settleDrops();
      const expr = s.kind === 'return' ? s.expr : null;
      retClass = returnClass(path, i, expr, factsFor);
      checkReturn(i, expr);
    }

    if (s.kind === 'call') {
      // A result assigned, or an out-parameter the callee may fill (`&folio`), is no constant any
      // more (after the call: its own guards read the value it was given).
      if (s.assignTo) consts.delete(s.assignTo.trim());
      for (const a of s.call.args) { const m = /^\s*&\s*([A-Za-z_]\w*)\s*$/.exec(a); if (m) consts.delete(m[1]); }
    }

    // Trace step.
    const mine = events.slice(evStart).filter((e) => e.kind === 'violation' || e.kind === 'leak' || e.kind === 'dropped-dirty' || e.kind === 'ignored-result');
    if (mine.length > 0) violationMsg = mine.map((e) => e.message).join('; ');
    traceSteps.push({
      task: contract.task,
      op: opText,
      location: stepRef(fn, s),
      state: stateDirty ? (lastState = displayState()) : lastState,
      ...(violationMsg ? { violation: violationMsg } : {}),
      pathStep: i,
    });
    stateDirty = false;
    if (s.kind === 'call' && s.assignTo) consts.delete(s.assignTo.trim());
    if (s.kind === 'bug') break;
  }

  settleDrops();
  if (!infeasible && path.end === 'unknown-exit') unseenJump(steps.length - 1);
  // Deferred events carry earlier steps: keep the list in step order (stable).
  events.sort((a, b) => a.step - b.step);
  for (const e of events) {
    const ts = traceSteps[e.step];
    if (ts && !ts.violation && (e.kind === 'violation' || e.kind === 'leak' || e.kind === 'dropped-dirty')) ts.violation = e.message;
  }
  const bad = events.filter((e) => e.kind === 'violation' || e.kind === 'leak' || e.kind === 'dropped-dirty');
  const endUnknown = path.end === 'unknown-exit' || path.end === 'cut';
  const trace: Trace = {
    title: `${fn.name} ${path.id} [${variant.name}]`,
    tasks: [contract.task],
    steps: traceSteps,
    verdict: infeasible ? 'unknown' : bad.length > 0 ? 'violation' : endUnknown ? 'unknown' : 'ok',
    summary: infeasible
      ? `infeasible: ${infeasible}`
      : bad.length > 0
        ? bad[0].message
        : endUnknown
          ? `path ends in code the patch does not show (${path.end}); no end-of-function checks`
          : `ok under ${variant.description}`,
  };
  const run: PathRun = {
    variant: variant.name,
    feasible: infeasible === null,
    skipped: null,
    events: infeasible ? [] : events,
    trace,
    returnClass: retClass,
  };
  const final: FinalHeld[] = held.map((h) => ({ resource: h.resource, key: h.key, object: h.object, variety: h.variety, status: h.status, acquiredHere: h.acqStep >= 0, uncertain: h.uncertain }));
  for (const e of events) if (e.kind === 'release' && (e.related ?? []).length === 0 && !held.some((h) => h.resource === e.resource && h.key === objectKey(e.resource, e.object)))
    final.push({ resource: e.resource, key: objectKey(e.resource, e.object), object: e.object, status: 'released', acquiredHere: false, uncertain: false });
  run.final = final;
  return { run, final };

  // ───────── helpers closing over the run state ─────────

  function applyOp(op: ApiOp, s: Extract<Step, { kind: 'call' }>, i: number, uncertain: boolean, entry: ApiEntry, index: Held['index'] | undefined, nowait: boolean): void {
    const name = s.call.name;
    const call = `${name}(${s.call.args.join(', ')})`;
    const text = objText(op, s);
    const { resource, variety } = resolveResource(op, text);
    const key = objectKey(resource, text);
    switch (op.kind) {
      case 'acquire': {
        attempted.add(`${resource}\u0000${key}`);
        if (resource === 'request') {
          requestCreated = true;
          emit({ step: i, kind: 'note', resource: 'request', object: text, message: `${call} created a write request` });
          return;
        }
        if (op.obj === 'result' && !s.assignTo && LOCKLIKE.has(resource) && resource !== 'wb-lock' && !resultReturned(i)) {
          // `while (readahead_folio(rac)) ;`: the locked object is kept under no name, so nothing here
          // can release it by name; whatever does (a request covering the range, I/O completion) finds
          // it by index. Not tracked: no leak or self-deadlock can be claimed about it.
          emit({ step: i, kind: 'note', resource, object: text, message: `${call} returns a ${label(resource)} that the code keeps under no name: whoever releases it finds it by index (not tracked here)` });
          return;
        }
        // RCU read-side sections nest (rcu_read_lock() inside one counts, it does not wait): another hold.
        const prev = resource === 'rcu' ? undefined : findHeld(resource, key, ['held']);
        if (prev && !prev.uncertain && resource !== 'wb-iter') {
          // A trylock (or netfs_wb_begin with nowait) of a lock already held fails instead of waiting.
          const isTry = op.when !== undefined && (op.when.rel === 'true' || op.when.rel === 'false') && (resource !== 'wb-lock' || nowait);
          if (LOCKLIKE.has(resource) && !isTry && prev.owner === 'task') {
            emit({ step: i, kind: 'violation', resource, object: text, rule: resource === 'wb-lock' ? 'WB6' : resource === 'folio-lock' ? 'R12' : 'LK2', message: `${call} waits for the ${label(resource)} of ${text}, which this task already holds: self-deadlock`, related: prev.acqStep >= 0 ? [prev.acqStep] : [], acrossGap: acrossGap(prev.acqStep, i) });
            return;
          }
          if (resource === 'writeback-bit') {
            emit({ step: i, kind: 'violation', resource, object: text, rule: 'R7', message: 'VM_BUG_ON_FOLIO(folio_test_writeback(folio)) in __folio_start_writeback: writeback started twice', related: [prev.acqStep], acrossGap: acrossGap(prev.acqStep, i) });
            return;
          }
        }
        if (resource === 'wb-iter' && prev) return;
        // Taken again after this path released the caller's hold (`spin_unlock(&x); …; spin_lock(&x);`
        // in a function called with x held, `__releases(x) __acquires(x)`): the caller's hold is back,
        // not a new one this function must release.
        const callers = LOCKLIKE.has(resource) && !prev ? held.find((h) => h.resource === resource && h.key === key && h.status === 'released' && h.acqStep < 0 && !h.wildcard) : undefined;
        if (callers) {
          callers.status = 'held';
          callers.endStep = -1;
          callers.restored = true;
          emit({ step: i, kind: 'acquire', resource, object: text, message: `${call} takes the ${label(resource)} of ${text} again: the caller's hold, released above, is restored` });
          return;
        }
        const fromResult = resource === 'refcount' && (op.obj === 'result' || /^&\s*[A-Za-z_]\w*$/.test(text.trim()));
        held.push({ resource, key, object: text, variety, acqStep: i, status: 'held', owner: 'task', uncertain, endStep: -1, wildcard: false, ...(index && resource === 'folio-lock' ? { index } : {}), ...(fromResult ? { fromResult } : {}) });
        emit({ step: i, kind: 'acquire', resource, object: text, message: `${call} ${resource === 'wb-iter' ? 'starts the writeback iteration' : `acquires the ${label(resource)} of ${text}`}${uncertain ? ' (if it succeeded: result not known on this path)' : ''}` });
        return;
      }
      case 'release': {
        const ask = askFirst.find((e) => e.resource === resource && objectKey(resource, e.object) === key);
        if (ask && !asked.has(`${resource}\u0000${key}`))
          emit({ step: i, kind: 'violation', resource, object: text, rule: op.rule ?? (resource === 'folio-lock' ? 'R2' : 'LK3'), message: `${call} releases the ${label(resource)} of ${text} without asking ${ask.askFirst}() first: when it says someone else releases it, this is a second release`, related: [], onlyIf: ask.assumed, byPatch: true });
        let h = findHeld(resource, key, ['held', 'handed']);
        if (!h) h = bindWildcard(resource, key, text);
        if (resource === 'folio-lock' && cleared.has(key)) {
          const at = cleared.get(key)!;
          cleared.delete(key);
          if (entry.plainUnlock)
            pendingDrop.set(key, { step: i, kind: 'dropped-dirty', resource: 'folio-dirty', object: text, rule: 'R5', message: `${call} unlocks ${text}, whose dirty bit was cleared for I/O at step ${at}, without folio_start_writeback() or folio_redirty_for_writepage(): its data is silently dropped`, related: [at], acrossGap: acrossGap(at, i) });
        }
        if (h && h.status === 'held') {
          h.status = 'released';
          h.endStep = i;
          emit({ step: i, kind: 'release', resource, object: text, message: `${call} releases the ${label(resource)} of ${text}${h.owner === 'request' ? ' (the collector ends the lock the issuer handed to the request)' : ''}`, related: h.acqStep >= 0 ? [h.acqStep] : [], acrossGap: acrossGap(h.acqStep, i) });
          return;
        }
        if (h && h.status === 'handed' && acrossGap(h.endStep, i)) {
          emit({ step: i, kind: 'note', resource, object: text, rule: resource === 'wb-lock' ? 'WB2' : 'R2', message: `${call} releases the ${label(resource)} handed to the write request at step ${h.endStep}; code the patch does not show lies between (a hidden return makes this another exit path)`, related: [h.acqStep, h.endStep].filter((x) => x >= 0), acrossGap: true });
          return;
        }
        if (h && h.status === 'handed') {
          h.status = 'released';
          emit({ step: i, kind: 'violation', resource, object: text, rule: resource === 'wb-lock' ? 'WB2' : 'R2', message: h.handedTo ? `${call} releases the ${label(resource)} after it was left to ${h.handedTo} at step ${h.endStep}, which releases it too` : `${call} releases the ${label(resource)} after it was handed to the write request at step ${h.endStep}: the collector will end it again`, related: [h.acqStep, h.endStep].filter((x) => x >= 0), acrossGap: acrossGap(h.endStep, i) });
          h.endStep = i;
          return;
        }
        const done = findHeld(resource, key, ['released']);
        const free = !done && !attempted.has(`${resource}\u0000${key}`) ? variant.entryHeld.find((e) => e.assumedFree && e.resource === resource && objectKey(resource, e.object) === key) : undefined;
        if (free) {
          emit({ step: i, kind: 'violation', resource, object: text, rule: op.rule ?? (resource === 'folio-lock' ? 'R2' : resource === 'refcount' ? 'R9' : 'LK3'), message: `${call} releases the ${label(resource)} of ${text}, which nothing on this path holds: a stray release${op.message ? ' (' + op.message + ')' : ''}`, related: [], onlyIf: free.assumed });
          held.push({ resource, key, object: text, variety, acqStep: -1, status: 'released', owner: 'task', uncertain: false, endStep: i, wildcard: false });
          return;
        }
        if (done && (LOCKLIKE.has(resource) || resource === 'writeback-bit') && acrossGap(done.endStep, i)) {
          emit({ step: i, kind: 'note', resource, object: text, rule: op.rule ?? (resource === 'wb-lock' ? 'WB2' : resource === 'folio-lock' ? 'R2' : 'LK3'), message: `${call} releases the ${label(resource)} of ${text} again (released at step ${done.endStep}); code the patch does not show lies between (a hidden return makes this another exit path)`, related: [done.acqStep, done.endStep].filter((x) => x >= 0), acrossGap: true });
          return;
        }
        if (done && (LOCKLIKE.has(resource) || resource === 'writeback-bit')) {
          emit({ step: i, kind: 'violation', resource, object: text, rule: op.rule ?? (resource === 'wb-lock' ? 'WB2' : resource === 'folio-lock' ? 'R2' : 'LK3'), message: `${call}: double release of the ${label(resource)} of ${text} (already released at step ${done!.endStep})${op.message ? ': ' + op.message : ''}`, related: [done!.endStep], acrossGap: acrossGap(done!.endStep, i) });
          return;
        }
        if (resource === 'wb-lock' && acrossGap(-1, i) && !(variant.knownFree ?? []).includes('wb-lock') && !attempted.has(`${resource}\u0000${key}`)) {
          emit({ step: i, kind: 'note', resource, object: text, rule: 'WB2', message: `${call} ends a wb lock not taken on the visible part of this path; the code the patch does not show before it presumably took it`, related: [], acrossGap: true });
          return;
        }
        if (resource === 'wb-lock') {
          const origin = env.origin ? ` for a request of origin ${env.origin}, which never took the wb lock` : '';
          const kernel = variety === 'mutex' ? 'mutex_unlock of a mutex this task does not hold (DEBUG_LOCKS_WARN_ON(owner != current))' : op.message ?? 'WARN_ON_ONCE(!test_bit(NETFS_ICTX_WB_LOCK, &ictx->flags))';
          emit({ step: i, kind: 'violation', resource, object: text, rule: 'WB2', message: `${call} ends the wb lock without holding it${origin}: ${kernel}; if another writeback holds it, its waiter is handed the lock too (two owners)`, related: [], acrossGap: acrossGap(-1, i) });
          return;
        }
        emit({ step: i, kind: 'release', resource, object: text, message: `${call} releases the ${label(resource)} of ${text} (not acquired on this path: held by the caller?)`, related: [], acrossGap: acrossGap(-1, i) });
        // From here on it is certainly not held: a second release or a use that needs it is visible.
        if (LOCKLIKE.has(resource) || resource === 'writeback-bit')
          held.push({ resource, key, object: text, variety, acqStep: -1, status: 'released', owner: 'task', uncertain: false, endStep: i, wildcard: false });
        return;
      }
      case 'handoff': {
        if (op.needsRequest && !requestCreated && !contract.handoffWithoutRequest) return;
        const byKey = typeof op.obj === 'number' ? objectKey(op.resource, text) : null;
        const targets = held.filter((h) => h.resource === op.resource && h.status === 'held' && (byKey === null || h.key === byKey) && (op.variety === undefined || h.variety === undefined || h.variety === op.variety));
        for (const h of targets) {
          if (h.owner === 'request') continue;
          h.status = 'handed';
          h.endStep = i;
          if (op.to && !REQUEST_TARGET.test(op.to)) h.handedTo = op.to;
          emit({ step: i, kind: 'handoff', resource: h.resource, object: h.object, message: op.to === 'folio batch' ? `${call} stores ${h.object} in the batch: the batch's owner now releases its ${label(h.resource)}` : h.handedTo ? `${call} leaves the ${label(h.resource)} of ${h.object} to ${h.handedTo}, which releases it` : h.resource === 'refcount' ? `${call} submits ${h.object}: the collection now owns its second reference` : `${call} hands the ${label(h.resource)} of ${h.object} to the ${op.to ?? 'request'}: the collector (netfs_write_collection) ends it, once`, related: h.acqStep >= 0 ? [h.acqStep] : [], acrossGap: acrossGap(h.acqStep, i) });
        }
        return;
      }
      case 'requires-held': {
        if (findHeld(resource, key, ['held'])) return;
        const done = findHeld(resource, key, ['released', 'handed']);
        if (done) emit({ step: i, kind: 'violation', resource, object: text, rule: op.rule ?? 'R2', message: `${call} needs the ${label(resource)} of ${text}, released at step ${done.endStep}: ${op.message ?? 'kernel assertion'}`, related: [done.endStep], acrossGap: acrossGap(done.endStep, i) });
        return;
      }
      case 'requires-released': {
        const h = findHeld(resource, key, ['held']);
        if (h && !h.uncertain && h.owner === 'task' && acrossGap(h.acqStep, i)) {
          h.status = 'released'; // the code the patch does not show presumably released it
          h.endStep = i;
          emit({ step: i, kind: 'note', resource, object: text, rule: op.rule ?? 'R4', message: `${call}: ${op.message ?? 'the object must be released first'} — unless the code the patch does not show released it`, related: [h.acqStep], acrossGap: true });
          return;
        }
        if (h && !h.uncertain && h.owner === 'task') {
          h.status = 'lost';
          h.endStep = i;
          emit({ step: i, kind: 'violation', resource, object: text, rule: op.rule ?? 'R4', message: `${call}: ${op.message ?? 'the object must be released first'}`, related: [h.acqStep], acrossGap: acrossGap(h.acqStep, i) });
        }
        return;
      }
      case 'unmark': {
        if (resource === 'folio-cleared') {
          cleared.delete(objectKey('folio-lock', text));
          pendingDrop.delete(objectKey('folio-lock', text));
        }
        return;
      }
      case 'mark': {
        if (resource === 'folio-cleared') {
          cleared.set(objectKey('folio-lock', text), i);
          return;
        }
        if (resource === 'inode-dirty') {
          inodeDirty = true;
          emit({ step: i, kind: 'note', resource, object: text, message: `${call} marks the inode dirty` });
        }
        return;
      }
    }
  }

  /**
   * The path leaves the visible code by a jump whose target the patch does not show. A `continue` to
   * an unseen loop head with an object of this iteration still held leaks it if the head moves on to
   * the next object (as loop heads do): kept, softened, and said to depend on the unseen head. A goto
   * to an unseen label whose name says it releases (`out_unlock`, `put_failed`) after the path released
   * that resource already is a hint of a double release, labelled as such.
   */
  function unseenJump(i: number): void {
    const s = steps[i];
    if (!s || s.kind !== 'gap') return;
    if (/^continue:/.test(s.text)) {
      for (const h of held) {
        if (h.status !== 'held' || h.owner !== 'task' || h.uncertain || h.acqStep < 0 || !LEAK_RULE[h.resource] || LEAK_ON_FAILURE_ONLY.has(h.resource)) continue;
        if (h.resource === 'wb-lock' || h.resource === 'wb-iter' || h.resource === 'mutex' || h.resource === 'spinlock') continue;
        emit({ step: i, kind: 'leak', resource: h.resource, object: h.object, rule: LEAK_RULE[h.resource], message: `continue with the ${label(h.resource)} of ${h.object} still held (acquired at step ${h.acqStep}): if the loop head, which the patch does not show, moves on to the next object, this one is never released`, related: [h.acqStep], acrossGap: true, hint: true });
      }
      return;
    }
    const g = /^goto (\w+):/.exec(s.text);
    if (!g) return;
    const lab = g[1];
    const says: [RegExp, string[]][] = [
      [/unlock/, ['folio-lock', 'mutex', 'spinlock']],
      [/put|release/, ['refcount']],
      [/end_?wb|end_writeback/, ['writeback-bit']],
    ];
    for (const [re, resources] of says) {
      if (!re.test(lab)) continue;
      for (const h of held) {
        if (!resources.includes(h.resource) || h.status !== 'released' || h.endStep < 0 || h.acqStep < 0) continue;
        if (held.some((x) => x !== h && x.key === h.key && x.resource === h.resource && x.status === 'held')) continue;
        emit({ step: i, kind: 'violation', resource: h.resource, object: h.object, rule: LEAK_RULE[h.resource] === 'R1' ? 'R2' : LEAK_RULE[h.resource], message: `goto ${lab} after the ${label(h.resource)} of ${h.object} was already released at step ${h.endStep}: a hint from the label's name only — if the code at ${lab} (not shown) releases it again, that is a double release`, related: [h.endStep], acrossGap: true, hint: true });
      }
    }
  }

  /** Does step `t` give `name` a new value (an assignment, or a call's result stored in it)? */
  function assigns(t: Step, name: string): boolean {
    return (t.kind === 'assign' && t.lhs.trim() === name) || (t.kind === 'call' && t.assignTo?.trim() === name);
  }

  /** Is `name` assigned after step `from` and before step `to`? */
  function assignedBetween(name: string, from: number, to: number): boolean {
    for (let j = Math.max(0, from + 1); j < to; j++) if (assigns(steps[j], name)) return true;
    return false;
  }

  /** The call's result is tested as a pointer later on the path, before it is assigned again. */
  function testedLater(i: number): boolean {
    const s = steps[i];
    if (s.kind !== 'call' || !s.assignTo || !/^[A-Za-z_]\w*$/.test(s.assignTo.trim())) return false;
    const v = s.assignTo.trim();
    for (let j = i + 1; j < steps.length; j++) {
      const t = steps[j];
      if (t.kind === 'assume' && pointerTest(t.cond, t.value)?.name === v) return true;
      if (assigns(t, v)) return false;
    }
    return false;
  }

  /**
   * `ASSERT(!IS_ERR(folio))`, `WARN_ON(!folio)`: the code asserts what the result is (an assertion
   * macro is not a branch the path model splits on, but the author did test it).
   */
  function assertedLater(i: number): boolean {
    const s = steps[i];
    if (s.kind !== 'call' || !s.assignTo || !/^[A-Za-z_]\w*$/.test(s.assignTo.trim())) return false;
    const word = wordRe(s.assignTo.trim());
    return steps.slice(i + 1).some((t) => t.kind === 'call' && ASSERTION.test(t.call.name) && t.call.args.some((a) => word.test(a)));
  }

  /**
   * The object was stored, after it was taken, into memory the caller reaches (`p->nodes[level] = b`,
   * `*foliop = folio`, a global): whoever owns that memory releases it now (btrfs_release_path() for a
   * btrfs path), so returning with it held is no leak of this function's.
   */
  function storedForCaller(h: Held, i: number): boolean {
    const name = rootOf(h.object);
    if (!name || h.acqStep < 0) return false;
    const obj = h.object.replace(/\s*\(before step \d+\)/g, '').trim();
    for (let j = h.acqStep + 1; j < i; j++) {
      const t = steps[j];
      if (t.kind !== 'assign' || t.rhs.trim() !== obj) continue;
      const into = rootOf(t.lhs);
      if (!into || into === name || !/->|\.|\[|^\s*\*/.test(t.lhs)) continue;
      if ((fn.params ?? []).includes(into) || isGlobalName(fn, into)) return true;
    }
    return false;
  }

  /**
   * `ret = callee(…); if (ret) … return ret;` in a function that returns 0 on another path (the errno
   * convention): the path returns the callee's error, so it fails, though the callee has no model
   * that says its result is an errno.
   */
  function errnoFailure(i: number, expr: string | null): boolean {
    const v = expr?.trim();
    if (!v || !/^[A-Za-z_]\w*$/.test(v)) return false;
    if (!fn.paths.some((p) => p.end === 'return' && p.returnExpr?.trim() === '0')) return false;
    let k = -1;
    for (let j = i - 1; j >= 0; j--) {
      const t = steps[j];
      if (t.kind === 'assign' && t.lhs.trim() === v) return false;
      if (t.kind === 'gap') return false;
      if (t.kind === 'call' && t.assignTo?.trim() === v) { k = j; break; }
    }
    if (k < 0) return false;
    return steps.slice(k + 1, i).some((t) => t.kind === 'assume' && t.facts.some((f) => f.callStep === k && (f.relation === 'nonzero' || f.relation === 'negative')));
  }

  /**
   * The call's result goes straight back to the caller (`return __filemap_get_folio(...)`, or a variable
   * returned before anything reads it): testing it is the caller's job, as for any function that returns
   * what it got (iomap_get_folio() returns a locked folio or an error pointer).
   */
  function resultReturned(i: number): boolean {
    const s = steps[i];
    if (s.kind !== 'call') return false;
    const v = s.assignTo?.trim() ?? null;
    // Stored into a structure (`ctx->cur_folio = readahead_folio(ctx->rac)`): whoever reads the field
    // tests it (the next iteration, a callee given the structure, the caller).
    if (v !== null && /(->|\.)[A-Za-z_]\w*$/.test(v)) return true;
    // Or into the caller's out-parameter (`*ret_file = find_readable_file(…)`): the caller tests it.
    if (v !== null && /^\*\s*[A-Za-z_]\w*$/.test(v)) return true;
    const word = v === null ? null : wordRe(v);
    for (let j = i + 1; j < steps.length; j++) {
      const t = steps[j];
      if (t.kind === 'return') return t.expr !== null && (v !== null ? t.expr.trim() === v : t.expr.includes(`${s.call.name}(`));
      if (v === null) return false;
      if (t.kind === 'gap' || t.kind === 'assume') return false;
      if (t.kind === 'assign' && (t.lhs.trim() === v || word!.test(t.rhs))) return false;
      if (t.kind === 'call' && t.call.args.some((a) => word!.test(a))) return false;
    }
    return false;
  }

  /**
   * The untested result goes only to callees that take NULL and ERR_PTR values (`clone_fid(dfid);
   * p9_fid_put(dfid);`): they test it, so not testing it here is no mistake.
   */
  function handedToErrAware(i: number): boolean {
    const s = steps[i];
    if (s.kind !== 'call' || !s.assignTo || !/^[A-Za-z_]\w*$/.test(s.assignTo.trim())) return false;
    const word = wordRe(s.assignTo.trim());
    let handed = false;
    for (let j = i + 1; j < steps.length; j++) {
      const t = steps[j];
      if (t.kind === 'assign') {
        if (word.test(t.rhs)) return false;
        if (t.lhs.trim() === s.assignTo.trim()) break;
        continue;
      }
      if (t.kind === 'assume' && word.test(t.cond)) return false;
      if (t.kind === 'return' && t.expr && word.test(t.expr)) return false;
      if (t.kind !== 'call' || !t.call.args.some((a) => word.test(a))) continue;
      if (!lookupApi(table, t.call.name, t.call.args)?.takesErr) return false;
      handed = true;
    }
    return handed;
  }

  /**
   * The result is dereferenced (`prefetchw(&folio->flags)`) before anything tests it: the code relies on
   * it being non-NULL here (a readahead loop bounded by readahead_count()), so the path has the object.
   */
  function derefBeforeTest(i: number): boolean {
    const s = steps[i];
    if (s.kind !== 'call' || !s.assignTo || !/^[A-Za-z_]\w*$/.test(s.assignTo.trim())) return false;
    const v = s.assignTo.trim();
    const deref = new RegExp(`(^|[^\\w.>])${v}\\s*->`);
    const word = wordRe(v);
    for (let j = i + 1; j < steps.length; j++) {
      const t = steps[j];
      if (t.kind === 'gap' || t.kind === 'return') return false;
      if (t.kind === 'assume') return false;
      if (deref.test(t.text)) return true;
      if (t.kind === 'assign' && t.lhs.trim() === v) return false;
      if (t.kind === 'call' && (t.assignTo?.trim() === v || t.call.args.some((a) => word.test(a)))) return false;
    }
    return false;
  }

  /**
   * The first step between a call and a later NULL test of its result that dereferences the result
   * (`folio->index`) or hands it to a modelled primitive that works on the object (folio_lock(folio),
   * folio_size() does not count: unmodelled), or null. On such a path the NULL branch is dead code.
   */
  function usedAsObject(callStep: number, upTo: number): number | null {
    const c = steps[callStep];
    if (!c || c.kind !== 'call' || !c.assignTo || !/^[A-Za-z_]\w*$/.test(c.assignTo.trim())) return null;
    const v = c.assignTo.trim();
    const deref = new RegExp(`(^|[^\\w.>])${v}\\s*->`);
    for (let j = callStep + 1; j < upTo; j++) {
      const t = steps[j];
      if (t.kind === 'gap') return null;
      if (t.kind === 'assign' && t.lhs.trim() === v) return null;
      if (t.kind === 'call' && t.assignTo?.trim() === v) return null;
      if (t.kind === 'assume') continue;
      if (deref.test(t.text)) return j;
      if (t.kind === 'call') {
        const e = lookupApi(table, t.call.name, t.call.args);
        if (e?.ops.some((o) => typeof o.obj === 'number' && t.call.args[o.obj]?.trim() === v && o.kind !== 'requires-released')) return j;
      }
    }
    return null;
  }

  /** Did a call with no model and no summary get an argument that mentions the object's name (or another name of it) before step `i`? */
  function mentionedInOpaqueCall(h: Held, i: number): boolean {
    const all = [h.key, ...(names.get(h.key) ?? [])].filter((n) => /^[A-Za-z_]\w*$/.test(n));
    if (!all.length) return false;
    const words = all.map(wordRe);
    const word = { test: (a: string) => words.some((w) => w.test(a)) };
    for (let j = 0; j < i; j++) {
      const t = steps[j];
      if (t.kind !== 'call' || lookupApi(table, t.call.name, t.call.args)) continue;
      // (A summary speaks of what it is given: the folio itself, not its mapping or its position.)
      const summarised = Object.prototype.hasOwnProperty.call(summaries, t.call.name);
      if (t.call.args.some((a) => word.test(a) && !(summarised && all.includes(a.trim())))) return true;
    }
    return false;
  }

  function checkReturn(i: number, expr: string | null): void {
    const own = lookupApi(table, fn.name, []);
    const mayHold = (resource: string): boolean => {
      for (const x of contract.heldAtReturn) if (x.resource === resource && x.classes.includes(retClass)) return true;
      for (const op of own?.ops ?? []) {
        if (op.kind !== 'acquire' || op.resource !== resource) continue;
        if (!op.when) return true;
        const successish = ['true', 'zero', 'not-err', 'nonnull', 'nonnegative'].includes(op.when.rel) || (op.when.rel === 'eq');
        if (retClass === 'unknown' || (retClass === 'success') === successish) return true;
      }
      return false;
    };
    const rtext = expr === null ? 'returns' : `returns ${expr}`;
    if (contract.role === 'page-mkwrite' && returnsConstant(path, i, expr, 'VM_FAULT_LOCKED')) {
      // VM_FAULT_LOCKED: the locked folio goes to the fault core, which unlocks it (do_page_mkwrite).
      const locked = held.filter((h) => h.resource === 'folio-lock' && h.status === 'held' && h.owner === 'task');
      for (const h of locked) {
        h.status = 'handed';
        h.endStep = i;
        emit({ step: i, kind: 'handoff', resource: 'folio-lock', object: h.object, message: `${rtext}: the locked folio ${h.object} goes to the fault core`, related: h.acqStep >= 0 ? [h.acqStep] : [], acrossGap: acrossGap(h.acqStep, i) });
      }
      if (locked.length === 0) {
        const gone = [...held].reverse().find((h) => h.resource === 'folio-lock' && h.status === 'released');
        if (gone)
          emit({ step: i, kind: 'violation', resource: 'folio-lock', object: gone.object, rule: 'R2', message: `${rtext} but the folio lock of ${gone.object} was released at step ${gone.endStep}: the fault core (do_page_mkwrite) unlocks it again — VM_BUG_ON_FOLIO(!folio_test_locked(folio))`, related: [gone.endStep], acrossGap: acrossGap(gone.endStep, i) });
      }
    }
    for (const h of held) {
      if (h.status !== 'held' || h.owner !== 'task' || h.uncertain || h.restored) continue;
      const rule = LEAK_RULE[h.resource];
      if (!rule) continue;
      if (LEAK_ON_FAILURE_ONLY.has(h.resource) && retClass !== 'failure' && !(h.resource === 'refcount' && retClass === 'unknown' && errnoFailure(i, expr))) continue;
      if (mayHold(h.resource)) continue;
      if (storedForCaller(h, i)) continue;
      const acqCall = h.acqStep >= 0 && steps[h.acqStep].kind === 'call' ? (steps[h.acqStep] as Extract<Step, { kind: 'call' }>).call.name : '';
      const what = h.resource === 'wb-iter'
        ? `leaves the writeback_iter() loop early: the iteration over ${h.object} is not finished (keep calling writeback_iter() until it returns NULL)`
        : h.resource === 'refcount' && /request|_req$/.test(acqCall)
          ? `with the request ${h.object} never submitted: netfs_put_request() drops only the caller's reference, the collection's reference (and netfs_inode::io_count) leak; use netfs_put_failed_request()`
          : h.resource === 'writeback-bit'
            ? `with writeback of ${h.object} started (step ${h.acqStep}) and never ended: truncate, fsync and FGP_STABLE writers wait for it forever`
            : `with the ${label(h.resource)} of ${h.object} still held${h.acqStep >= 0 ? ` (acquired at step ${h.acqStep})` : ' (held on entry)'}`;
      // The two-reference request (netfs_alloc_request() takes the caller's and the collection's, and
      // netfs_put_failed_request() drops both) is recent netfs; on older kernels the request has one
      // reference and netfs_put_request() is the right put. A function that itself uses
      // netfs_put_failed_request() is written for the new convention; otherwise the claim is conditional.
      const onlyIf = h.resource === 'refcount' && /request|_req$/.test(acqCall) && !fn.callees.includes('netfs_put_failed_request')
        && steps.some((st, j) => j > h.acqStep && j < i && st.kind === 'call' && st.call.name === 'netfs_put_request')
        ? 'if this kernel\'s netfs_alloc_request() takes two references, as kernels with netfs_put_failed_request() do; with one reference netfs_put_request() is right'
        : undefined;
      // The folio ->read_folio was called with (contracts.ts readFolioParam): the role says it must go.
      const byRole = contract.role === 'read-folio' && h.acqStep < 0 && h.resource === 'folio-lock' && !h.assumed;
      // A callee with no model that was given anything of the folio (`req_alloc(folio->mapping,
      // folio_pos(folio), …)`) may have taken charge of it (a request whose completion unlocks the
      // range): the role cannot say the folio is still locked.
      if (byRole && mentionedInOpaqueCall(h, i)) continue;
      const said = byRole ? `with the folio ${h.object} still locked: ->read_folio is called with the folio locked and must unlock it on every return, or hand it to the read's completion (Documentation/filesystems/vfs.rst)` : what;
      emit({ step: i, kind: 'leak', resource: h.resource, object: h.object, key: h.key, atReturn: true, rule, message: `${rtext} (${retClass}) ${said}`, related: h.acqStep >= 0 ? [h.acqStep] : [], acrossGap: acrossGap(h.acqStep, i), ...(onlyIf ? { onlyIf } : {}), ...(byRole ? { byRole: true as const } : {}) });
    }
    if (contract.inodeDirtyRule && returnLiteral(path, i, expr) === '1' && !inodeDirty) {
      const begin = steps.findIndex((st) => st.kind === 'call' && /wb_begin|trylock/.test(st.call.name));
      emit({
        step: i,
        kind: 'dropped-dirty',
        resource: 'inode-dirty',
        object: 'inode',
        rule: 'WB3',
        message: `returns 1 (writeback skipped) without re-dirtying the inode: the VFS un-dirtied it before calling, so its data is never written back (netfs_single_mark_inode_dirty() missing)`,
        related: begin >= 0 ? [begin] : [],
        acrossGap: acrossGap(begin, i),
      });
    }
  }

  function displayState(): Record<string, string> {
    const st: Record<string, string> = {};
    const wbObjects = new Set(held.filter((h) => h.resource === 'wb-lock').map((h) => h.key));
    if (contract.role !== 'default' && wbObjects.size === 0) st['wb lock'] = 'free';
    const latest = new Map<string, Held>();
    for (const h of held) latest.set(`${h.resource}\u0000${h.key}`, h);
    for (const h of latest.values()) {
      let k: string;
      if (h.resource === 'wb-lock') k = wbObjects.size > 1 ? `wb lock (${h.object})` : 'wb lock';
      else if (h.resource === 'folio-lock') k = h.object;
      else k = `${label(h.resource)} ${h.object}`;
      let v: string;
      if (h.status === 'held') {
        if (h.resource === 'wb-lock') v = h.owner === 'request' ? 'owned by wreq (collector ends it)' : `held by ${contract.task}`;
        else if (h.resource === 'folio-lock') v = 'locked';
        else if (h.resource === 'wb-iter') v = 'iterating';
        else v = 'held';
        if (h.uncertain) v += '?';
      } else if (h.status === 'handed') v = 'handed to wreq';
      else if (h.status === 'lost') v = 'lost';
      else v = h.resource === 'folio-lock' ? 'unlocked' : h.resource === 'wb-iter' ? 'done' : 'free';
      st[k] = v;
    }
    if (contract.inodeDirtyRule) st.inode = inodeDirty ? 'dirty' : 'clean (the VFS un-dirtied it)';
    return st;
  }
}

