/*
 * Bounded, deterministic path enumeration over a Cfg: depth-first, then-branch first; loops run at
 * most `loopUnroll` times; at most `maxPaths` paths. Branch facts are tied to the call step whose
 * result they test; a path whose facts about one call result contradict each other is pruned.
 */
import type { CallFact, Path, PathEnd, Problem, Step } from '../types';
import type { Cfg, Node, NodeId } from './graph';
import { END } from './graph';
import { addFact, describeRelation, freshValue, type ValueState } from './facts';

export interface PathOptions {
  maxPaths?: number;
  loopUnroll?: number;
  parseTimeMs?: number;
  maxParseErrors?: number;
}

export interface PathResult {
  paths: Path[];
  truncated: boolean;
  problems: Problem[];
}

interface State {
  steps: Step[];
  assumptions: string[];
  /** variable text → index of the call step whose result it holds */
  env: Map<string, number>;
  consts: Map<string, string>;
  values: Map<number, ValueState>;
  /** call node → index of its latest step */
  lastCall: Map<NodeId, number>;
  visits: Map<NodeId, number>;
  gap: boolean;
  /** Id of the gap whose step was pushed last (to merge consecutive markers of one gap). */
  lastGap: number | null;
}

const MAX_STEPS_PER_PATH = 4000;
const WORK_BUDGET = 400000;

function clone(s: State): State {
  return {
    steps: s.steps.slice(),
    assumptions: s.assumptions.slice(),
    env: new Map(s.env),
    consts: new Map(s.consts),
    values: new Map(s.values),
    lastCall: new Map(s.lastCall),
    visits: new Map(s.visits),
    gap: s.gap,
    lastGap: s.lastGap,
  };
}

function kill(s: State, name: string): void {
  s.env.delete(name);
  s.consts.delete(name);
}

function constTruth(v: string): boolean | null {
  if (/^(0+|false|NULL)$/.test(v)) return false;
  if (/^(\d+|true)$/.test(v) || /^-\s*\d+$/.test(v) || /^-\s*E[A-Z0-9]+$/.test(v)) return true;
  return null;
}

export function enumeratePaths(cfg: Cfg, opts: PathOptions = {}): PathResult {
  const maxPaths = opts.maxPaths ?? 256;
  const unroll = Math.max(0, opts.loopUnroll ?? 2);
  const paths: Path[] = [];
  const problems: Problem[] = [];
  let truncated = false;
  let capHit = false;
  let loopCut = false;
  let work = 0;

  const emit = (s: State, end: PathEnd, returnExpr: string | null): void => {
    if (paths.length >= maxPaths) {
      truncated = true;
      capHit = true;
      return;
    }
    paths.push({ id: `p${paths.length}`, steps: s.steps, end, returnExpr, assumptions: s.assumptions, crossesGap: s.gap });
  };

  const loopHeadOf = (lid: number): NodeId => cfg.loops[lid].head;

  const walk = (node: NodeId, s: State): void => {
    for (;;) {
      if (capHit) return;
      if (++work > WORK_BUDGET || s.steps.length > MAX_STEPS_PER_PATH) {
        truncated = true;
        if (!problems.some((p) => p.kind === 'path-work')) problems.push({ kind: 'path-work', message: `path enumeration stopped after ${WORK_BUDGET} steps of work` });
        emit(s, 'cut', null);
        return;
      }
      if (node === END) {
        emit(s, cfg.returnsVoid ? 'fallthrough' : 'fallthrough', null);
        return;
      }
      const n: Node = cfg.nodes[node];
      switch (n.k) {
        case 'nop': {
          if (n.loopEnter !== null) s.visits.set(loopHeadOf(n.loopEnter), 0);
          if (n.loopHead !== null || n.label !== null) {
            const v = (s.visits.get(node) ?? 0) + 1;
            s.visits.set(node, v);
            const limit = n.loopHead !== null ? (cfg.loops[n.loopHead].condless ? unroll : unroll + 1) : unroll + 2;
            if (v > limit) {
              truncated = true;
              loopCut = true;
              emit(s, 'cut', null);
              return;
            }
          }
          node = n.next;
          continue;
        }
        case 'kill':
          for (const x of n.names) kill(s, x);
          node = n.next;
          continue;
        case 'call': {
          const idx = s.steps.length;
          s.steps.push(n.step);
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
          s.steps.push(n.step);
          kill(s, n.step.lhs);
          if (n.constVal !== null) s.consts.set(n.step.lhs, n.constVal);
          node = n.next;
          continue;
        case 'return':
          s.steps.push(n.step);
          emit(s, 'return', n.step.expr);
          return;
        case 'bug':
          s.steps.push(n.step);
          emit(s, 'bug', null);
          return;
        case 'unseen':
          s.steps.push(n.step);
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
          s.gap = true;
          s.env.clear();
          s.consts.clear();
          const where = n.gap.ref.sourceLine !== null ? ` at line ${n.gap.ref.sourceLine}` : '';
          if (n.next !== null && n.noExit && n.gotos.length === 0) {
            s.env.clear();
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
          const exhausted = n.loop !== null && n.bodyEdge !== null && loopExhausted(n.loop, s);
          for (const value of [true, false]) {
            if (exhausted && ((value && n.bodyEdge === 't') || (!value && n.bodyEdge === 'f'))) continue;
            // constants of locals
            if (n.constTest) {
              const cv = s.consts.get(n.constTest.name);
              if (cv !== undefined) {
                let truth: boolean | null;
                if (n.constTest.eq !== null) truth = cv === n.constTest.eq ? true : /^-?\d+$/.test(cv) && /^-?\d+$/.test(n.constTest.eq) ? false : null;
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
                for (const f of value ? n.facts.onTrue : n.facts.onFalse) {
                  const cur = values.get(callStep) ?? freshValue();
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
            const c = clone(s);
            c.values = values;
            c.steps.push({ kind: 'assume', cond: n.cond, value, facts, text: n.text, ref: n.ref });
            const tied = facts.length ? ` [${facts.map((f) => `${(s.steps[f.callStep] as { call?: { name: string } }).call?.name ?? '?'}() ${describeRelation(f.relation, f.value)}`).join(', ')}]` : '';
            c.assumptions.push(`${n.cond} is ${value}${tied}`);
            walk(value ? n.t : n.f, c);
          }
          return;
        }
      }
    }
  };

  const loopExhausted = (lid: number, s: State): boolean => {
    const v = s.visits.get(cfg.loops[lid].head) ?? 0;
    return cfg.loops[lid].kind === 'do' ? v >= unroll : v > unroll;
  };

  walk(cfg.entry, { steps: [], assumptions: [], env: new Map(), consts: new Map(), values: new Map(), lastCall: new Map(), visits: new Map(), gap: false, lastGap: null });
  if (capHit) problems.push({ kind: 'path-cap', message: `more than ${maxPaths} paths: enumeration stopped at the cap` });
  if (loopCut) problems.push({ kind: 'loop-bound', message: `a loop without a visible exit condition was cut after ${unroll} iterations` });
  return { paths, truncated, problems };
}
