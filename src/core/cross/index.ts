/*
 * Cross-task checks built from the patch's own functions. When a patch defines both sides of a
 * protocol that other tasks run concurrently (the begin and the end of a writethrough's stable-write
 * window, ...), the functions' own paths become task programs and the interleaving explorer runs them
 * against each other, exhaustively within its bounds. A counterexample becomes a finding on the step
 * that breaks the invariant, with the interleaving as its trace.
 */
import type { CallInfo, FunctionAnalysis, Severity, Side, SrcRef, Step, Trace, TraceStep } from '../types';
import { explore, type ExploreResult } from '../sim/index';
import { buildModel, compileProgram, opLabel, type Program } from './program';
import { stableWritesWorld } from './worlds';

export interface CrossTaskResult {
  check: string;
  rule: string;
  severity: Severity;
  side: Side;
  title: string;
  functions: string[];
  verdict: ExploreResult['verdict'];
  message: string | null;
  states: number;
  transitions: number;
  ms: number;
  /** Where the finding goes: the function and step of the move that broke the invariant. */
  anchor: { fn: FunctionAnalysis; ref: SrcRef; text: string } | null;
  related: { fn: FunctionAnalysis; ref: SrcRef; message: string }[];
  trace: Trace;
  /** Why a protocol pair was found but not explored. */
  notExplored: string | null;
}

function calls(fn: FunctionAnalysis): CallInfo[] {
  const out: CallInfo[] = [];
  for (const p of fn.paths) for (const s of p.steps) if (s.kind === 'call') out.push(s.call);
  return out;
}

const has = (cs: CallInfo[], name: RegExp, arg?: RegExp) => cs.some((c) => name.test(c.name) && (!arg || arg.test(c.args[0] ?? '')));

/** Finds the step a trace location ("file:line") and op text name in a program. */
function stepAt(program: Program, op: string, location: string | null): Step | null {
  const line = location ? Number(location.slice(location.lastIndexOf(':') + 1)) : NaN;
  for (const n of program.nodes) {
    if (n.step && opLabel(n.step) === op && (Number.isNaN(line) || n.step.ref.sourceLine === line)) return n.step;
  }
  return null;
}

function stableWritesRace(fns: FunctionAnalysis[], side: Side): CrossTaskResult[] {
  const begins = fns.filter((f) => { const c = calls(f); return has(c, /^mapping_set_stable_writes$/) && has(c, /^atomic_inc/, /i_wt_count/); });
  const ends = fns.filter((f) => { const c = calls(f); return has(c, /^mapping_clear_stable_writes$/) && has(c, /^atomic_dec/, /i_wt_count/); });
  const out: CrossTaskResult[] = [];
  for (const end of ends) for (const begin of begins) {
    const title = `${end.name} (finishing writethrough) vs ${begin.name} (starting writethrough)`;
    const pe = compileProgram(end);
    const pb = compileProgram(begin);
    const base = {
      check: 'stable-writes', rule: 'ST2', severity: 'error' as Severity, side, title, functions: [end.name, begin.name],
      anchor: null, related: [], states: 0, transitions: 0, ms: 0, message: null,
    };
    const why = pe.unsupported ? `${end.name}: ${pe.unsupported}` : pb.unsupported ? `${begin.name}: ${pb.unsupported}` : null;
    if (why) {
      out.push({ ...base, verdict: 'bounded', trace: { title, tasks: [], steps: [], verdict: 'unknown', summary: why }, notExplored: why });
      continue;
    }
    const world = stableWritesWorld([...calls(end), ...calls(begin)], { count: 1, stable: true });
    const tasks = [{ label: `end: ${end.name}`, program: pe }, { label: `begin: ${begin.name}`, program: pb }];
    const r = explore(buildModel(title, tasks, world), { maxStates: 200_000, timeMs: 5_000 });
    const byLabel = new Map(tasks.map((t) => [t.label, t.program]));
    const steps: TraceStep[] = r.trace.map((st) => {
      const prog = byLabel.get(st.task);
      const s = prog ? stepAt(prog, st.op, st.location) : null;
      return {
        task: st.task, op: st.op,
        location: s ? { ...s.ref, file: prog!.fn.file } : null,
        state: st.state, ...(st.violation ? { violation: st.violation } : {}),
      };
    });
    const last = r.trace.length ? r.trace[r.trace.length - 1] : null;
    const lastProg = last ? byLabel.get(last.task) : undefined;
    const lastStep = last && lastProg ? stepAt(lastProg, last.op, last.location) : null;
    const related: CrossTaskResult['related'] = [];
    if (r.verdict !== 'holds') {
      r.trace.forEach((st, i) => {
        if (i === r.trace.length - 1) return;
        const prog = byLabel.get(st.task);
        const s = prog ? stepAt(prog, st.op, st.location) : null;
        if (s && s.kind === 'call' && world.op(s.call)) related.push({ fn: prog!.fn, ref: s.ref, message: `step ${i + 1} of the interleaving: ${st.task} runs ${s.call.name}()` });
      });
    }
    out.push({
      ...base, verdict: r.verdict, message: r.message, states: r.states, transitions: r.transitions, ms: r.ms,
      anchor: lastStep && lastProg ? { fn: lastProg.fn, ref: lastStep.ref, text: lastStep.text } : null,
      related,
      trace: {
        title, tasks: tasks.map((t) => t.label), steps,
        verdict: r.verdict === 'holds' ? 'ok' : r.verdict === 'bounded' ? 'bounded' : r.verdict,
        summary: r.verdict === 'holds'
          ? `holds: every interleaving explored (${r.states} states)`
          : `${r.message ?? r.verdict} (${r.states} states explored)`,
      },
      notExplored: null,
    });
  }
  return out;
}

/** Every cross-task check the functions of one side of one message call for. */
export function crossTaskChecks(fns: FunctionAnalysis[], side: Side): CrossTaskResult[] {
  return [...stableWritesRace(fns, side)];
}
