/*
 * Compiles the paths of a function the patch defines into a task program for the interleaving
 * explorer: the paths share their prefixes in a trie; a task's program counter is a trie node; a
 * branch is taken by the call results the task itself recorded, so no choice is guessed. Calls the
 * world does not model run as local steps (they touch no shared state the world knows of).
 */
import type { CallFact, CallInfo, FunctionAnalysis, Step } from '../types';
import type { Model, Move } from '../sim/index';

export interface TrieNode {
  step: Step | null;
  /** Index of the step in its paths (the CallFact.callStep numbering). */
  depth: number;
  children: number[];
}

export interface Program {
  fn: FunctionAnalysis;
  nodes: TrieNode[];
  maxDepth: number;
  /** Why the function cannot be a task program (gaps, branches on things other than call results). */
  unsupported: string | null;
}

const stepKey = (s: Step): string =>
  `${s.kind}|${s.text}|${s.kind === 'assume' ? String(s.value) : ''}|${s.ref.sourceLine ?? ''}`;

export function compileProgram(fn: FunctionAnalysis): Program {
  const nodes: TrieNode[] = [{ step: null, depth: -1, children: [] }];
  let maxDepth = 0;
  let unsupported: string | null = fn.notAnalysed ? `not analysed: ${fn.notAnalysed}` : fn.truncated ? 'its paths were truncated' : null;
  for (const p of fn.paths) {
    if (p.end === 'cut' || p.end === 'unknown-exit') unsupported ??= `path ${p.id} leaves through code the patch does not show`;
    let at = 0;
    p.steps.forEach((s, i) => {
      if (s.kind === 'gap') unsupported ??= 'it contains code the patch does not show';
      const key = stepKey(s);
      let next = nodes[at].children.find((c) => stepKey(nodes[c].step!) === key);
      if (next === undefined) {
        next = nodes.length;
        nodes.push({ step: s, depth: i, children: [] });
        nodes[at].children.push(next);
      }
      at = next;
      maxDepth = Math.max(maxDepth, i + 1);
    });
  }
  for (const n of nodes) {
    const kids = n.children.map((c) => nodes[c].step!);
    if (kids.length > 1 && kids.some((k) => k.kind !== 'assume' || k.facts.length === 0)) {
      unsupported ??= `a branch at line ${kids[0].ref.sourceLine ?? '?'} does not depend on a call result`;
    }
  }
  return { fn, nodes, maxDepth, unsupported };
}

/** How a step reads on the timeline (branches say which way they went). */
export function opLabel(s: Step): string {
  return s.kind === 'assume' ? `branch: ${s.cond} is ${s.value}` : s.text;
}

/** Does a recorded call result satisfy a branch fact? Unknown relations never hold. */
export function factHolds(f: CallFact, r: number): boolean {
  switch (f.relation) {
    case 'true': case 'nonzero': case 'nonnull': return r !== 0;
    case 'false': case 'zero': case 'null': return r === 0;
    case 'negative': case 'is-err': return r < 0;
    case 'nonnegative': case 'not-err': return r >= 0;
    case 'eq': return f.value !== undefined && /^-?\d+$/.test(f.value.trim()) && r === Number(f.value);
    case 'ne': return f.value !== undefined && /^-?\d+$/.test(f.value.trim()) && r !== Number(f.value);
    default: return false;
  }
}

/** What a modelled call does when a task runs it. */
export type OpResult =
  | number                                  // done; the call's result
  | { blocked: string; owner: number }      // must wait (the state is not changed)
  | { again: true }                         // changed the state but is not finished (queued as a waiter)
  | { violation: string; result?: number }; // a kernel assertion or model rule broke

/** The shared part of the state the tasks race on, and what each modelled call does to it. */
export interface CrossWorld {
  slots: string[];
  init: number[];
  /**
   * The effect of a call on the shared slots (state `s`, task `t`, `phase`: index of a per-task slot the
   * op may use across `again` steps), or null when the call is outside the world.
   */
  op(call: CallInfo): { footprint: number; apply(s: number[], t: number, phase: number): OpResult } | null;
  invariants: { name: string; check(s: readonly number[]): string | null }[];
  /** Checked only at quiescence. */
  atQuiescence?: { name: string; check(s: readonly number[]): string | null }[];
  display(s: readonly number[]): Record<string, string>;
  /**
   * Index of a slot set to 1 when a task's path assumed a result the world did not give: that
   * interleaving does not happen, so tasks stop and no invariant is checked in it.
   */
  infeasible?: number;
}

