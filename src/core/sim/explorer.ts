/*
 * The interleaving explorer: exhaustive breadth-first search over the interleavings of N tasks of a
 * Model (a small int-vector state machine), with a visited-state set, partial-order reduction and
 * explicit bounds. Breadth-first, so the counterexample it returns is a shortest one.
 *
 * Reduction (both sound for deadlocks, assertion violations and state invariants):
 *  - ample sets of size one for local steps (footprint 0: touches nothing another task reads or
 *    writes, and no invariant); the programs are acyclic, so the cycle proviso holds;
 *  - sleep sets with state caching (a state is re-expanded only when reached with a sleep set that
 *    is not a superset of the one it was expanded with).
 * Determinism: tasks are tried in index order; no clocks reach anything but `ms` and the time bound.
 */

/** What a task does next in a state. */
export type Move =
  | {
      kind: 'step';
      /** The operation in words; a function when building the text is costly (only traces need it). */
      op: string | (() => string);
      location?: string | null;
      /** Shared variables touched (bitmask); 0 = task-local; undefined = conflicts with everything. */
      footprint?: number;
      /** Mutates the (copied) state; returns a violation message (kernel assertion) or nothing. */
      apply(s: number[]): string | void | undefined;
    }
  /** Waiting for something; `owner` is the task that holds it (-1 none/unknown) for wait-for cycles. */
  | { kind: 'blocked'; on: string; owner?: number }
  | { kind: 'done' }
  /** Waiting for work (a collector with an empty queue): not a deadlock at quiescence. */
  | { kind: 'idle' };

export interface Invariant {
  name: string;
  /** A message when broken in state s, else null. */
  check(s: readonly number[]): string | null;
}

export interface Model {
  name: string;
  tasks: string[];
  init: number[];
  next(s: readonly number[], t: number): Move;
  invariants?: Invariant[];
  /** Checked only when no task can move and none is blocked (quiescence). */
  atQuiescence?: Invariant[];
  display?(s: readonly number[]): Record<string, string>;
}

export interface ExploreOptions {
  maxStates?: number;
  maxDepth?: number;
  timeMs?: number;
  /** Partial-order reduction on (default) or off (for measuring it). */
  por?: boolean;
}

export interface ExploreStep {
  task: string;
  op: string;
  location: string | null;
  state: Record<string, string>;
  violation?: string;
}

export interface ExploreResult {
  verdict: 'holds' | 'violation' | 'deadlock' | 'bounded';
  /** The invariant or assertion broken, or the deadlock, in words (null when it holds). */
  message: string | null;
  states: number;
  transitions: number;
  ms: number;
  maxDepthReached: number;
  bounds: { maxStates: number; maxDepth: number; timeMs: number; hit: 'states' | 'depth' | 'time' | null };
  trace: ExploreStep[];
}

const keyOf = (s: readonly number[]): string => String.fromCharCode.apply(null, s as number[]);
const stateOf = (k: string): number[] => {
  const a = new Array<number>(k.length);
  for (let i = 0; i < k.length; i++) a[i] = k.charCodeAt(i);
  return a;
};

function dependent(a: number | undefined, b: number | undefined): boolean {
  return a === undefined || b === undefined || (a & b) !== 0;
}

/** Finds a wait-for cycle (including a task waiting on itself) among blocked tasks. */
function waitCycle(moves: Move[]): number[] | null {
  for (let start = 0; start < moves.length; start++) {
    const seen: number[] = [];
    let t = start;
    while (true) {
      const m = moves[t];
      if (m.kind !== 'blocked' || m.owner === undefined || m.owner < 0 || m.owner >= moves.length) break;
      seen.push(t);
      t = m.owner;
      if (t === start) return seen;
      if (seen.includes(t)) break;
    }
  }
  return null;
}

