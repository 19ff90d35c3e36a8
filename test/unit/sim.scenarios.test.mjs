// The scenario library: every scenario both ways, the result shape, the timeline conversion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');

const withoutMs = (r) => JSON.stringify({ ...r, ms: 0 });

test('scenario list: the five scenarios of issue 5', () => {
  assert.deepEqual(core.scenarioList().map((s) => s.name), ['wb-handoff', 'stable-writes-race', 'writeback-under-folio-lock', 'writeback-iter-break', 'abandoned-read-double-unlock']);
  for (const s of core.scenarioList()) assert.ok(s.description.length > 20, s.name);
});

test('result shape is exactly the `lockstep scenario` JSON', () => {
  const r = core.runScenario('stable-writes-race', {});
  assert.deepEqual(Object.keys(r), ['scenario', 'verdict', 'states', 'transitions', 'ms', 'bounds', 'trace']);
  for (const s of r.trace) for (const k of ['task', 'op', 'location', 'state']) assert.ok(k in s, k);
  assert.equal(r.ms, 0, 'no clock in the result unless asked for');
  assert.equal(JSON.stringify(r), JSON.stringify(core.runScenario('stable-writes-race', {})), 'byte-identical');
  assert.equal(typeof core.runScenario('stable-writes-race', { timing: true }).ms, 'number');
  assert.equal(withoutMs(core.runScenario('wb-handoff', { tasks: 5, fixed: true, timing: true })), withoutMs(core.runScenario('wb-handoff', { tasks: 5, fixed: true })));
});

test('wb-handoff as posted: the collector ends the wb lock for a DIO request (WARN_ON_ONCE)', () => {
  const r = core.runScenario('wb-handoff', {});
  assert.equal(r.verdict, 'violation');
  assert.equal(r.bounds.tasks, 4);
  assert.deepEqual(r.trace.map((s) => s.task), ['dio4', 'collector', 'collector']);
  assert.match(r.trace[2].violation, /WARN_ON_ONCE\(!test_bit\(NETFS_ICTX_WB_LOCK, &ictx->flags\)\)/);
  assert.match(r.trace[1].op, /origin NETFS_DIO_WRITE/);
});

test('wb-handoff as posted, three tasks: the single-object skip path drops the dirty state', () => {
  const r = core.runScenario('wb-handoff', { tasks: 3 });
  assert.equal(r.verdict, 'violation');
  const last = r.trace[r.trace.length - 1];
  assert.match(last.violation, /^no dirty data silently dropped/);
  assert.ok(r.trace.some((s) => /return 1 \(inode not re-dirtied\)/.test(s.op)));
  assert.equal(last.state.inode, 'clean, data not yet written');
});

test('wb-handoff fixed holds exhaustively for 1..6 tasks with known state counts', () => {
  const counts = [];
  for (let n = 1; n <= 6; n++) {
    const r = core.runScenario('wb-handoff', { tasks: n, fixed: true });
    assert.equal(r.verdict, 'holds', `tasks ${n}`);
    assert.equal(r.bounds.hit, null);
    assert.deepEqual(r.trace, []);
    counts.push(r.states);
  }
  assert.deepEqual(counts, [9, 48, 244, 764, 3807, 12594]);
});

test('wb-handoff: without reduction the same states are found, with more transitions', () => {
  const a = core.runScenario('wb-handoff', { tasks: 4, fixed: true });
  const b = core.runScenario('wb-handoff', { tasks: 4, fixed: true, por: false });
  assert.equal(b.verdict, 'holds');
  assert.equal(a.states, b.states);
  assert.ok(a.transitions < b.transitions, `${a.transitions} < ${b.transitions}`);
});

test('stable-writes-race: finds count 1 with stable writes clear; the locked version holds', () => {
  const r = core.runScenario('stable-writes-race', {});
  assert.equal(r.verdict, 'violation');
  assert.deepEqual(r.trace.map((s) => s.op.replace(/:.*/, '')), ['inode_writethrough_end', 'inode_writethrough_begin', 'inode_writethrough_end', 'inode_writethrough_begin']);
  assert.match(r.trace[2].op, /mapping_clear_stable_writes/);
  const last = r.trace[3];
  assert.deepEqual(last.state, { i_wt_count: '1', AS_STABLE_WRITES: 'clear' });
  assert.match(last.violation, /^count > 0 implies stable writes/);
  assert.equal(core.runScenario('stable-writes-race', { fixed: true }).verdict, 'holds');
  assert.equal(core.runScenario('stable-writes-race', { fixed: true, tasks: 4 }).verdict, 'holds');
  assert.equal(core.runScenario('stable-writes-race', { tasks: 4 }).verdict, 'violation');
});

