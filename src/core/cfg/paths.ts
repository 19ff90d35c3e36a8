/*
 * Witness paths over a Cfg, found by a state-merging search (in the manner of Engler et al.'s
 * state-machine checkers and Smatch): depth-first, then-branch first, but a path that reaches a join
 * node (a label, a loop head, the end of an if) in a state already seen there is not walked again.
 *
 * The state is what the simulator and the checks can tell apart: the *relevant history* (the
 * resource calls, their tested results, the assignments and branches that touch tracked objects, the
 * gaps), the call results bound to variables with what the path knows of them, and the constants of
 * locals. Statements that touch none of that (a ladder of `if (x) y = …;` or error checks on
 * untracked values) do not split the state: 2^12 paths through twelve such ifs are one state.
 *
 * Loops run to a fixpoint instead of a fixed unroll: at each loop head (and each label, which a
 * backward goto makes a loop head) the history since the previous visit is the iteration's
 * signature; the history of the loop is kept as the set of signatures seen plus the last one. When an
 * iteration adds nothing new, the state at the head repeats and the path is merged; a path whose
 * iteration repeated the one before it is kept as a witness up to that point, so cross-iteration
 * effects (released in one iteration, released again in the next) are still seen. A head that has
 * seen more than four different sets of iteration kinds is widened: its summary keeps only the
 * last kind, and every path merged there is kept as a witness up to the head. A hard cap per loop and per path
 * (`loopUnroll`, default 64) and a state budget back this up; hitting either is reported and sets
 * `truncated`.
 *
 * Each path that reaches an exit is one witness: a concrete path the runner simulates and the timeline
 * shows. `paths.length` is the number of distinct witnesses, `states` the (node, state) pairs visited.
 */
import type { CallFact, FunctionAnalysis, Path, PathEnd, Problem, Step } from '../types';
import type { Cfg, Node, NodeId } from './graph';
import { END } from './graph';
import { addFact, describeRelation, freshValue, restrict, type ValueState } from './facts';

export interface PathOptions {
  maxPaths?: number;
  /** Hard cap on iterations of one loop on one path (the fixpoint usually stops much earlier). */
  loopUnroll?: number;
  parseTimeMs?: number;
  maxParseErrors?: number;
  /**
   * Which calls the simulator models (API table, summaries): their steps split states. Default: every
   * call. Asked twice per call: first without `resourceRoots` (does the call change modelled state by
   * itself?), then, for the calls that do not, with the names the first kind of call is about (a call
   * that only keeps an argument somewhere matters when that argument is one of them).
   */
  relevantCall?: (name: string, args: string[], resourceRoots?: Set<string>) => boolean;
  /**
   * For a relevant call: the expressions whose objects it changes in a way a callee given them could
   * take over (a folio lock, a reference, a writeback bit), or null for all of its arguments and its
   * result. Their roots are the `resourceRoots` of the second question above.
   */
  escapeRoots?: (name: string, args: string[], assignTo: string | null) => string[] | null;
  /**
   * A modelled call's net effect on the objects it is about, for folding loop iterations: each entry
   * names an argument or result expression and what the call does to it (`+folio-lock` acquires,
   * `-folio-lock` releases, `?+folio-lock` acquires by its result, `m+folio-cleared` marks, `h…` hands
   * off). null when the effect is more than that (a summary, a hand-off to no model, an iteration
   * primitive): the call is then kept in the loop's signature as it is.
   */
  effectOf?: (name: string, args: string[], assignTo: string | null) => { expr: string; op: string }[] | null;
  /** Budget of distinct (node, state) pairs. */
  maxStates?: number;
  /** The call's result is a valid pointer or an ERR_PTR, never NULL (the API table's err-pointer domain). */
  resultNeverNull?: (name: string, args: string[]) => boolean;
  /**
   * Internal (set by the second search after a capped first one): states meet when the history of
   * each object folds to the same net effect (as iterations fold at loop heads), not only when the
   * histories are equal. Coarser: paths that differ only in the order of effects that cancel merge.
   */
  coarse?: boolean;
  /**
   * Called after each function's paths are found, callees before their callers (c/analyze.ts):
   * the caller of the analysis summarises it there, so `relevantCall` can ask about it.
   */
  afterFunction?: (fn: FunctionAnalysis) => void;
}

export interface PathResult {
  paths: Path[];
  truncated: boolean;
  problems: Problem[];
  /** Distinct (join node, state) pairs visited. */
  states: number;
  /** Paths not walked again because their state at a join node had been seen. */
  merged: number;
}

interface LoopFrame {
  head: NodeId;
  /** Length of `hist` when the loop was entered (the prefix before it). */
  start: number;
  /** Length of `hist` after the loop's summary token (the current iteration's tokens follow). */
  mark: number;
  /** Iteration signatures seen, sorted. */
  seen: string[];
  last: string;
  iterations: number;
}

interface State {
  /** Answers of call-free conditions that the function tests more than once (correlated branches). */
  conds: Map<string, boolean>;
  steps: Step[];
  /** CFG node of each step (parallel to steps). */
  nodes: NodeId[];
  assumptions: string[];
  /** variable text → index of the call step whose result it holds */
  env: Map<string, number>;
  consts: Map<string, string>;
  values: Map<number, ValueState>;
  /** call node → index of its latest step */
  lastCall: Map<NodeId, number>;
  gap: boolean;
  /** Id of the gap whose step was pushed last (to merge consecutive markers of one gap). */
  lastGap: number | null;
  /** Relevant history (tokens), with loops folded into summary tokens. */
  hist: string;
  frames: LoopFrame[];
}

const MAX_STEPS_PER_PATH = 3000;
const WORK_BUDGET = 2_000_000;
/** Steps in all witnesses together (what the runner, the checks and the JSON carry). */
const WITNESS_STEP_BUDGET = 400_000;
const DEFAULT_MAX_STATES = 100_000;
const DEFAULT_MAX_PATHS = 2048;
const DEFAULT_LOOP_CAP = 64;
const WIDEN_AFTER = 4;

function clone(s: State): State {
  return {
    conds: new Map(s.conds),
    steps: s.steps.slice(),
    nodes: s.nodes.slice(),
    assumptions: s.assumptions.slice(),
    env: new Map(s.env),
    consts: new Map(s.consts),
    values: new Map(s.values),
    lastCall: new Map(s.lastCall),
    gap: s.gap,
    lastGap: s.lastGap,
    hist: s.hist,
    frames: s.frames.map((f) => ({ ...f })),
  };
}

