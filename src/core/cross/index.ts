/*
 * Cross-task checks built from the patch's own functions. When a patch defines both sides of a
 * protocol that other tasks run concurrently (the begin and the end of a writethrough's stable-write
 * window, ...), the functions' own paths become task programs and the interleaving explorer runs them
 * against each other, exhaustively within its bounds. A counterexample becomes a finding on the step
 * that breaks the invariant, with the interleaving as its trace.
 */
import type { CallInfo, FunctionAnalysis, Path, Severity, Side, SrcRef, Step, Trace, TraceStep } from '../types';
import { explore, type ExploreResult } from '../sim/index';
import { buildModel, compileProgram, opLabel, type Program } from './program';
import { stableWritesWorld } from './worlds';
import { wbHandoffWorld } from './wbHandoff';
import type { CrossTask } from './program';

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
  /** The counterexample in short: the modelled operations in order ("writer 2 netfs_wb_begin()"). */
  interleaving: string[];
}

function shortInterleaving(r: ExploreResult, byLabel: Map<string, Program>, modelled: (c: CallInfo) => boolean): string[] {
  const out: string[] = [];
  r.trace.forEach((st, i) => {
    const prog = byLabel.get(st.task);
    const s = prog ? stepAt(prog, st.op, st.location) : null;
    const who = st.task.split(':')[0];
    if (s && s.kind === 'call' && modelled(s.call)) out.push(`${who} ${s.call.name}()`);
    else if (i === r.trace.length - 1 || (!prog && st.location === null)) out.push(`${who} ${st.op.replace(/\(.*$/, '()')}`);
  });
  return out;
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
    const title = `race between ${end.name} (finishing a writethrough) and ${begin.name} (starting one)`;
    const pe = compileProgram(end);
    const pb = compileProgram(begin);
    const head = { check: 'stable-writes', rule: 'ST2', severity: 'error' as Severity, side, title, functions: [end.name, begin.name] };
    const base = { ...head, anchor: null, related: [], states: 0, transitions: 0, ms: 0, message: null };
    const why = pe.unsupported ? `${end.name}: ${pe.unsupported}` : pb.unsupported ? `${begin.name}: ${pb.unsupported}` : null;
    if (why) {
      out.push({ ...base, verdict: 'bounded', trace: { title, tasks: [], steps: [], verdict: 'unknown', summary: why }, notExplored: why, interleaving: [] });
      continue;
    }
    const world = stableWritesWorld([...calls(end), ...calls(begin)], { count: 1, stable: true });
    const tasks = [{ label: `end: ${end.name}`, program: pe }, { label: `begin: ${begin.name}`, program: pb }];
    const r = explore(buildModel(title, tasks, world), { maxStates: 200_000, timeMs: 5_000 });
    const byLabel = new Map(tasks.map((t) => [t.label, t.program]));
    out.push(fromExploration(head, r, byLabel, tasks.map((t) => t.label), (c) => world.op(c) !== null, r.states));
  }
  return out;
}

/** Converts an exploration into the result the façade reports. */
function fromExploration(
  base: Omit<CrossTaskResult, 'verdict' | 'message' | 'states' | 'transitions' | 'ms' | 'anchor' | 'related' | 'trace' | 'notExplored' | 'interleaving'>,
  r: ExploreResult, byLabel: Map<string, Program>, tasks: string[], modelled: (c: CallInfo) => boolean, states: number,
): CrossTaskResult {
  const steps: TraceStep[] = r.trace.map((st) => {
    const prog = byLabel.get(st.task);
    const s = prog ? stepAt(prog, st.op, st.location) : null;
    return {
      task: st.task, op: st.op, location: s ? { ...s.ref, file: prog!.fn.file } : null,
      state: st.state, ...(st.violation ? { violation: st.violation } : {}),
    };
  });
  let anchor: CrossTaskResult['anchor'] = null;
  for (let i = r.trace.length - 1; i >= 0 && !anchor; i--) {
    const prog = byLabel.get(r.trace[i].task);
    const s = prog ? stepAt(prog, r.trace[i].op, r.trace[i].location) : null;
    if (prog && s) anchor = { fn: prog.fn, ref: s.ref, text: s.text };
  }
  const related: CrossTaskResult['related'] = [];
  r.trace.forEach((st, i) => {
    if (i === r.trace.length - 1) return;
    const prog = byLabel.get(st.task);
    const s = prog ? stepAt(prog, st.op, st.location) : null;
    if (s && s.kind === 'call' && modelled(s.call)) related.push({ fn: prog!.fn, ref: s.ref, message: `step ${i + 1} of the interleaving: ${st.task} runs ${s.call.name}()` });
  });
  return {
    ...base, verdict: r.verdict, message: r.message, states, transitions: r.transitions, ms: r.ms, anchor, related,
    trace: {
      title: base.title, tasks, steps,
      verdict: r.verdict === 'holds' ? 'ok' : r.verdict === 'bounded' ? 'bounded' : r.verdict,
      summary: r.verdict === 'holds' ? `holds: every interleaving explored (${states} states)` : `${r.message ?? r.verdict} (${states} states explored)`,
    },
    notExplored: null,
    interleaving: shortInterleaving(r, byLabel, modelled),
  };
}

