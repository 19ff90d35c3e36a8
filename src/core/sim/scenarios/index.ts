/*
 * The scenario library and the `lockstep scenario` result shape:
 *   {"scenario","verdict":"holds|violation|deadlock|bounded","states","transitions","ms","bounds",
 *    "trace":[{"task","op","location","state"}]}
 * (the violating trace step also carries "violation").
 */
import type { Trace } from '../../types';
import { explore, type ExploreStep } from '../explorer';
import type { ScenarioDef } from './types';
import { wbHandoff } from './wbHandoff';
import { stableWritesRace } from './stableWrites';
import { writebackUnderFolioLock } from './underFolioLock';
import { writebackIterBreak } from './iterBreak';
import { abandonedReadDoubleUnlock } from './abandonedRead';

export type { ScenarioDef } from './types';

const SCENARIOS: ScenarioDef[] = [wbHandoff, stableWritesRace, writebackUnderFolioLock, writebackIterBreak, abandonedReadDoubleUnlock];

export interface ScenarioOptions {
  tasks?: number;
  fixed?: boolean;
  maxStates?: number;
  maxDepth?: number;
  timeMs?: number;
  /** Partial-order reduction (default on). */
  por?: boolean;
  /**
   * Report the wall-clock time in `ms` (default false: `ms` is 0, so the same scenario gives
   * byte-identical JSON, ARCHITECTURE.md invariant 8). The time bound applies either way.
   */
  timing?: boolean;
}

export interface ScenarioResult {
  scenario: string;
  verdict: 'holds' | 'violation' | 'deadlock' | 'bounded';
  states: number;
  transitions: number;
  ms: number;
  bounds: {
    tasks: number;
    fixed: boolean;
    maxStates: number;
    maxDepth: number;
    timeMs: number;
    /** Which bound stopped the search (null: exhaustive). */
    hit: 'states' | 'depth' | 'time' | null;
    /** Set when the scenario could not run (unknown name, bad --tasks). */
    problem?: string;
  };
  trace: ExploreStep[];
}

export function scenarioList(): { name: string; description: string }[] {
  return SCENARIOS.map((s) => ({ name: s.name, description: s.description }));
}

export function scenarioDef(name: string): ScenarioDef | null {
  return SCENARIOS.find((s) => s.name === name) ?? null;
}

/** Runs a scenario exhaustively within the bounds. An unknown name or bad option is a 'bounded' result with a message, never a throw. */
export function runScenario(name: string, opts: ScenarioOptions = {}): ScenarioResult {
  const def = scenarioDef(name);
  const fixed = opts.fixed === true;
  const maxStates = opts.maxStates ?? 2_000_000;
  const maxDepth = opts.maxDepth ?? 10_000;
  const timeMs = opts.timeMs ?? 20_000;
  const empty = (message: string, tasks: number): ScenarioResult => ({
    scenario: name,
    verdict: 'bounded',
    states: 0,
    transitions: 0,
    ms: 0,
    bounds: { tasks, fixed, maxStates, maxDepth, timeMs, hit: null, problem: message },
    trace: [],
  });
  if (!def) return empty(`unknown scenario "${name}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})`, 0);
  const tasks = opts.tasks ?? def.defaultTasks;
  if (!Number.isInteger(tasks) || tasks < def.minTasks || tasks > def.maxTasks)
    return empty(`--tasks must be an integer from ${def.minTasks} to ${def.maxTasks} for ${def.name}`, tasks);
  const model = def.build({ tasks, fixed });
  const r = explore(model, { maxStates, maxDepth, timeMs, por: opts.por });
  return {
    scenario: def.name,
    verdict: r.verdict,
    states: r.states,
    transitions: r.transitions,
    ms: opts.timing === true ? r.ms : 0,
    bounds: { tasks, fixed, maxStates, maxDepth, timeMs, hit: r.bounds.hit },
    trace: r.trace,
  };
}

/** The scenario's counterexample as a timeline Trace (tasks as lanes). */
export function scenarioTrace(r: ScenarioResult): Trace {
  const def = scenarioDef(r.scenario);
  const lanes: string[] = [];
  for (const s of r.trace) if (!lanes.includes(s.task)) lanes.push(s.task);
  if (def) {
    const all = def.build({ tasks: r.bounds.tasks, fixed: r.bounds.fixed }).tasks;
    lanes.sort((a, b) => all.indexOf(a) - all.indexOf(b));
  }
  const verdict: Trace['verdict'] = r.verdict === 'holds' ? 'ok' : r.verdict;
  return {
    title: `scenario ${r.scenario}${r.bounds.fixed ? ' (fixed)' : ''}, ${r.bounds.tasks} task${r.bounds.tasks === 1 ? '' : 's'}`,
    tasks: lanes,
    steps: r.trace.map((s) => ({
      task: s.task,
      op: s.op,
      location: s.location ? { inputLine: null, sourceLine: null, file: s.location } : null,
      state: s.state,
      ...(s.violation ? { violation: s.violation } : {}),
    })),
    verdict,
    summary: summaryLine(r),
  };
}

/** The broken property or deadlock in words: the violating (last) trace step's message. */
export function scenarioMessage(r: ScenarioResult): string | null {
  const last = r.trace[r.trace.length - 1];
  return last?.violation ?? null;
}

function summaryLine(r: ScenarioResult): string {
  const scope = `${r.states} states, ${r.transitions} transitions`;
  switch (r.verdict) {
    case 'holds':
      return `holds, exhaustively (${scope})`;
    case 'bounded':
      return r.bounds.hit ? `no violation within the bounds (${r.bounds.hit} bound hit; ${scope})` : r.bounds.problem ?? 'not run';
    default:
      return `${r.verdict}: ${scenarioMessage(r) ?? ''} (${r.trace.length} steps; ${scope})`;
  }
}

export function renderScenarioText(r: ScenarioResult): string {
  const out: string[] = [];
  out.push(`scenario ${r.scenario}${r.bounds.fixed ? ' (fixed)' : ''}: ${r.bounds.tasks} task${r.bounds.tasks === 1 ? '' : 's'}`);
  const msg = scenarioMessage(r) ?? r.bounds.problem;
  out.push(`verdict: ${r.verdict}${msg ? ` — ${msg}` : ''}`);
  out.push(`explored: ${r.states} states, ${r.transitions} transitions${r.ms > 0 ? ` in ${r.ms} ms` : ''} (bounds: ${r.bounds.maxStates} states, depth ${r.bounds.maxDepth}, ${r.bounds.timeMs} ms${r.bounds.hit ? `; hit: ${r.bounds.hit}` : ''})`);
  if (r.trace.length > 0) {
    out.push('trace:');
    const w = Math.max(...r.trace.map((s) => s.task.length));
    r.trace.forEach((s, i) => {
      out.push(`  ${String(i + 1).padStart(3)}. ${s.task.padEnd(w)}  ${s.op}${s.location ? `  [${s.location}]` : ''}`);
      const st = Object.entries(s.state).map(([k, v]) => `${k}: ${v}`).join('; ');
      if (st) out.push(`       ${' '.repeat(w)}  state: ${st}`);
      if (s.violation) out.push(`       ${' '.repeat(w)}  !! ${s.violation}`);
    });
  }
  return out.join('\n') + '\n';
}