/** A task: a program, and optionally a gate (a collector waits for work) taken once at its start. */
export interface CrossTask {
  label: string;
  program: Program;
  gate?: { what: string; ready(s: readonly number[]): boolean; take(s: number[]): void };
}

/** States are small non-negative ints (the explorer packs them into strings): results are biased. */
const RESULT_BIAS = 32768;

/** Builds an explorer model: one task per program, running against the world. */
export function buildModel(name: string, tasks: CrossTask[], world: CrossWorld): Model {
  const shared = world.slots.length;
  const base: number[] = [];
  let size = shared;
  // Per task: program counter, started (gate taken), op phase, one result slot per depth.
  for (const t of tasks) {
    base.push(size);
    size += 3 + t.program.maxDepth;
  }
  const init = new Array<number>(size).fill(0);
  world.init.forEach((v, i) => { init[i] = v; });
  const inf = world.infeasible;
  const res = (b: number, depth: number) => b + 3 + depth;

  const next = (s: readonly number[], ti: number): Move => {
    const { program, gate } = tasks[ti];
    const b = base[ti];
    if (inf !== undefined && s[inf]) return { kind: 'done' };
    if (gate && !s[b + 1]) {
      if (!gate.ready(s)) return { kind: 'idle' };
      return { kind: 'step', op: gate.what, location: null, footprint: undefined, apply: (x) => { gate.take(x); x[b + 1] = 1; } };
    }
    const node = program.nodes[s[b]];
    if (node.children.length === 0) return { kind: 'done' };
    const first = program.nodes[node.children[0]];
    const file = program.fn.file;
    const loc = (st: Step) => `${file}:${st.ref.sourceLine ?? '?'}`;
    if (first.step!.kind === 'assume') {
      // A fact about a call the world did not model (its slot never written) constrains nothing.
      const holds = (st: Step) => st.kind === 'assume' && st.facts.every((f) => s[res(b, f.callStep)] === 0 || factHolds(f, s[res(b, f.callStep)] - RESULT_BIAS));
      const pick = node.children.find((c) => holds(program.nodes[c].step!));
      if (pick === undefined) {
        if (inf === undefined) return { kind: 'done' };
        return { kind: 'step', op: `${opLabel(first.step!)} (not this interleaving)`, location: loc(first.step!), footprint: undefined, apply: (x) => { x[inf] = 1; } };
      }
      const st = program.nodes[pick].step!;
      return { kind: 'step', op: opLabel(st), location: loc(st), footprint: 0, apply: (x) => { x[b] = pick; } };
    }
    const child = node.children[0];
    const st = first.step!;
    if (st.kind === 'call') {
      const eff = world.op(st.call);
      if (eff) {
        // Ask first whether it would block, on a scratch copy, so a blocked task does not move.
        const r = eff.apply([...s], ti, b + 2);
        if (typeof r === 'object' && 'blocked' in r) return { kind: 'blocked', on: r.blocked, owner: r.owner };
        return {
          kind: 'step', op: st.text, location: loc(st), footprint: eff.footprint,
          apply: (x) => {
            const out = eff.apply(x, ti, b + 2);
            if (typeof out === 'object' && 'again' in out) return undefined;
            if (typeof out === 'object' && 'violation' in out) {
              x[res(b, first.depth)] = (out.result ?? 0) + RESULT_BIAS;
              x[b] = child;
              return out.violation;
            }
            x[res(b, first.depth)] = (out as number) + RESULT_BIAS;
            x[b] = child;
            return undefined;
          },
        };
      }
    }
    return { kind: 'step', op: opLabel(st), location: loc(st), footprint: 0, apply: (x) => { x[b] = child; } };
  };

  const guard = (list: { name: string; check(s: readonly number[]): string | null }[]) =>
    list.map((iv) => ({ name: iv.name, check: (s: readonly number[]) => (inf !== undefined && s[inf] ? null : iv.check(s)) }));
  return {
    name,
    tasks: tasks.map((t) => t.label),
    init,
    next,
    invariants: guard(world.invariants),
    ...(world.atQuiescence ? { atQuiescence: guard(world.atQuiescence) } : {}),
    display: (s) => world.display(s),
  };
}