test('writeback-under-folio-lock: self-deadlock in writeback_iter; holding only i_rwsem is fine', () => {
  const r = core.runScenario('writeback-under-folio-lock', {});
  assert.equal(r.verdict, 'deadlock');
  assert.match(r.trace[r.trace.length - 1].violation, /waits on itself/);
  const two = core.runScenario('writeback-under-folio-lock', { tasks: 2 });
  assert.equal(two.verdict, 'deadlock');
  for (const n of [1, 2, 3]) assert.equal(core.runScenario('writeback-under-folio-lock', { tasks: n, fixed: true }).verdict, 'holds', `tasks ${n}`);
});

test('writeback-iter-break: break leaves a folio locked and clean; the fixed loop holds', () => {
  const alone = core.runScenario('writeback-iter-break', { tasks: 1 });
  assert.equal(alone.verdict, 'violation');
  assert.match(alone.trace[alone.trace.length - 1].violation, /^no lock held at quiescence: folio0 is still locked by flusher/);
  const r = core.runScenario('writeback-iter-break', {});
  assert.equal(r.verdict, 'deadlock');
  assert.match(r.trace[r.trace.length - 1].violation, /held by flusher, which has finished/);
  for (const n of [1, 2, 3]) assert.equal(core.runScenario('writeback-iter-break', { tasks: n, fixed: true }).verdict, 'holds', `tasks ${n}`);
});

test('abandoned-read-double-unlock: the kernel BUG in folio_unlock; the fixed collector holds', () => {
  const r = core.runScenario('abandoned-read-double-unlock', {});
  assert.equal(r.verdict, 'violation');
  assert.match(r.trace[r.trace.length - 1].violation, /kernel BUG at mm\/filemap\.c: VM_BUG_ON_FOLIO\(!folio_test_locked\(folio\)\)/);
  assert.equal(core.runScenario('abandoned-read-double-unlock', { tasks: 3 }).verdict, 'violation');
  for (const n of [2, 3, 4]) assert.equal(core.runScenario('abandoned-read-double-unlock', { tasks: n, fixed: true }).verdict, 'holds', `tasks ${n}`);
});

test('unknown scenarios and bad --tasks come back as data, not exceptions', () => {
  const u = core.runScenario('no-such-thing', {});
  assert.equal(u.verdict, 'bounded');
  assert.match(u.bounds.problem, /unknown scenario "no-such-thing"/);
  const t = core.runScenario('wb-handoff', { tasks: 0 });
  assert.match(t.bounds.problem, /--tasks must be an integer from 1 to 10/);
});

test('scenarioTrace: a Trace with tasks as lanes; text rendering names verdict and steps', () => {
  const r = core.runScenario('stable-writes-race', {});
  const tr = core.scenarioTrace(r);
  assert.deepEqual(tr.tasks, ['end', 'begin1']);
  assert.equal(tr.verdict, 'violation');
  assert.equal(tr.steps.length, 4);
  assert.equal(tr.steps[3].violation, r.trace[3].violation);
  assert.equal(tr.steps[0].location.file, 'fs/iomap/buffered-io.c inode_writethrough_end');
  assert.equal(core.scenarioTrace(core.runScenario('stable-writes-race', { fixed: true })).verdict, 'ok');
  const text = core.renderScenarioText(r);
  assert.match(text, /^scenario stable-writes-race: 2 tasks\nverdict: violation — count > 0 implies stable writes/);
  assert.match(text, /  3\. end\s+inode_writethrough_end: mapping_clear_stable_writes/);
});

test('scenario bounds: a state cap makes the verdict bounded and says which bound was hit', () => {
  const r = core.runScenario('wb-handoff', { tasks: 6, fixed: true, maxStates: 500 });
  assert.equal(r.verdict, 'bounded');
  assert.equal(r.bounds.hit, 'states');
  assert.equal(r.states, 500);
  assert.deepEqual(r.trace, []);
  assert.match(core.renderScenarioText(r), /hit: states/);
  assert.match(core.scenarioTrace(r).summary, /states bound hit/);
});