/**
 * Does assigning `name` change what condition `cond` tests? A variable: any condition naming it. A
 * field (`p->slots[level]`): only conditions that read that field or something reached through it
 * (`p->slots[0] > 1`), not other fields of the same structure (`p->need_commit_sem`).
 */
export function condTouchedBy(cond: string, name: string): boolean {
  const t = name.replace(/\s+/g, '').replace(/^[&*(]+/, '').replace(/\)+$/, '');
  const r = rootOf(t);
  if (!r) return false;
  const word = new RegExp(`(^|[^\\w])${r}([^\\w]|$)`);
  if (/^[A-Za-z_]\w*$/.test(t)) return word.test(cond);
  const field = t.replace(/\[[^\]]*\]/g, '');
  if (!/^[A-Za-z_]\w*((->|\.)[A-Za-z_]\w*)+$/.test(field)) return word.test(cond);
  const c = cond.replace(/\s+/g, '').replace(/\[[^\]]*\]/g, '');
  const esc = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w>.])${esc}($|[^\\w])`).test(c);
}

function kill(s: State, name: string): void {
  s.env.delete(name);
  s.consts.delete(name);
  // A variable that names another object now: what was known of its fields is about the old one.
  if (/^[A-Za-z_]\w*$/.test(name) && s.consts.size) for (const a of [...s.consts.keys()]) if (a !== name && rootOf(a) === name) s.consts.delete(a);
  if (s.conds.size) for (const c of [...s.conds.keys()]) if (condTouchedBy(c, name)) s.conds.delete(c);
}

/** A branch condition as compared for correlation: likely()/unlikely() and spaces dropped; null when it calls something. */
function condKey(cond: string): string | null {
  const t = cond.replace(/\b(un)?likely\s*\(/g, '(').replace(/\s+/g, '');
  if (/[A-Za-z_]\w*\(/.test(t)) return null;
  return t;
}

/** The value a branch leaves a tested local with when nothing else is known: non-zero (truthy). */
const NONZERO = '!0';

function constTruth(v: string): boolean | null {
  if (v === NONZERO) return true;
  if (/^(0+|false|NULL)$/.test(v)) return false;
  if (/^(\d+|true)$/.test(v) || /^-\s*\d+$/.test(v) || /^-\s*E[A-Z0-9]+$/.test(v)) return true;
  return null;
}

/** The identifier an expression is about: `&folio->lock` → folio, `fbatch.folios[i]` → fbatch. */
function rootOf(text: string): string | null {
  const m = /^[\s&*(!]*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)/.exec(text);
  return m ? m[1] : null;
}

// What the runner reads of a branch against the entry variant: wbc->sync_mode and wreq->origin (sim/conditions.ts).
const ENV_WORDS = /\b(sync_mode|origin)\b/;

/**
 * Which nodes are relevant (their steps split states): the calls the simulator models (API table,
 * summaries), then the calls with no model that are handed an object one of those is about (the
 * checks read such hand-overs), the assignments to or from the objects those calls touch, and the
 * branches the runner can read (`sync_mode`/`origin` against the entry variant, a fact about a modelled
 * call's result). Any other call splits nothing: two paths that differ only there are one state.
 */
function relevance(cfg: Cfg, relevantCall: PathOptions['relevantCall'], escapeRoots?: PathOptions['escapeRoots']): { node: Set<NodeId>; tracked: Set<string>; tested: Set<string>; foldNames: Set<string>; modelled: Set<NodeId> } {
  const node = new Set<NodeId>();
  const tracked = new Set<string>();
  /** Variables holding a modelled call's result (a branch on them is a fact the runner reads). */
  const results = new Set<string>();
  /** Variables some branch tests by their bound call result, and names whose constants matter. */
  const tested = new Set<string>();
  /** Names a branch folds by their constant (`x`, `!x`, `x == lit`): only their constants split states. */
  const foldNames = new Set<string>();
  // An int or bool result (folio_size(), a trylock's answer) is a value, not an object: it is not
  // followed through assignments.
  const isValue = (name: string) => cfg.varKinds[name] === 'int' || cfg.varKinds[name] === 'bool';
  const track = (name: string | null): boolean => {
    if (!name || tracked.has(name)) return false;
    tracked.add(name);
    return true;
  };
  const roots = new Set<string>();
  const first = new Set<NodeId>();
  cfg.nodes.forEach((n, id) => {
    if (n.k !== 'call' || (relevantCall && !relevantCall(n.step.call.name, n.step.call.args))) return;
    first.add(id);
    const about = escapeRoots?.(n.step.call.name, n.step.call.args, n.step.assignTo) ?? [...n.step.call.args, ...(n.step.assignTo ? [n.step.assignTo] : [])];
    for (const a of about) { const r = rootOf(a); if (r) roots.add(r); }
  });
  cfg.nodes.forEach((n, id) => {
    if (n.k !== 'call' || (!first.has(id) && (!relevantCall || !relevantCall(n.step.call.name, n.step.call.args, roots)))) return;
    node.add(id);
    // A call relevant only because it is handed a tracked object (second question) follows nothing
    // else: its other arguments and its result are not the simulator's business.
    const handedOnly = !first.has(id);
    // An int or bool argument (a position, a length, a flag) is a value, not an object the simulator
    // follows: assignments to it split nothing (a flag the runner reads is folded through constants).
    for (const a of n.step.call.args) {
      const r = rootOf(a);
      if (r && !isValue(r) && (!handedOnly || roots.has(r))) track(r);
    }
    const res = n.step.assignTo && !handedOnly ? rootOf(n.step.assignTo) : null;
    if (res) {
      results.add(res);
      if (!isValue(res)) track(res);
    }
  });
  for (let changed = true; changed;) {
    changed = false;
    cfg.nodes.forEach((n, id) => {
      if (n.k !== 'assign' || node.has(id)) return;
      // Only a whole variable matters (it may name another object now, or alias a tracked one); a
      // field write (`map->m_la = pos`) changes nothing the runner reads, and constants are in the key.
      const lhs = n.step.lhs.trim();
      if (!/^[A-Za-z_]\w*$/.test(lhs)) return;
      const rhsRoot = rootOf(n.step.rhs);
      if (tracked.has(lhs) || (rhsRoot && tracked.has(rhsRoot) && !isValue(lhs))) {
        node.add(id);
        track(lhs);
        changed = true;
      }
    });
  }
  cfg.nodes.forEach((n, id) => {
    if (n.k !== 'branch') return;
    const sub = n.facts?.subject;
    if (sub?.kind === 'var') tested.add(sub.name);
    if (n.constTest) foldNames.add(n.constTest.name);
    // Constants of locals are in the state key; a branch on anything else the runner cannot read.
    if (ENV_WORDS.test(n.cond) || (sub && (sub.kind === 'call' ? node.has(sub.node) : tracked.has(sub.name) || results.has(sub.name)))) node.add(id);
  });
  return { node, tracked, tested, foldNames, modelled: first };
}

function valueText(v: ValueState | undefined): string {
  if (!v) return '*';
  return `${v.mask}${v.eq !== null ? '=' + v.eq : ''}${v.ne.length ? '!' + v.ne.slice().sort().join(',') : ''}`;
}

const IDENT = /[A-Za-z_]\w*/g;

/** The names a node reads (identifiers of its condition, arguments, right-hand side, returned value). */
function readsOf(n: Node): string[] {
  switch (n.k) {
    case 'branch': {
      // Also the condition itself, for correlated branches: a later test of the same condition reads it.
      const k = n.loop === null ? condKey(n.cond) : null;
      return [...n.cond.match(IDENT) ?? [], ...(k !== null ? [`?${k}`] : [])];
    }
    case 'call': {
      const out = [...n.step.call.name.match(IDENT) ?? []];
      for (const a of n.step.call.args) out.push(...a.match(IDENT) ?? []);
      // `x->f = call()` reads x; a whole variable on the left is written, not read.
      if (n.step.assignTo && !/^[A-Za-z_]\w*$/.test(n.step.assignTo.trim())) out.push(...n.step.assignTo.match(IDENT) ?? []);
      return out;
    }
    case 'assign': {
      const out = [...n.step.rhs.match(IDENT) ?? []];
      const lhs = n.step.lhs.trim();
      if (!/^[A-Za-z_]\w*$/.test(lhs) || /^\s*[A-Za-z_]\w*\s*([-+*\/%&|^]|<<|>>)=/.test(n.step.text)) out.push(...lhs.match(IDENT) ?? []);
      return out;
    }
    case 'return': return n.step.expr?.match(IDENT) ?? [];
    case 'kill': return n.delta !== undefined ? n.names : [];
    default: return [];
  }
}

/**
 * The names whose constants, bound results and correlated answers the walk forgets at a node (what it
 * knew of them before cannot matter after): a whole variable assigned or declared, an argument passed
 * by address, and the answers of conditions that name an assigned variable. `null` for a gap, which
 * forgets everything.
 */
function erasedAt(n: Node, condNames: Map<string, string[]>): string[] | null {
  const out: string[] = [];
  const erase = (text: string): void => {
    const t = text.trim();
    if (/^[A-Za-z_]\w*$/.test(t)) out.push(t);
    const r = rootOf(t);
    if (r) for (const c of condNames.get(r) ?? []) if (condTouchedBy(c.slice(1), t)) out.push(c);
  };
  switch (n.k) {
    case 'gap': return null;
    case 'kill': for (const x of n.names) erase(x); break;
    case 'call':
      for (const x of n.kills) erase(x);
      if (n.step.assignTo) erase(n.step.assignTo);
      break;
    case 'assign': erase(n.step.lhs); break;
    default: break;
  }
  return out;
}

/**
 * Per node: the names some later node may read before the walk forgets them (backward liveness over
 * the CFG: a read keeps a name live, an assignment ends it), and the loop heads
 * it can still reach. A constant or bound result of a name that nothing reads any more, or the frame
 * of a loop the path has left for good, cannot change what follows: it stays out of the state key, so
 * paths that differ only there merge (Smatch and xgcc key their states on live data only).
 */
function liveness(cfg: Cfg, heads: Set<NodeId>): { live: { has(name: string): boolean }[]; reach: { has(head: NodeId): boolean }[] } {
  const N = cfg.nodes.length;
  const succ = (n: Node): NodeId[] => {
    switch (n.k) {
      case 'branch': return [n.t, n.f];
      case 'gap': return [...(n.next !== null ? [n.next] : []), ...n.gotos.map((g) => g.node)];
      case 'return': case 'bug': case 'unseen': return [];
      default: return [n.next];
    }
  };
  const preds: NodeId[][] = Array.from({ length: N }, () => []);
  const succs: NodeId[][] = cfg.nodes.map((n, id) => {
    const out = succ(n).filter((x) => x !== END && x !== null && x >= 0 && x < N);
    for (const x of out) preds[x].push(id);
    return out;
  });
  // Bit sets per node (names, loop heads): the fixpoint is a few word ORs per edge.
  const nameIdx = new Map<string, number>();
  const own = cfg.nodes.map((n) => readsOf(n).map((v) => {
    let k = nameIdx.get(v);
    if (k === undefined) nameIdx.set(v, (k = nameIdx.size));
    return k;
  }));
  // Which correlated-condition keys name each identifier (an assignment to it forgets their answers).
  const condNames = new Map<string, string[]>();
  for (const v of nameIdx.keys()) {
    if (v[0] !== '?') continue;
    for (const w of new Set(v.slice(1).match(IDENT) ?? [])) {
      let l = condNames.get(w);
      if (!l) condNames.set(w, (l = []));
      l.push(v);
    }
  }
  const headIdx = new Map<NodeId, number>();
  for (const h of heads) headIdx.set(h, headIdx.size);
  const W = Math.max(1, Math.ceil(nameIdx.size / 32));
  const H = Math.max(1, Math.ceil(headIdx.size / 32));
  const lv = new Uint32Array(N * W);
  const use = new Uint32Array(N * W);
  // Per node, the names that pass through it (not forgotten there): all ones but the erased ones.
  const keep = new Uint32Array(N * W).fill(0xffffffff);
  const rc = new Uint32Array(N * H);
  for (let id = 0; id < N; id++) {
    for (const k of own[id]) use[id * W + (k >>> 5)] |= 1 << (k & 31);
    const erased = erasedAt(cfg.nodes[id], condNames);
    if (erased === null) keep.fill(0, id * W, id * W + W);
    else for (const v of erased) {
      const k = nameIdx.get(v);
      if (k !== undefined) keep[id * W + (k >>> 5)] &= ~(1 << (k & 31));
    }
    for (let w = 0; w < W; w++) lv[id * W + w] = use[id * W + w];
    const h = headIdx.get(id);
    if (h !== undefined) rc[id * H + (h >>> 5)] |= 1 << (h & 31);
  }
  const work: NodeId[] = cfg.nodes.map((_, id) => id);
  const queued = new Uint8Array(N).fill(1);
  while (work.length) {
    const id = work.pop()!;
    queued[id] = 0;
    let grew = false;
    for (const x of succs[id]) {
      for (let w = 0; w < W; w++) {
        const v = (lv[id * W + w] | (lv[x * W + w] & keep[id * W + w]) | use[id * W + w]) >>> 0;
        if (v !== lv[id * W + w]) { lv[id * W + w] = v; grew = true; }
      }
      for (let w = 0; w < H; w++) {
        const v = (rc[id * H + w] | rc[x * H + w]) >>> 0;
        if (v !== rc[id * H + w]) { rc[id * H + w] = v; grew = true; }
      }
    }
    if (grew) for (const p of preds[id]) if (!queued[p]) { queued[p] = 1; work.push(p); }
  }
  const live = cfg.nodes.map((_, id) => ({
    has: (name: string): boolean => {
      const k = nameIdx.get(name);
      return k !== undefined && (lv[id * W + (k >>> 5)] & (1 << (k & 31))) !== 0;
    },
  }));
  const reach = cfg.nodes.map((_, id) => ({
    has: (head: NodeId): boolean => {
      const k = headIdx.get(head);
      return k !== undefined && (rc[id * H + (k >>> 5)] & (1 << (k & 31))) !== 0;
    },
  }));
  return { live, reach };
}

/**
 * What a loop iteration leaves behind, for the state key at the loop head. Tokens about objects
 * that are still live at the head (read again before being assigned: a request, a batch, a lock
 * taken before the loop) are kept as they are. An object the next iteration assigns anew before
 * reading it (`folio = fbatch->folios[i]`) can matter afterwards only through the state the
 * iteration left it in, so its tokens fold into that net effect: acquisitions that the iteration
 * released again cancel (the acquisition attempt is kept: the runner remembers it), marks and
 * hand-offs stay, and a branch on it stays where it stood. Two iterations that lock a folio, touch
 * different flags of it and unlock it leave the same state at the head. Each iteration as it
 * really was is still kept as a witness once per head state (the caller's `keptRepeats`).
 */
function projectIteration(
  sigText: string,
  isLive: (name: string) => boolean,
  rootsOf: (string[] | null)[],
  effects: ({ root: string; op: string }[] | null)[],
  /** Whole histories (not one iteration): a branch about no object says nothing of the state. */
  whole = false,
): string {
  const kept: string[] = [];
  const net = new Map<string, string[]>();
  const attempted = new Map<string, Set<string>>();
  const listOf = (r: string): string[] => {
    let l = net.get(r);
    if (!l) net.set(r, (l = []));
    return l;
  };
  const re = /([cabgL])(\d+);/g;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(sigText))) {
    if (m.index !== last) kept.push(sigText.slice(last, m.index));
    last = re.lastIndex;
    const tok = m[0];
    const kind = m[1];
    const id = kind === 'b' ? Number(m[2].slice(0, -1)) : Number(m[2]);
    if (kind === 'c') {
      const eff = effects[id];
      // No model of its effect: as it is. Only assertions (a folio that must be locked): nothing stays.
      if (!eff) { kept.push(tok); continue; }
      if (eff.length === 0) continue;
      if (eff.some((e) => isLive(e.root))) { kept.push(tok); continue; }
      for (const e of eff) {
        const l = listOf(e.root);
        const acq = /^\??\+(.*)$/.exec(e.op);
        if (acq) {
          let a = attempted.get(e.root);
          if (!a) attempted.set(e.root, (a = new Set()));
          a.add(acq[1]);
        }
        // A release undoes the latest acquisition of the same resource if nothing else happened to
        // that resource in between (escapes and branches do not count: what is released is released).
        const rel = /^-(.*)$/.exec(e.op);
        if (rel) {
          let j = l.length - 1;
          while (j >= 0 && (l[j] === 'o' || l[j][0] === 'b' || (l[j] !== `+${rel[1]}` && !l[j].endsWith(rel[1])))) j--;
          if (j >= 0 && l[j] === `+${rel[1]}`) { l.splice(j, 1); continue; }
        }
        l.push(e.op);
      }
      continue;
    }
    if (kind === 'b' || kind === 'a') {
      const roots = rootsOf[id];
      if (whole && kind === 'b' && (!roots || !roots.length)) continue;
      if (!roots || !roots.length || roots.some(isLive)) { kept.push(tok); continue; }
      // A branch on the object (or a call's answer about it) stays in its place among its effects;
      // an assignment to it marks that the name moved to another object there.
      if (kind === 'a') listOf(roots[0]).push('=');
      else for (const r of roots) listOf(r).push(tok);
      continue;
    }
    kept.push(tok);
  }
  if (last !== sigText.length) kept.push(sigText.slice(last));
  const folded: string[] = [];
  for (const r of new Set([...net.keys(), ...attempted.keys()])) {
    let l = net.get(r) ?? [];
    // Branches matter only where they can decide a conditional effect before them; a reassignment only where the
    // object was changed at all.
    const firstCond = l.findIndex((x) => x[0] === '?');
    l = l.filter((x, i) => x[0] !== 'b' || (firstCond >= 0 && i > firstCond));
    // An escape matters only for what is still held or marked; a renaming only where something is.
    if (!l.some((x) => x !== '=' && x !== 'o' && x[0] !== 'b')) l = [];
    const seq = l.join(' ');
    // (Whole histories: an attempt matters only for the wb lock, whose end without it is a finding.)
    const att = [...(attempted.get(r) ?? [])].filter((x) => !whole || x === 'wb-lock').sort().join(' ');
    if (seq === '' && att === '') continue;
    folded.push(`${r}<${att}>${seq}`);
  }
  return kept.join('') + (folded.length ? `~${folded.sort().join(',')};` : '');
}

/**
 * The search, and when its witnesses exceed the cap, the search again with states merged by each
 * object's net effect (`coarse`): a function with more distinct histories than the cap is then walked
 * whole, at the price of merging paths that differ only in the order of effects that cancel — said
 * as a `path-merged` problem, and `truncated` stays false. When the coarse search is capped too, the
 * first (exact) result stands, truncated.
 */
export function enumeratePaths(cfg: Cfg, opts: PathOptions = {}): PathResult {
  const first = enumerateOnce(cfg, opts);
  if (!first.truncated || opts.coarse || !opts.effectOf || !first.problems.some((p) => p.kind === 'path-cap')) return first;
  const second = enumerateOnce(cfg, { ...opts, coarse: true });
  if (second.truncated) return first;
  const maxPaths = opts.maxPaths ?? DEFAULT_MAX_PATHS;
  second.problems.unshift({ kind: 'path-merged', message: `more than ${maxPaths} distinct histories: paths were merged where each object's net effect so far was the same (the order of effects that cancel is not kept), ${second.paths.length} witness paths` });
  return second;
}