export function explore(model: Model, opts: ExploreOptions = {}): ExploreResult {
  const maxStates = opts.maxStates ?? 2_000_000;
  const maxDepth = opts.maxDepth ?? 10_000;
  const timeMs = opts.timeMs ?? 20_000;
  const por = opts.por !== false;
  const t0 = Date.now();
  const n = model.tasks.length;
  const invariants = model.invariants ?? [];
  const quiet = model.atQuiescence ?? [];

  // Visited states by id: key, sleep mask it was (last) expanded with, parent link, task, depth.
  const ids = new Map<string, number>();
  const keys: string[] = [];
  const sleepOf: number[] = [];
  const parentOf: number[] = [];
  const taskOf: number[] = [];
  const depthOf: number[] = [];
  let queueId: number[] = [];
  let queueZ: number[] = [];
  let transitions = 0;
  let maxDepthReached = 0;
  let hit: ExploreResult['bounds']['hit'] = null;
  const addState = (k: string, parent: number, task: number, depth: number, z: number): number => {
    const id = keys.length;
    ids.set(k, id);
    keys.push(k);
    sleepOf.push(z);
    parentOf.push(parent);
    taskOf.push(task);
    depthOf.push(depth);
    return id;
  };

  /** `extra`: one more step (task t from endId) when the violating transition led to an already-visited state. */
  const finish = (verdict: ExploreResult['verdict'], message: string | null, endId: number | null, extra?: { task: number; msg: string }): ExploreResult => {
    const trace = endId === null ? [] : buildTrace(model, endId, keys, parentOf, taskOf, extra);
    if (endId !== null && message && trace.length > 0 && !trace[trace.length - 1].violation) trace[trace.length - 1].violation = message;
    return {
      verdict,
      message,
      states: keys.length,
      transitions,
      ms: Date.now() - t0,
      maxDepthReached,
      bounds: { maxStates, maxDepth, timeMs, hit },
      trace,
    };
  };

  const init = model.init.slice();
  const id0 = addState(keyOf(init), -1, -1, 0, 0);
  for (const inv of invariants) {
    const m = inv.check(init);
    if (m) return finish('violation', `${inv.name}: ${m}`, id0);
  }
  queueId.push(id0);
  queueZ.push(0);

  const moves: Move[] = new Array(n);
  const order: number[] = [];
  let head = 0;
  while (head < queueId.length) {
    if ((head & 1023) === 0 && Date.now() - t0 > timeMs) { hit = 'time'; return finish('bounded', null, null); }
    const id = queueId[head];
    const sleep = queueZ[head];
    head++;
    if (head > 65536) { queueId = queueId.slice(head); queueZ = queueZ.slice(head); head = 0; }
    const s = stateOf(keys[id]);
    const depth = depthOf[id];
    if (depth > maxDepthReached) maxDepthReached = depth;

    let anyStep = false;
    let anyBlocked = false;
    for (let t = 0; t < n; t++) {
      const m = model.next(s, t);
      moves[t] = m;
      if (m.kind === 'step') anyStep = true;
      else if (m.kind === 'blocked') anyBlocked = true;
    }
    if (anyBlocked) {
      const cyc = waitCycle(moves);
      if (cyc) {
        const who = cyc.map((t) => `${model.tasks[t]} waits for ${(moves[t] as { on: string }).on}`).join('; ');
        return finish('deadlock', `deadlock (wait-for cycle${cyc.length === 1 ? ': a task waits on itself' : ''}): ${who}`, id);
      }
    }
    if (!anyStep) {
      if (anyBlocked) {
        const who = moves
          .map((m, t) => {
            if (m.kind !== 'blocked') return null;
            const o = m.owner !== undefined && m.owner >= 0 && m.owner < n ? m.owner : -1;
            const held = o >= 0 ? ` (held by ${model.tasks[o]}${moves[o].kind === 'done' ? ', which has finished' : ''})` : '';
            return `${model.tasks[t]} waits for ${m.on}${held}`;
          })
          .filter((x) => x !== null)
          .join('; ');
        return finish('deadlock', `deadlock (no task can run): ${who}`, id);
      }
      for (const inv of quiet) {
        const m = inv.check(s);
        if (m) return finish('violation', `${inv.name}: ${m}`, id);
      }
      continue;
    }
    if (depth >= maxDepth) { hit = 'depth'; continue; }

    // Ample set: the first enabled local step alone.
    order.length = 0;
    if (por) {
      for (let t = 0; t < n; t++) {
        const m = moves[t];
        if (m.kind === 'step' && m.footprint === 0 && !((sleep >> t) & 1)) { order.push(t); break; }
      }
    }
    const ample = order.length === 1;
    if (!ample) for (let t = 0; t < n; t++) if (moves[t].kind === 'step') order.push(t);

    let done = 0; // tasks already explored from this state (join the sleep set of later siblings)
    for (let oi = 0; oi < order.length; oi++) {
      const t = order[oi];
      if (por && !ample && (sleep >> t) & 1) continue;
      const m = moves[t] as Extract<Move, { kind: 'step' }>;
      const ns = s.slice();
      const err = m.apply(ns);
      transitions++;
      const nk = keyOf(ns);
      // Sleep set of the successor: sleeping or earlier-explored tasks whose next step is independent of this one.
      let nz = 0;
      if (por && !ample) {
        const cand = sleep | done;
        for (let u = 0; u < n; u++) {
          if (!((cand >> u) & 1) || u === t) continue;
          const mu = moves[u];
          if (mu.kind === 'step' && !dependent(mu.footprint, m.footprint)) nz |= 1 << u;
        }
      } else if (por && ample) {
        nz = sleep; // a local step is independent of everything
      }
      done |= 1 << t;
      const prevId = ids.get(nk);
      if (prevId === undefined) {
        const nid = addState(nk, id, t, depth + 1, nz);
        if (err) return finish('violation', err, nid);
        for (const inv of invariants) {
          const msg = inv.check(ns);
          if (msg) return finish('violation', `${inv.name}: ${msg}`, nid);
        }
        if (keys.length >= maxStates) { hit = 'states'; return finish('bounded', null, null); }
        queueId.push(nid);
        queueZ.push(nz);
      } else {
        if (err) return finish('violation', err, id, { task: t, msg: err });
        const prev = sleepOf[prevId];
        if ((prev & nz) !== prev) {
          // Reached with a smaller sleep set: expand again with the intersection.
          const z = prev & nz;
          sleepOf[prevId] = z;
          queueId.push(prevId);
          queueZ.push(z);
        }
      }
    }
  }
  return finish(hit ? 'bounded' : 'holds', null, null);
}

function buildTrace(model: Model, endId: number, keys: string[], parentOf: number[], taskOf: number[], extra?: { task: number; msg: string }): ExploreStep[] {
  const chain: number[] = [endId];
  let k = endId;
  while (parentOf[k] >= 0) { k = parentOf[k]; chain.push(k); }
  chain.reverse();
  const hops: { from: string; task: number }[] = [];
  for (let i = 1; i < chain.length; i++) hops.push({ from: keys[chain[i - 1]], task: taskOf[chain[i]] });
  if (extra) hops.push({ from: keys[endId], task: extra.task });
  const steps: ExploreStep[] = [];
  for (const h of hops) {
    const s = stateOf(h.from);
    const t = h.task;
    const m = model.next(s, t);
    const ns = s.slice();
    let violation: string | undefined;
    let op = '?';
    let location: string | null = null;
    if (m.kind === 'step') {
      op = typeof m.op === 'function' ? m.op() : m.op;
      location = m.location ?? null;
      const err = m.apply(ns);
      if (err) violation = err;
    }
    steps.push({ task: model.tasks[t], op, location, state: model.display ? model.display(ns) : {}, ...(violation ? { violation } : {}) });
  }
  return steps;
}