const MAX_COMBOS = 48;

/** Two writebacks through the patch's issuer race, and its collector ends each request's wb lock. */
function wbHandoff(fns: FunctionAnalysis[], side: Side): CrossTaskResult[] {
  const issuers = fns.filter((f) => {
    const c = calls(f);
    return has(c, /^netfs_wb_begin$/) && (has(c, /^netfs_end_issue_write$/) || has(c, /^set_bit$/, /NETFS_RREQ_ALL_QUEUED/));
  });
  const collectors = fns.filter((f) => /_write_collection$/.test(f.name) && has(calls(f), /^netfs_wb_end$/));
  const out: CrossTaskResult[] = [];
  for (const issuer of issuers.slice(0, 2)) for (const coll of collectors.slice(0, 1)) {
    const title = `two writebacks through ${issuer.name} and the collector ${coll.name}`;
    const base = { check: 'wb-pairing', rule: 'WB1', severity: 'error' as Severity, side, title, functions: [issuer.name, coll.name] };
    const unsupported = [issuer, coll].map((f) => {
      const why = compileProgram(f).unsupported;
      return why ? `${f.name}: ${why}` : null;
    }).find(Boolean) ?? null;
    const ends = (f: FunctionAnalysis) => f.paths.filter((p) => (p.end === 'return' || p.end === 'fallthrough') && !p.crossesGap);
    if (unsupported) {
      out.push({ ...base, verdict: 'bounded', message: null, states: 0, transitions: 0, ms: 0, anchor: null, related: [],
        trace: { title, tasks: [], steps: [], verdict: 'unknown', summary: unsupported }, notExplored: unsupported, interleaving: [] });
      continue;
    }
    const labels = [`writer 1: ${issuer.name}`, `writer 2: ${issuer.name}`, `collector 1: ${coll.name}`, `collector 2: ${coll.name}`];
    const one = (f: FunctionAnalysis, p: Path) => compileProgram({ ...f, paths: [p] });
    let states = 0;
    let combos = 0;
    let found: CrossTaskResult | null = null;
    let last: ExploreResult | null = null;
    const ip = ends(issuer);
    const cp = ends(coll);
    outer: for (let a = 0; a < ip.length; a++) for (let b = a; b < ip.length; b++) for (const pc of cp) {
      if (++combos > MAX_COMBOS) break outer;
      const progs = [one(issuer, ip[a]), one(issuer, ip[b]), one(coll, pc), one(coll, pc)];
      const world = wbHandoffWorld(labels, new Set([2, 3]));
      const gate = { what: 'picks up a write request whose I/O is done', ready: (s: readonly number[]) => s[5] > 0, take: (s: number[]) => { s[5]--; } };
      const tasks: CrossTask[] = progs.map((program, i) => ({ label: labels[i], program, ...(i >= 2 ? { gate } : {}) }));
      const r = explore(buildModel(title, tasks, world), { maxStates: 100_000, timeMs: 2_000 });
      states += r.states;
      last = r;
      if (r.verdict === 'violation' || r.verdict === 'deadlock') {
        const byLabel = new Map(tasks.map((t) => [t.label, t.program]));
        const rule = /two owners|not held/.test(r.message ?? '') ? 'WB2' : 'WB1';
        found = fromExploration({ ...base, rule }, r, byLabel, labels, (c) => world.op(c) !== null, states);
        break outer;
      }
    }
    if (found) out.push(found);
    else if (last) {
      const bounded = combos > MAX_COMBOS || last.verdict === 'bounded';
      out.push({ ...base, verdict: bounded ? 'bounded' : 'holds', message: null, states, transitions: 0, ms: 0, anchor: null, related: [],
        trace: { title, tasks: labels, steps: [], verdict: bounded ? 'bounded' : 'ok',
          summary: bounded ? `no violation within the bounds (${Math.min(combos, MAX_COMBOS)} path combinations, ${states} states)` : `holds: every interleaving of every path combination explored (${states} states)` },
        notExplored: null, interleaving: [] });
    }
  }
  return out;
}

/** Every cross-task check the functions of one side of one message call for. */
export function crossTaskChecks(fns: FunctionAnalysis[], side: Side): CrossTaskResult[] {
  return [...stableWritesRace(fns, side), ...wbHandoff(fns, side)];
}
