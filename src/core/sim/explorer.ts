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
      op: string;
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

  // visited: key → sleep mask it was (last) expanded with; parent links for the trace.
  const sleepOf = new Map<string, number>();
  const parent = new Map<string, string>();
  const parentTask = new Map<string, number>();
  const depthOf = new Map<string, number>();
  let queueK: string[] = [];
  let queueZ: number[] = [];
  let transitions = 0;
  let maxDepthReached = 0;
  let hit: ExploreResult['bounds']['hit'] = null;

  /** `extra`: one more step (task t from endKey) when the violating transition led to an already-visited state. */
  const finish = (verdict: ExploreResult['verdict'], message: string | null, endKey: string | null, extra?: { task: number; msg: string }): ExploreResult => {
    const trace = endKey === null ? [] : buildTrace(model, endKey, parent, parentTask, extra);
    if (endKey !== null && message && trace.length > 0 && !trace[trace.length - 1].violation) trace[trace.length - 1].violation = message;
    return {
      verdict,
      message,
      states: sleepOf.size,
      transitions,
      ms: Date.now() - t0,
      maxDepthReached,
      bounds: { maxStates, maxDepth, timeMs, hit },
      trace,
    };
  };

  const init = model.init.slice();
  const k0 = keyOf(init);
  for (const inv of invariants) {
    const m = inv.check(init);
    if (m) { sleepOf.set(k0, 0); return finish('violation', `${inv.name}: ${m}`, k0); }
  }
  sleepOf.set(k0, 0);
  depthOf.set(k0, 0);
  queueK.push(k0);
  queueZ.push(0);

  let head = 0;
  while (head < queueK.length) {
    if ((head & 1023) === 0 && Date.now() - t0 > timeMs) { hit = 'time'; return finish('bounded', null, null); }
    const key = queueK[head];
    let sleep = queueZ[head];
    head++;
    if (head > 65536) { queueK = queueK.slice(head); queueZ = queueZ.slice(head); head = 0; }
    const s = stateOf(key);
    const depth = depthOf.get(key)!;
    if (depth > maxDepthReached) maxDepthReached = depth;

    const moves: Move[] = new Array(n);
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
        return finish('deadlock', `deadlock (wait-for cycle${cyc.length === 1 ? ': a task waits on itself' : ''}): ${who}`, key);
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
        return finish('deadlock', `deadlock (no task can run): ${who}`, key);
      }
      for (const inv of quiet) {
        const m = inv.check(s);
        if (m) return finish('violation', `${inv.name}: ${m}`, key);
      }
      continue;
    }
    if (depth >= maxDepth) { hit = 'depth'; continue; }

    // Ample set: the first enabled local step alone.
    let order: number[] = [];
    if (por) {
      for (let t = 0; t < n; t++) {
        const m = moves[t];
        if (m.kind === 'step' && m.footprint === 0 && !((sleep >> t) & 1)) { order = [t]; break; }
      }
    }
    const ample = order.length === 1;
    if (!ample) for (let t = 0; t < n; t++) if (moves[t].kind === 'step') order.push(t);

    let done = 0; // tasks already explored from this state (join the sleep set of later siblings)
    for (const t of order) {
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
      const prev = sleepOf.get(nk);
      if (prev === undefined) {
        sleepOf.set(nk, nz);
        parent.set(nk, key);
        parentTask.set(nk, t);
        depthOf.set(nk, depth + 1);
        if (err) return finish('violation', err, nk);
        for (const inv of invariants) {
          const msg = inv.check(ns);
          if (msg) return finish('violation', `${inv.name}: ${msg}`, nk);
        }
        if (sleepOf.size >= maxStates) { hit = 'states'; return finish('bounded', null, null); }
        queueK.push(nk);
        queueZ.push(nz);
      } else {
        if (err) return finish('violation', err, key, { task: t, msg: err });
        if ((prev & nz) !== prev) {
          // Reached with a smaller sleep set: expand again with the intersection.
          const z = prev & nz;
          sleepOf.set(nk, z);
          queueK.push(nk);
          queueZ.push(z);
        }
      }
    }
    sleep = 0;
  }
  return finish(hit ? 'bounded' : 'holds', null, null);
}

function buildTrace(model: Model, endKey: string, parent: Map<string, string>, parentTask: Map<string, number>, extra?: { task: number; msg: string }): ExploreStep[] {
  const chain: string[] = [endKey];
  let k = endKey;
  while (parent.has(k)) { k = parent.get(k)!; chain.push(k); }
  chain.reverse();
  const hops: { from: string; task: number }[] = [];
  for (let i = 1; i < chain.length; i++) hops.push({ from: chain[i - 1], task: parentTask.get(chain[i])! });
  if (extra) hops.push({ from: endKey, task: extra.task });
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
      op = m.op;
      location = m.location ?? null;
      const err = m.apply(ns);
      if (err) violation = err;
    }
    steps.push({ task: model.tasks[t], op, location, state: model.display ? model.display(ns) : {}, ...(violation ? { violation } : {}) });
  }
  return steps;
}
