// Simulator figures: the exhaustive wb-handoff exploration (fixed variant, so nothing stops it
// early) for 2..6 writeback tasks plus the collector, the explorer's throughput, and the path
// runner on a hand-built writepages path.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const core = require('../dist/core.js');

function best(fn, reps) {
  let bestMs = Infinity;
  let last;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    last = fn();
    bestMs = Math.min(bestMs, performance.now() - t0);
  }
  return { ms: bestMs, last };
}

export async function run() {
  const out = {};
  for (let n = 2; n <= 6; n++) {
    const r = core.runScenario('wb-handoff', { tasks: n, fixed: true });
    if (r.verdict !== 'holds') throw new Error(`wb-handoff fixed, ${n} tasks: ${r.verdict}`);
    out[`explorer.wbHandoff.tasks${n}.states`] = { value: r.states, unit: 'states' };
  }
  const six = best(() => core.runScenario('wb-handoff', { tasks: 6, fixed: true, timing: true }), 3);
  out['explorer.wbHandoff.tasks6.ms'] = { value: Math.round(six.ms * 10) / 10, unit: 'ms' };
  out['explorer.wbHandoff.tasks6.transitions'] = { value: six.last.transitions, unit: 'transitions' };
  const noPor = core.runScenario('wb-handoff', { tasks: 6, fixed: true, por: false });
  out['explorer.wbHandoff.tasks6.transitionsNoPor'] = { value: noPor.transitions, unit: 'transitions' };
  const seven = best(() => core.runScenario('wb-handoff', { tasks: 7, fixed: true }), 2);
  out['explorer.wbHandoff.tasks7.states'] = { value: seven.last.states, unit: 'states' };
  out['explorer.wbHandoff.tasks7.ms'] = { value: Math.round(seven.ms), unit: 'ms' };
  out['explorer.statesPerSec'] = { value: Math.round(seven.last.states / (seven.ms / 1000)), unit: 'states/s' };
  // Every scenario both ways (the library's own regression figure).
  let all = 0;
  const t1 = performance.now();
  for (const { name } of core.scenarioList()) for (const fixed of [false, true]) all += core.runScenario(name, { fixed }).states;
  out['explorer.scenarios.allBothWays.ms'] = { value: Math.round(performance.now() - t1), unit: 'ms' };
  out['explorer.scenarios.allBothWays.states'] = { value: all, unit: 'states' };

  // Path runner throughput on a writepages-like path (both sync-mode variants per run).
  let line = 1;
  const ref = () => ({ inputLine: line, sourceLine: line++ });
  const call = (name, args, assignTo = null) => ({ kind: 'call', call: { name, args }, assignTo, text: `${name}();`, ref: ref() });
  const steps = [
    call('netfs_wb_begin', ['ictx', 'wbc->sync_mode == WB_SYNC_NONE']),
    { kind: 'assume', cond: '!netfs_wb_begin(ictx, wbc->sync_mode == WB_SYNC_NONE)', value: false, facts: [{ callStep: 0, relation: 'true' }], text: 'if', ref: ref() },
    call('writeback_iter', ['mapping', 'wbc', 'NULL', '&error'], 'folio'),
    { kind: 'assume', cond: '!folio', value: false, facts: [{ callStep: 2, relation: 'nonnull' }], text: 'if', ref: ref() },
    call('netfs_create_write_req', ['mapping', 'NULL', 'folio_pos(folio)', 'NETFS_WRITEBACK'], 'wreq'),
    { kind: 'assume', cond: 'IS_ERR(wreq)', value: false, facts: [{ callStep: 4, relation: 'not-err' }], text: 'if', ref: ref() },
    call('netfs_write_folio', ['wreq', 'wbc', 'folio'], 'error'),
    { kind: 'assume', cond: 'error < 0', value: false, facts: [{ callStep: 6, relation: 'nonnegative' }], text: 'if', ref: ref() },
    call('writeback_iter', ['mapping', 'wbc', 'folio', '&error'], 'folio'),
    { kind: 'assume', cond: 'folio', value: false, facts: [{ callStep: 8, relation: 'null' }], text: 'while', ref: ref() },
    call('netfs_end_issue_write', ['wreq']),
    call('netfs_put_request', ['wreq', 'netfs_rreq_trace_put_return']),
    { kind: 'return', expr: 'error', text: 'return error;', ref: ref() },
  ];
  const path = { id: 'p0', steps, end: 'return', returnExpr: 'error', assumptions: [], crossesGap: false };
  const fn = { name: 'netfs_writepages', file: 'fs/netfs/write_issue.c', side: 'post', complete: true, partialReasons: [], startLine: 1, endLine: 99, inputLine: 1, paths: [path], truncated: false, notAnalysed: null, callees: [], problems: [] };
  const N = 5000;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) core.runPath(path, fn);
  out['sim.runPath.pathsPerSec'] = { value: Math.round(N / ((performance.now() - t0) / 1000)), unit: 'paths/s' };
  return out;
}