function enumerateOnce(cfg: Cfg, opts: PathOptions = {}): PathResult {
  const maxPaths = opts.maxPaths ?? DEFAULT_MAX_PATHS;
  const loopCap = Math.max(1, opts.loopUnroll ?? DEFAULT_LOOP_CAP);
  const maxStates = opts.maxStates ?? DEFAULT_MAX_STATES;
  const paths: Path[] = [];
  const problems: Problem[] = [];
  let truncated = false;
  let capHit = false;
  let loopCut = false;
  let statesCut = false;
  let work = 0;
  let merged = 0;
  const { node: relevant, tested, foldNames, modelled } = relevance(cfg, opts.relevantCall, opts.escapeRoots);

  // Join nodes: more than one way in (labels, loop heads, the ends of ifs). Only there can states meet.
  const indeg = new Map<NodeId, number>();
  const inc = (n: NodeId | null) => { if (n !== null && n !== END) indeg.set(n, (indeg.get(n) ?? 0) + 1); };
  inc(cfg.entry);
  for (const n of cfg.nodes) {
    switch (n.k) {
      case 'branch': inc(n.t); inc(n.f); break;
      case 'gap': inc(n.next); for (const g of n.gotos) inc(g.node); break;
      case 'return': case 'bug': case 'unseen': break;
      default: inc(n.next);
    }
  }
  const heads = new Set<NodeId>();
  cfg.nodes.forEach((n, id) => { if (n.k === 'nop' && (n.loopHead !== null || n.label !== null)) heads.add(id); });
  const { live, reach } = liveness(cfg, heads);
  /** Per name, the literals some branch compares it with (`err == -EEXIST`). */
  const eqLits = new Map<string, Set<string>>();
  for (const n of cfg.nodes) if (n.k === 'branch' && n.constTest?.eq) {
    let l = eqLits.get(n.constTest.name);
    if (!l) eqLits.set(n.constTest.name, (l = new Set()));
    l.add(n.constTest.eq.replace(/\s+/g, ''));
  }
  // For folding iterations (projectIteration): the objects each call or branch is about, and each
  // modelled call's net effect on them.
  const nodeRoots: (string[] | null)[] = cfg.nodes.map(() => null);
  const nodeEffects: ({ root: string; op: string }[] | null)[] = cfg.nodes.map(() => null);
  const nodeObjEffects: ({ root: string; op: string }[] | null)[] = cfg.nodes.map(() => null);
  if (opts.effectOf) {
    cfg.nodes.forEach((n, id) => {
      if (n.k === 'assign' && relevant.has(id)) {
        const l = rootOf(n.step.lhs);
        const r = n.constVal !== null ? null : rootOf(n.step.rhs);
        nodeRoots[id] = l && /^[A-Za-z_]\w*$/.test(n.step.lhs.trim()) ? [l, ...(r && r !== l ? [r] : [])] : null;
      }
      if (n.k !== 'call' || !relevant.has(id)) return;
      const eff = opts.effectOf!(n.step.call.name, n.step.call.args, n.step.assignTo);
      nodeEffects[id] = eff === null ? null : eff.flatMap((e) => { const r = rootOf(e.expr); return r ? [{ root: r, op: e.op }] : [{ root: '?', op: e.op }]; });
      // By the object itself (`o->folio_1` and `o->folio_2` are two), for folding whole histories.
      nodeObjEffects[id] = eff === null ? null : eff.map((e) => ({ root: e.expr.replace(/\s+/g, '').replace(/^&/, '') || '?', op: e.op }));
      // What a branch on its answer is about: the objects it changes, or else its arguments.
      const rs = new Set<string>();
      if (nodeEffects[id]?.length) for (const e of nodeEffects[id]!) rs.add(e.root);
      else for (const a of [...n.step.call.args, ...(n.step.assignTo ? [n.step.assignTo] : [])]) { const r = rootOf(a); if (r) rs.add(r); }
      nodeRoots[id] = [...rs];
    });
    // A variable holding the answer of calls that change objects (`err = filemap_add_folio(…)`):
    // a branch on it decides what those calls did to them.
    const owners = new Map<string, Set<string>>();
    cfg.nodes.forEach((n, id) => {
      if (n.k !== 'call' || !n.step.assignTo || !nodeEffects[id]?.length) return;
      const v = n.step.assignTo.trim();
      let o = owners.get(v);
      if (!o) owners.set(v, (o = new Set()));
      for (const e of nodeEffects[id]!) o.add(e.root);
    });
    cfg.nodes.forEach((n, id) => {
      if (n.k !== 'branch' || !relevant.has(id)) return;
      const sub = n.facts?.subject;
      // A branch on a call's result is about that call's objects; on a variable, about it.
      nodeRoots[id] = !sub ? null : sub.kind === 'call' ? nodeRoots[sub.node] : owners.has(sub.name) ? [...owners.get(sub.name)!] : [sub.name];
    });
  }
  /** Call-free conditions tested at more than one branch: a second test answers as the first did. */
  const seenConds = new Map<string, number>();
  for (const n of cfg.nodes) if (n.k === 'branch' && n.loop === null) { const k = condKey(n.cond); if (k) seenConds.set(k, (seenConds.get(k) ?? 0) + 1); }
  const repeated = new Set([...seenConds].filter(([, c]) => c > 1).map(([k]) => k));
  /** Names only this function can change between two tests (its locals and parameters, not fields or globals). */
  const localNames = new Set([...Object.keys(cfg.varKinds ?? {}), ...(cfg.params ?? [])].filter((x) => /^[A-Za-z_]\w*$/.test(x)));
  const visited = new Set<string>();
  const sigIds = new Map<string, string>();
  /** Per loop head: the different sets of iteration kinds seen there (for widening). */
  const summariesAt = new Map<NodeId, Set<string>>();

  let witnessSteps = 0;
  const emit = (s: State, end: PathEnd, returnExpr: string | null): void => {
    if (paths.length >= maxPaths) {
      truncated = true;
      capHit = true;
      return;
    }
    witnessSteps += s.steps.length;
    if (witnessSteps > WITNESS_STEP_BUDGET) {
      truncated = true;
      capHit = true;
      if (!problems.some((p) => p.kind === 'path-work')) problems.push({ kind: 'path-work', message: `the witnesses reached ${WITNESS_STEP_BUDGET} steps in all: the search stopped there` });
      return;
    }
    paths.push({ id: `p${paths.length}`, steps: s.steps, end, returnExpr, assumptions: s.assumptions, crossesGap: s.gap });
  };

  const push = (s: State, step: Step, node: NodeId, token: string | null): void => {
    s.steps.push(step);
    s.nodes.push(node);
    if (token !== null && relevant.has(node)) s.hist += token;
  };

  const netMemo = new Map<string, string>();
  /**
   * A history folded to each object's net effect (what is held, marked or handed): the key of the
   * coarse search, and of iteration witnesses at widened heads.
   */
  const netOf = (h: string): string => {
    if (!opts.effectOf) return h;
    let c = netMemo.get(h);
    if (c === undefined) netMemo.set(h, (c = projectIteration(h, () => false, nodeRoots, nodeObjEffects, true)));
    return c;
  };
  const initialValue = (st: Step | undefined): ValueState => {
    const v = freshValue();
    if (st?.kind === 'call' && opts.resultNeverNull?.(st.call.name, st.call.args)) return addFact(v, 'nonnull') ?? v;
    return v;
  };
  const histKey = (h: string): string => (opts.coarse ? netOf(h) : h);
  /** The state key at a join node: relevant history, loop frames, bound results, constants. */
  const keyOf = (node: NodeId, s: State): string => {
    let k = `${node}|${s.gap ? 1 : 0}|${s.lastGap ?? ''}|${histKey(s.hist)}|`;
    const lv = live[node];
    const rh = reach[node];
    // Frames of loops the path can still come back to (a loop left for good is only history).
    for (const f of s.frames) if (rh.has(f.head)) k += `${f.head}:${f.iterations > 0 ? 1 : 0};`;
    k += '|';
    // Only what a later branch can read: results bound to variables that some branch tests, and
    // constants of names a branch folds or a modelled call reads; and only while something still reads them.
    const env: string[] = [];
    // What a path knows of a call result matters to the runner only for a call it models (a trylock's
    // answer, a lookup's NULL); facts about other results only prune infeasible paths, and merging two
    // paths that differ there keeps one of them, never invents one.
    for (const [v, i] of s.env) if (tested.has(v) && lv.has(v) && modelled.has(s.nodes[i])) env.push(`${v}=${s.nodes[i]}:${valueText(s.values.get(i))}`);
    k += env.sort().join(',');
    k += '|';
    // An answer kept for a condition no later branch tests again is history only.
    if (s.conds.size) {
      const conds = [...s.conds].filter(([c]) => lv.has(`?${c}`));
      if (conds.length) k += '|' + conds.map(([c, v]) => `${c}=${v ? 1 : 0}`).sort().join(',');
    }
    const consts: string[] = [];
    for (const [a, b] of s.consts) {
      const r = rootOf(a) ?? '';
      if (!(foldNames.has(a) || foldNames.has(r)) || !lv.has(r)) continue;
      // A field's constant: while its member is still read somewhere.
      const member = /(\w+)\s*$/.exec(a)?.[1];
      if (member && member !== r && !lv.has(member)) continue;
      // Error codes that no branch compares the name with fold alike (`if (ret)`, `if (ret < 0)`):
      // -EIO and -ENOMEM are one state for what follows (both a failure return).
      consts.push(`${a}=${/^-\s*E[A-Z0-9]+$/.test(b) && !eqLits.get(a)?.has(b.replace(/\s+/g, '')) ? '-E' : b}`);
    }
    k += consts.sort().join(',');
    return k;
  };

  /**
   * At a loop head or label: fold the iteration just finished into the loop's summary (the set of
   * iteration signatures seen, and the last one). Returns the iteration count and whether this
   * iteration repeated the one before it.
   */
  /** (head, history before the iteration, iteration kind) of the repeated iterations kept as witnesses. */
  const keptRepeats = new Set<string>();
  const atHead = (node: NodeId, s: State): { iterations: number; transition: string | null } => {
    let fi = -1;
    for (let j = s.frames.length - 1; j >= 0; j--) if (s.frames[j].head === node) { fi = j; break; }
    if (fi < 0) {
      s.frames.push({ head: node, start: s.hist.length, mark: s.hist.length, seen: [], last: '', iterations: 0 });
      return { iterations: 0, transition: null };
    }
    const f = s.frames[fi];
    // Inner loops entered during this iteration are part of its signature, by their head only: what
    // they did inside is their own summary's business, and folding it in would make every inner
    // pattern a new outer iteration.
    s.frames.length = fi + 1;
    // Signatures are interned to short ids, so summaries stay short however the loops nest.
    const sigText = s.hist.slice(f.mark).replace(/L(\d+)\{[^{}]*\}/g, 'L$1;');
    let fullSig = sigIds.get(sigText);
    if (fullSig === undefined) sigIds.set(sigText, (fullSig = `s${sigIds.size}`));
    // The key keeps what the iteration left behind (projectIteration); the witness set, the iteration as it was.
    const keyText = opts.effectOf ? projectIteration(sigText, (x) => live[node].has(x), nodeRoots, nodeEffects) : sigText;
    let sig = sigIds.get(keyText);
    if (sig === undefined) sigIds.set(keyText, (sig = `s${sigIds.size}`));
    const before = s.hist.slice(0, f.mark);
    f.iterations++;
    // A new array: clones share their frames' `seen` (copied on write, not on every clone).
    if (!f.seen.includes(sig)) f.seen = [...f.seen, sig].sort();
    f.last = sig;
    // Widening: once a head has seen more than WIDEN_AFTER different sets of iteration kinds, its
    // summary keeps only the last iteration's kind, so the states at the head stay few; every path
    // merged there is then kept as a witness up to the head (nothing it did on the way is lost).
    let sets = summariesAt.get(node);
    if (!sets) summariesAt.set(node, (sets = new Set()));
    const full = f.seen.join(',');
    const widened = !sets.has(full) && sets.size >= WIDEN_AFTER;
    if (!widened) sets.add(full);
    // The witness of an iteration as it was, when its path merges here: what it does to the objects
    // the next iteration assigns anew depends on nothing before it (they are new each time), and what
    // it does to the others is in its folded kind, so once per iteration kind is enough — unless the
    // head is widened (its key forgets the earlier iterations: then once per history before it).
    const transition = widened || /L\d+\{\*/.test(before) ? `${node}|${netOf(before)}|${fullSig}` : `${node}|${fullSig}`;
    // A loop whose iterations so far did nothing relevant leaves no trace: iterating it is the same
    // state as not entering it.
    const idle = f.seen.length === 1 && keyText === '';
    s.hist = s.hist.slice(0, f.start) + (idle ? '' : widened ? `L${node}{*|${sig}}` : `L${node}{${full}|${sig}}`);
    f.mark = s.hist.length;
    // A path merged at the head after an iteration is kept as a witness of that iteration once per
    // (history before it, iteration as it was): with folded iterations it can meet a state that
    // another kind of iteration made, and widening drops what came before the last iteration.
    // (Recorded when such a witness is emitted, not when a path goes on from here: a path that goes
    // on may still merge at a later join without becoming a witness.)
    return { iterations: f.iterations, transition };
  };

  /**
   * Paths that came back to a loop head in a new state wait here, shortest first: every iteration
   * kind is first tried from the shortest way into the loop (breadth-first over iterations), so the
   * witnesses of a loop with many iteration kinds are a few iterations long instead of a chain of
   * every kind in turn (depth-first), which made their steps grow with the cube of the kinds.
   */
  const deferred: { node: NodeId; s: State }[] = [];
  const walk = (node: NodeId, s: State, resumed = false): void => {
    for (;;) {
      if (capHit) return;
      if (++work > WORK_BUDGET || s.steps.length > MAX_STEPS_PER_PATH) {
        truncated = true;
        if (!problems.some((p) => p.kind === 'path-work')) problems.push({ kind: 'path-work', message: `the path search stopped after ${WORK_BUDGET} steps of work` });
        emit(s, 'cut', null);
        return;
      }
      if (node === END) {
        emit(s, 'fallthrough', null);
        return;
      }
      const n: Node = cfg.nodes[node];
      const h = !resumed && heads.has(node) ? atHead(node, s) : null;
      if (!resumed && ((indeg.get(node) ?? 0) > 1 || h)) {
        const key = keyOf(node, s);
        if (visited.has(key)) {
          merged++;
          // The loop's fixpoint: this iteration left the state an earlier visit left. What follows
          // was walked from that visit; the path so far is kept as a witness of the iteration, once per
          // (history before it, iteration as it was) (its end is not an exit, so only what happened on
          // the way is checked).
          if (h?.transition && !keptRepeats.has(h.transition)) {
            keptRepeats.add(h.transition);
            emit(s, 'cut', null);
          }
          return;
        }
        if (h && h.iterations > loopCap) {
          truncated = true;
          loopCut = true;
          emit(s, 'cut', null);
          return;
        }
        if (visited.size >= maxStates) {
          truncated = true;
          statesCut = true;
          emit(s, 'cut', null);
          return;
        }
        visited.add(key);
        if (h && h.iterations > 0) {
          deferred.push({ node, s });
          return;
        }
      }
      resumed = false;
      switch (n.k) {
        case 'nop': {
          if (n.loopEnter !== null) {
            // A fresh entry into the loop (an inner loop on the next outer iteration): a new frame.
            const h = cfg.loops[n.loopEnter].head;
            const fi = s.frames.findIndex((f) => f.head === h);
            if (fi >= 0) s.frames.length = fi;
          }
          node = n.next;
          continue;
        }
        case 'kill': {
          // `nr_pages--` from a known 1 is 0, `i++` from 0 is non-zero: a loop counted down from a
          // constant ends where the code says. Anything further is unknown (the values stay few, so
          // counting loops still reach their fixpoint).
          const cv = n.delta !== undefined && n.names.length === 1 ? s.consts.get(n.names[0]) : undefined;
          for (const x of n.names) kill(s, x);
          if (cv !== undefined && n.delta !== undefined) {
            const now = /^-?\d+$/.test(cv) ? Number(cv) + n.delta : null;
            if (now === 0) s.consts.set(n.names[0], '0');
            else if (now !== null && Number(cv) === 0) s.consts.set(n.names[0], NONZERO);
          }
          node = n.next;
          continue;
        }
        case 'call': {
          const idx = s.steps.length;
          push(s, n.step, node, `c${node};`);
          s.lastCall.set(node, idx);
          for (const k of n.kills) kill(s, k);
          if (n.step.assignTo) {
            kill(s, n.step.assignTo);
            s.env.set(n.step.assignTo, idx);
          }
          node = n.next;
          continue;
        }
        case 'assign':
          push(s, n.step, node, `a${node};`);
          kill(s, n.step.lhs);
          // (A field by its text without spaces, as constTestOf() names it: `trans->removing_chunk`.)
          if (n.constVal !== null) s.consts.set(/->|\./.test(n.step.lhs) ? n.step.lhs.replace(/\s+/g, '') : n.step.lhs, n.constVal);
          node = n.next;
          continue;
        case 'return':
          push(s, n.step, node, null);
          emit(s, 'return', n.step.expr);
          return;
        case 'bug':
          push(s, n.step, node, null);
          emit(s, 'bug', null);
          return;
        case 'unseen':
          push(s, n.step, node, null);
          s.gap = true;
          s.assumptions.push(n.step.text);
          emit(s, 'unknown-exit', null);
          return;
        case 'gap': {
          const last = s.steps[s.steps.length - 1];
          if (last && last.kind === 'gap' && s.lastGap === n.gap.id) {
            // The same unseen region again (after a synthetic closing brace): its exits were already
            // taken at the previous marker; only falling through remains.
            if (n.next === null) return;
            node = n.next;
            continue;
          }
          s.lastGap = n.gap.id;
          s.steps.push(n.step);
          s.nodes.push(node);
          s.hist += `g${node};`;
          s.gap = true;
          s.env.clear();
          s.consts.clear();
          s.conds.clear();
          const where = n.gap.ref.sourceLine !== null ? ` at line ${n.gap.ref.sourceLine}` : '';
          if (n.next !== null && n.noExit && n.gotos.length === 0) {
            node = n.next;
            continue;
          }
          if (n.next !== null) {
            const c = clone(s);
            c.assumptions.push(`unseen code${where} falls through`);
            walk(n.next, c);
          }
          if (!n.noExit) {
            const c = clone(s);
            c.assumptions.push(`unseen code${where} leaves the function`);
            emit(c, 'unknown-exit', null);
          }
          for (const g of n.gotos) {
            const c = clone(s);
            c.assumptions.push(`unseen code${where} jumps to ${g.label}`);
            walk(g.node, c);
          }
          return;
        }
        case 'branch': {
          const ck = n.loop === null ? condKey(n.cond) : null;
          const correlated = ck !== null && repeated.has(ck) ? ck : null;
          for (const value of [true, false]) {
            // `if (!(sbi->flags & X)) down_read(...); … if (!(sbi->flags & X)) up_read(...);`: the
            // second test of an unchanged condition answers as the first (Smatch's implied states).
            if (correlated !== null && s.conds.has(correlated) && s.conds.get(correlated) !== value) continue;
            // constants of locals
            if (n.constTest) {
              const cv = s.consts.get(n.constTest.name);
              if (cv !== undefined) {
                let truth: boolean | null;
                // An error code (`-EIO`) is non-zero: `ret == 0` after `ret = -EIO` is false. (Two
                // error names are not compared: some are one value, EAGAIN and EWOULDBLOCK.)
                const nonzero = cv === NONZERO || /^-\s*E[A-Z0-9]+$/.test(cv);
                if (n.constTest.eq !== null) truth = cv === n.constTest.eq ? true : /^-?\d+$/.test(cv) && /^-?\d+$/.test(n.constTest.eq) ? false : nonzero && /^(0+|false|NULL)$/.test(n.constTest.eq) ? false : null;
                else truth = constTruth(cv);
                if (truth !== null) {
                  if (n.constTest.negated) truth = !truth;
                  if (truth !== value) continue;
                }
              }
            }
            const facts: CallFact[] = [];
            let values = s.values;
            let feasible = true;
            if (n.facts) {
              const sub = n.facts.subject;
              const callStep = sub.kind === 'call' ? s.lastCall.get(sub.node) : s.env.get(sub.name);
              if (callStep !== undefined) {
                values = new Map(values);
                const need = value ? n.facts.trueMask : n.facts.falseMask;
                if (need !== undefined) {
                  const nx = restrict(values.get(callStep) ?? initialValue(s.steps[callStep]), need);
                  if (!nx) feasible = false;
                  else values.set(callStep, nx);
                }
                for (const f of feasible ? (value ? n.facts.onTrue : n.facts.onFalse) : []) {
                  const cur = values.get(callStep) ?? initialValue(s.steps[callStep]);
                  const nx = addFact(cur, f.rel, f.value);
                  if (!nx) {
                    feasible = false;
                    break;
                  }
                  values.set(callStep, nx);
                  facts.push(f.value !== undefined ? { callStep, relation: f.rel, value: f.value } : { callStep, relation: f.rel });
                }
              }
            }
            if (!feasible) continue;
            const c = value ? clone(s) : s;
            c.values = values;
            if (correlated !== null) c.conds.set(correlated, value);
            // A local or parameter tested on its own (`if (need_lock)`) keeps that answer until it is
            // assigned: a later test of it folds the same way (correlated branches, as Smatch's
            // implied states), so `if (x) lock; … if (x) unlock;` has no path that locks and skips the unlock.
            const ct = n.constTest;
            if (ct && ct.eq === null && !c.consts.has(ct.name) && localNames.has(ct.name)) c.consts.set(ct.name, value !== ct.negated ? NONZERO : '0');
            push(c, { kind: 'assume', cond: n.cond, value, facts, text: n.text, ref: n.ref }, node, `b${node}${value ? 1 : 0};`);
            const tied = facts.length ? ` [${facts.map((f) => `${(s.steps[f.callStep] as { call?: { name: string } }).call?.name ?? '?'}() ${describeRelation(f.relation, f.value)}`).join(', ')}]` : '';
            c.assumptions.push(`${n.cond} is ${value}${tied}`);
            walk(value ? n.t : n.f, c);
          }
          return;
        }
      }
    }
  };

  walk(cfg.entry, { conds: new Map(), steps: [], nodes: [], assumptions: [], env: new Map(), consts: new Map(), values: new Map(), lastCall: new Map(), gap: false, lastGap: null, hist: '', frames: [] });
  while (deferred.length && !capHit) {
    // The shortest waiting path next (a stable pick: the earliest of equal length).
    let bi = 0;
    for (let j = 1; j < deferred.length; j++) if (deferred[j].s.steps.length < deferred[bi].s.steps.length) bi = j;
    const d = deferred.splice(bi, 1)[0];
    walk(d.node, d.s, true);
  }
  for (const d of deferred) emit(d.s, 'cut', null);
  if (capHit && paths.length >= maxPaths) problems.push({ kind: 'path-cap', message: `more than ${maxPaths} witness paths: the search stopped at the cap` });
  if (statesCut) problems.push({ kind: 'state-cap', message: `more than ${maxStates} distinct states: the search stopped at the budget` });
  if (loopCut) problems.push({ kind: 'loop-bound', message: `a loop did not reach a fixpoint within ${loopCap} iterations on one path; longer runs were cut` });
  return { paths, truncated, problems, states: visited.size, merged };
}
