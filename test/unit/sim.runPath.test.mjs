// The path runner against hand-built paths (plain data as in src/core/types.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { call, assign, assume, ret, gap, path, fn, brief } from '../fixtures/sim/build.mjs';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');

const NOWAIT = 'wbc->sync_mode == WB_SYNC_NONE';
const byVariant = (runs) => Object.fromEntries(runs.map((r) => [r.variant, r]));

test('writepages: lock, empty iteration, out: netfs_wb_end — balanced in both sync modes', () => {
  const p = path([
    call('netfs_wb_begin', ['ictx', NOWAIT]),
    assume(`!netfs_wb_begin(ictx, ${NOWAIT})`, false, [[0, 'true']]),
    call('writeback_iter', ['mapping', 'wbc', 'NULL', '&error'], 'folio'),
    assume('!folio', true, [[2, 'null']]),
    call('netfs_wb_end', ['ictx']),
    ret('error'),
  ]);
  const runs = core.runPath(p, fn('netfs_writepages', [p]));
  assert.deepEqual(runs.map((r) => r.variant), ['WB_SYNC_NONE', 'WB_SYNC_ALL']);
  for (const r of runs) {
    assert.equal(r.feasible, true);
    assert.equal(r.skipped, null);
    assert.deepEqual(brief(r.events), ['acquire::wb-lock@0', 'acquire::wb-iter@2', 'release::wb-iter@2', 'release::wb-lock@4']);
    assert.equal(r.events[0].object, 'ictx');
    assert.deepEqual(r.events[3].related, [0]);
    assert.equal(r.trace.verdict, 'ok');
  }
});

test('writepages skip path: feasible only under WB_SYNC_NONE, nothing held, nothing reported', () => {
  const p = path([
    call('netfs_wb_begin', ['ictx', NOWAIT]),
    assume(`!netfs_wb_begin(ictx, ${NOWAIT})`, true, [[0, 'false']]),
    ret('0'),
  ]);
  const r = byVariant(core.runPath(p, fn('netfs_writepages', [p])));
  assert.equal(r.WB_SYNC_NONE.feasible, true);
  assert.deepEqual(r.WB_SYNC_NONE.events, []);
  assert.equal(r.WB_SYNC_NONE.returnClass, 'success');
  assert.equal(r.WB_SYNC_ALL.feasible, false);
  assert.deepEqual(r.WB_SYNC_ALL.events, []);
  assert.match(r.WB_SYNC_ALL.trace.summary, /infeasible/);
});

test('a return still holding the wb lock is a WB1 leak related to the acquisition', () => {
  const p = path([
    call('netfs_wb_begin', ['ictx', NOWAIT]),
    assume(`!netfs_wb_begin(ictx, ${NOWAIT})`, false, [[0, 'true']]),
    call('writeback_iter', ['mapping', 'wbc', 'NULL', '&error'], 'folio'),
    assume('!folio', true, [[2, 'null']]),
    ret('error'),
  ]);
  for (const r of core.runPath(p, fn('netfs_writepages', [p]))) {
    const leaks = r.events.filter((e) => e.kind === 'leak');
    assert.equal(leaks.length, 1);
    assert.equal(leaks[0].rule, 'WB1');
    assert.equal(leaks[0].resource, 'wb-lock');
    assert.deepEqual(leaks[0].related, [0]);
    assert.equal(leaks[0].acrossGap, undefined);
    assert.equal(r.trace.verdict, 'violation');
    assert.ok(r.trace.steps[4].violation);
  }
});

test('netfs_end_issue_write hands the bit lock to the request; a later netfs_wb_end is WB2', () => {
  const steps = [
    call('netfs_wb_begin', ['ictx', NOWAIT]),
    assume(`!netfs_wb_begin(ictx, ${NOWAIT})`, false, [[0, 'true']]),
    gap(30),
    call('netfs_end_issue_write', ['wreq']),
    call('netfs_put_request', ['wreq', 'netfs_rreq_trace_put_return']),
    ret('error'),
  ];
  const ok = core.runPath(path(steps), fn('netfs_writepages'))[0];
  assert.deepEqual(brief(ok.events), ['acquire::wb-lock@0', 'handoff::wb-lock@3~gap']);
  assert.equal(ok.trace.steps[3].state['wb lock'], 'handed to wreq');

  const twice = [...steps.slice(0, 5), call('netfs_wb_end', ['ictx']), ret('error')];
  const bad = core.runPath(path(twice), fn('netfs_writepages'))[0];
  const v = bad.events.filter((e) => e.kind === 'violation');
  assert.equal(v.length, 1);
  assert.equal(v[0].rule, 'WB2');
  assert.deepEqual(v[0].related, [0, 3]);
});

test('default contract: hand-off needs a request created on the path', () => {
  const without = path([call('netfs_wb_begin', ['ictx', 'false']), call('netfs_end_issue_write', ['wreq']), ret('0')]);
  const r1 = core.runPath(without, fn('my_flush'))[0];
  assert.deepEqual(brief(r1.events), ['acquire::wb-lock@0', 'leak:WB1:wb-lock@2']);
  const withReq = path([
    call('netfs_wb_begin', ['ictx', 'false']),
    call('netfs_create_write_req', ['mapping', 'NULL', '0', 'NETFS_WRITEBACK'], 'wreq'),
    assume('IS_ERR(wreq)', false, [[1, 'not-err']]),
    call('netfs_end_issue_write', ['wreq']),
    ret('0'),
  ]);
  const r2 = core.runPath(withReq, fn('my_flush'))[0];
  assert.deepEqual(brief(r2.events), ['acquire::wb-lock@0', 'note::request@1', 'acquire::refcount@1', 'handoff::wb-lock@3', 'handoff::refcount@3']);
});

test('netfs_wb_end without the lock is WB2 (with the kernel WARN), across a gap when code is hidden', () => {
  const r = core.runPath(path([call('netfs_wb_end', ['ictx']), ret(null)]), fn('my_helper'))[0];
  assert.deepEqual(brief(r.events), ['violation:WB2:wb-lock@0']);
  assert.match(r.events[0].message, /WARN_ON_ONCE\(!test_bit\(NETFS_ICTX_WB_LOCK/);
  // Code the patch does not show comes first: it presumably took the lock (a note, not a violation)...
  const g = core.runPath(path([gap(12), call('netfs_wb_end', ['ictx']), ret(null)]), fn('my_helper'))[0];
  assert.deepEqual(brief(g.events), ['note:WB2:wb-lock@1~gap']);
  // ...unless the contract knows it cannot have (the collector, for a DIO request).
  const c = core.runPath(path([gap(12), call('netfs_wb_end', ['ictx']), ret('true')]), fn('netfs_write_collection'), { variant: 'NETFS_DIO_WRITE' })[0];
  assert.deepEqual(brief(c.events), ['violation:WB2:wb-lock@1~gap']);
});

test('ignored result: nowait=true untested is WB3; nowait=false cannot fail', () => {
  const a = core.runPath(path([call('netfs_wb_begin', ['ictx', 'true']), call('netfs_wb_end', ['ictx']), ret('0')]), fn('f'))[0];
  assert.deepEqual(brief(a.events), ['ignored-result:WB3:wb-lock@0', 'acquire::wb-lock@0', 'release::wb-lock@1']);
  const b = core.runPath(path([call('netfs_wb_begin', ['ictx', 'false']), call('netfs_wb_end', ['ictx']), ret('0')]), fn('f'))[0];
  assert.deepEqual(brief(b.events), ['acquire::wb-lock@0', 'release::wb-lock@1']);
  assert.match(b.trace.steps[0].op, /cannot fail/);
  // nowait given as the sync-mode expression: cannot fail under WB_SYNC_ALL only.
  const c = byVariant(core.runPath(path([call('netfs_wb_begin', ['ictx', NOWAIT]), call('netfs_wb_end', ['ictx']), ret('0')]), fn('x_writepages')));
  assert.equal(c.WB_SYNC_NONE.events[0].kind, 'ignored-result');
  assert.equal(c.WB_SYNC_ALL.events[0].kind, 'acquire');
});

test('pre-patch wb_lock mutex is the wb-lock resource, released by the same task (no hand-off)', () => {
  const steps = [
    call('mutex_trylock', ['&ictx->wb_lock']),
    assume('!mutex_trylock(&ictx->wb_lock)', false, [[0, 'true']]),
    gap(20),
    call('netfs_end_issue_write', ['wreq']),
    call('mutex_unlock', ['&ictx->wb_lock']),
    ret('error'),
  ];
  const r = core.runPath(path(steps), fn('netfs_writepages'))[0];
  assert.deepEqual(brief(r.events), ['acquire::wb-lock@0', 'release::wb-lock@4~gap']);
  assert.equal(r.events[0].object, '&ictx->wb_lock');
  const noUnlock = core.runPath(path([...steps.slice(0, 4), ret('error')]), fn('netfs_writepages'))[0];
  assert.deepEqual(brief(noUnlock.events), ['acquire::wb-lock@0', 'leak:WB1:wb-lock@4~gap']);
  // The pre-patch skip branch: trylock failed and WB_SYNC_NONE returns 0; infeasible under ALL.
  const skip = path([
    call('mutex_trylock', ['&ictx->wb_lock']),
    assume('!mutex_trylock(&ictx->wb_lock)', true, [[0, 'false']]),
    assume('wbc->sync_mode == WB_SYNC_NONE', true),
    call('netfs_stat', ['&netfs_n_wb_lock_skip']),
    ret('0'),
  ]);
  const s = byVariant(core.runPath(skip, fn('netfs_writepages')));
  assert.equal(s.WB_SYNC_NONE.feasible, true);
  assert.equal(s.WB_SYNC_ALL.feasible, false);
});

test('netfs_writeback_single: the WB_SYNC_NONE skip must re-dirty the inode (WB3 dropped-dirty)', () => {
  const post = path([
    call('netfs_wb_begin', ['ictx', NOWAIT]),
    assume(`!netfs_wb_begin(ictx, ${NOWAIT})`, true, [[0, 'false']]),
    ret('1'),
  ]);
  const r = byVariant(core.runPath(post, fn('netfs_writeback_single')));
  assert.deepEqual(brief(r.WB_SYNC_NONE.events), ['dropped-dirty:WB3:inode-dirty@2']);
  assert.deepEqual(r.WB_SYNC_NONE.events[0].related, [0]);
  assert.equal(r.WB_SYNC_NONE.trace.steps[2].state.inode, 'clean (the VFS un-dirtied it)');
  assert.equal(r.WB_SYNC_ALL.feasible, false);
  const pre = path([
    call('mutex_trylock', ['&ictx->wb_lock']),
    assume('!mutex_trylock(&ictx->wb_lock)', true, [[0, 'false']]),
    assume('wbc->sync_mode == WB_SYNC_NONE', true),
    call('netfs_single_mark_inode_dirty', ['&ictx->inode']),
    call('netfs_stat', ['&netfs_n_wb_lock_skip']),
    ret('1'),
  ]);
  const q = byVariant(core.runPath(pre, fn('netfs_writeback_single')));
  assert.deepEqual(brief(q.WB_SYNC_NONE.events), ['note::inode-dirty@3']);
  assert.equal(q.WB_SYNC_NONE.trace.steps[5].state.inode, 'dirty');
});

test('collector: netfs_wb_end is right for writeback origins, WB2 for DIO/unbuffered unless origin is tested', () => {
  const unguarded = path([
    gap(40),
    call('netfs_wake_rreq_flag', ['wreq', 'NETFS_RREQ_IN_PROGRESS', 'netfs_rreq_trace_wake_ip']),
    call('netfs_wb_end', ['ictx']),
    gap(10),
    ret('true'),
  ]);
  const runs = core.runPath(unguarded, fn('netfs_write_collection', [], 'fs/netfs/write_collect.c'));
  assert.equal(runs.length, 6);
  const r = byVariant(runs);
  for (const o of ['NETFS_WRITEBACK', 'NETFS_WRITEBACK_SINGLE', 'NETFS_WRITETHROUGH']) {
    assert.deepEqual(brief(r[o].events), ['release::wb-lock@2~gap'], o);
    assert.equal(r[o].trace.tasks[0], 'collector');
  }
  for (const o of ['NETFS_DIO_WRITE', 'NETFS_UNBUFFERED_WRITE', 'NETFS_PGPRIV2_COPY_TO_CACHE']) {
    assert.deepEqual(brief(r[o].events), ['violation:WB2:wb-lock@2~gap'], o);
    assert.match(r[o].events[0].message, new RegExp(o));
  }
  const guarded = path([
    gap(40),
    assume('wreq->origin == NETFS_WRITEBACK || wreq->origin == NETFS_WRITEBACK_SINGLE || wreq->origin == NETFS_WRITETHROUGH', true),
    call('netfs_wb_end', ['ictx']),
    ret('true'),
  ]);
  const g = byVariant(core.runPath(guarded, fn('netfs_write_collection')));
  assert.equal(g.NETFS_DIO_WRITE.feasible, false);
  assert.equal(g.NETFS_WRITEBACK.feasible, true);
  assert.deepEqual(brief(g.NETFS_WRITEBACK.events), ['release::wb-lock@2~gap']);
});

test('netfs_begin_writethrough: success returns holding the lock, failure must release it', () => {
  const mk = (isErr, end) => path([
    call('netfs_wb_begin', ['ictx', 'false']),
    call('netfs_create_write_req', ['mapping', 'file', 'pos', 'NETFS_WRITETHROUGH'], 'wreq'),
    assume('IS_ERR(wreq)', isErr, [[1, isErr ? 'is-err' : 'not-err']]),
    ...(end ? [call('netfs_wb_end', ['ictx'])] : []),
    ret('wreq'),
  ]);
  const f = fn('netfs_begin_writethrough');
  const okFail = core.runPath(mk(true, true), f)[0];
  assert.equal(okFail.returnClass, 'failure');
  assert.equal(okFail.events.filter((e) => e.kind === 'leak').length, 0);
  const okSucc = core.runPath(mk(false, false), f)[0];
  assert.equal(okSucc.returnClass, 'success');
  assert.equal(okSucc.events.filter((e) => e.kind === 'leak').length, 0);
  const badFail = core.runPath(mk(true, false), f)[0];
  assert.deepEqual(badFail.events.filter((e) => e.kind === 'leak').map((e) => e.rule), ['WB1']);
});

test('netfs_end_writethrough: the wb lock is held on entry; mutex_unlock (pre) or hand-off (post) both meet it', () => {
  const f = fn('netfs_end_writethrough');
  const pre = core.runPath(path([call('netfs_end_issue_write', ['wreq']), call('mutex_unlock', ['&ictx->wb_lock']), ret('ret')]), f)[0];
  assert.deepEqual(brief(pre.events), ['release::wb-lock@1']);
  const post = core.runPath(path([call('netfs_end_issue_write', ['wreq']), ret('ret')]), f)[0];
  assert.deepEqual(brief(post.events), ['handoff::wb-lock@0']);
  const neither = core.runPath(path([call('netfs_put_request', ['wreq']), ret('ret')]), f)[0];
  assert.deepEqual(brief(neither.events), ['leak:WB1:wb-lock@1']);
});

test('functions implementing modeled primitives are skipped, not path-checked', () => {
  for (const name of ['netfs_wb_begin', 'netfs_wb_end', 'netfs_wb_begin_wait']) {
    const runs = core.runPath(path([call('spin_lock', ['&ictx->lock']), ret(null)]), fn(name, [], 'fs/netfs/locking.c'));
    assert.equal(runs.length, 1);
    assert.match(runs[0].skipped, /modeled primitive/);
    assert.deepEqual(runs[0].events, []);
  }
});

test('callees with no model are one opaque-call each; modeled neutral ones are silent', () => {
  const r = core.runPath(path([call('frobnicate_widget', ['w']), call('netfs_stat', ['&x']), call('frobnicate_widget', ['w']), ret('0')]), fn('f'))[0];
  assert.deepEqual(brief(r.events), ['opaque-call::call@0', 'opaque-call::call@2']);
  assert.equal(r.events[0].object, 'frobnicate_widget');
});

test('leaving the writeback_iter loop early leaks the folio lock (R1) and the iteration (R4)', () => {
  const p = path([
    call('writeback_iter', ['mapping', 'wbc', 'NULL', '&error'], 'folio'),
    assume('folio', true, [[0, 'nonnull']]),
    call('netfs_write_folio', ['wreq', 'wbc', 'folio'], 'error'),
    assume('error < 0', true, [[2, 'negative']]),
    ret('error'),
  ]);
  const r = core.runPath(p, fn('netfs_writepages'))[0];
  assert.deepEqual(r.events.filter((e) => e.kind === 'leak').map((e) => `${e.rule}:${e.resource}`), ['R4:wb-iter', 'R1:folio-lock']);
  const loop = path([
    call('writeback_iter', ['mapping', 'wbc', 'NULL', '&error'], 'folio'),
    assume('folio', true, [[0, 'nonnull']]),
    call('netfs_write_folio', ['wreq', 'wbc', 'folio'], 'error'),
    assume('error < 0', false, [[2, 'nonnegative']]),
    call('writeback_iter', ['mapping', 'wbc', 'folio', '&error'], 'folio'),
    assume('folio', false, [[4, 'null']]),
    ret('error'),
  ]);
  const ok = core.runPath(loop, fn('netfs_writepages'))[0];
  assert.deepEqual(ok.events.filter((e) => ['leak', 'violation'].includes(e.kind)), []);
});

test('folio lock: double unlock is the kernel BUG; folio_lock then writeback of the mapping self-deadlocks', () => {
  const d = core.runPath(path([call('folio_lock', ['folio']), call('folio_unlock', ['folio']), call('folio_unlock', ['folio']), ret('0')]), fn('f'))[0];
  const v = d.events.filter((e) => e.kind === 'violation');
  assert.equal(v.length, 1);
  assert.equal(v[0].rule, 'R2');
  assert.match(v[0].message, /VM_BUG_ON_FOLIO\(!folio_test_locked\(folio\)\)/);
  assert.equal(d.trace.steps[2].violation, v[0].message);
  const s = core.runPath(path([call('folio_lock', ['folio']), call('filemap_write_and_wait_range', ['mapping', '0', 'LLONG_MAX']), call('folio_unlock', ['folio']), ret('0')]), fn('f'))[0];
  assert.deepEqual(s.events.filter((e) => e.kind === 'violation').map((e) => e.rule), ['R12']);
  const wb6 = core.runPath(path([call('netfs_wb_begin', ['ictx', 'false']), call('filemap_write_and_wait_range', ['mapping', 'pos', 'end']), call('netfs_wb_end', ['ictx']), ret('0')]), fn('f'))[0];
  assert.deepEqual(wb6.events.filter((e) => e.kind === 'violation').map((e) => e.rule), ['WB6']);
  const wb4 = core.runPath(path([call('folio_lock', ['folio']), call('netfs_wb_begin', ['ictx', 'false']), call('netfs_wb_end', ['ictx']), call('folio_unlock', ['folio']), ret('0')]), fn('f'))[0];
  assert.deepEqual(wb4.events.filter((e) => e.kind === 'violation').map((e) => e.rule), ['WB4']);
});

test('trace: one step per path step with pathStep, location and state; output is deterministic', () => {
  const p = path([
    call('netfs_wb_begin', ['ictx', NOWAIT]),
    assume(`!netfs_wb_begin(ictx, ${NOWAIT})`, false, [[0, 'true']]),
    assign('error', '-ENOMEM'),
    call('netfs_wb_end', ['ictx']),
    ret('error'),
  ]);
  const f = fn('netfs_writepages', [p]);
  const a = core.runPath(p, f);
  const b = core.runPath(p, f);
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  const t = a[1].trace;
  assert.equal(t.steps.length, p.steps.length);
  assert.deepEqual(t.steps.map((s) => s.pathStep), [0, 1, 2, 3, 4]);
  assert.deepEqual(t.tasks, ['caller']);
  assert.equal(t.steps[0].state['wb lock'], 'held by caller');
  assert.equal(t.steps[3].state['wb lock'], 'free');
  assert.equal(t.steps[0].location.file, 'fs/netfs/write_issue.c');
  assert.equal(a[1].returnClass, 'failure');
  assert.equal(core.runPath(p, f, { variant: 'WB_SYNC_ALL' }).length, 1);
});

test('summaries: a patch-defined callee that returns holding the lock on success', () => {
  const summaries = { my_begin: { name: 'my_begin', byClass: { success: [{ kind: 'acquire', resource: 'wb-lock', obj: 0, variety: 'bit' }], failure: [] } } };
  const p = path([call('my_begin', ['ictx'], 'ret'), assume('ret', false, [[0, 'zero']]), ret('0')]);
  const r = core.runPath(p, fn('f'), { summaries })[0];
  assert.deepEqual(brief(r.events), ['acquire::wb-lock@0', 'leak:WB1:wb-lock@2']);
});

test('summarizeFunction: must-effects of a complete patch function on its parameters, used by callers', () => {
  const lockIt = path([call('netfs_wb_begin', ['ctx', 'false']), ret('0')], 'p0');
  const helper = { ...fn('my_wb_lock', [lockIt]), params: ['ctx'] };
  const sum = core.summarizeFunction(helper);
  assert.deepEqual(sum, { name: 'my_wb_lock', byClass: { success: [{ kind: 'acquire', resource: 'wb-lock', obj: 0, variety: 'bit' }] } });
  // Incomplete functions and functions without parameter names are not summarised.
  assert.equal(core.summarizeFunction({ ...helper, complete: false }), null);
  assert.equal(core.summarizeFunction(fn('my_wb_lock', [lockIt])), null);
  // A release that happens on only one of two success paths is not a must-effect.
  const rel1 = path([call('folio_unlock', ['f']), ret('0')], 'p0');
  const rel2 = path([call('frob', []), ret('0')], 'p1');
  const partial = core.summarizeFunction({ ...fn('maybe_unlock', [rel1, rel2]), params: ['f'] });
  assert.deepEqual(partial.byClass.success, []);
  const always = core.summarizeFunction({ ...fn('put_it', [rel1]), params: ['f'] });
  assert.deepEqual(always.byClass.success, [{ kind: 'release', resource: 'folio-lock', obj: 0 }]);
  // The caller sees the helper's effect on its own argument.
  const summaries = core.summarizeAll([helper]);
  const caller = core.runPath(path([call('my_wb_lock', ['&vnode->netfs'], 'ret'), assume('ret', false, [[0, 'zero']]), ret('0')]), fn('caller'), { summaries })[0];
  assert.deepEqual(brief(caller.events), ['acquire::wb-lock@0', 'leak:WB1:wb-lock@2']);
  assert.equal(caller.events[0].object, '&vnode->netfs');
});

test('summaries never replace the model of a primitive, and lock implementations are not summarised', () => {
  const impl = { ...fn('netfs_wb_begin', [path([call('spin_lock', ['&ictx->lock']), ret('true')])], 'fs/netfs/locking.c'), params: ['ictx', 'nowait'] };
  assert.equal(core.summarizeFunction(impl), null);
  const bogus = { netfs_wb_begin: { name: 'netfs_wb_begin', byClass: { success: [] } } };
  const r = core.runPath(path([call('netfs_wb_begin', ['ictx', 'false']), ret('0')]), fn('f'), { summaries: bogus })[0];
  assert.deepEqual(brief(r.events), ['acquire::wb-lock@0', 'leak:WB1:wb-lock@1']);
});

test('R5: a folio whose dirty bit writeback cleared, unlocked without writeback or redirty, drops its data', () => {
  const loop = (body) => path([
    call('writeback_iter', ['mapping', 'wbc', 'NULL', '&error'], 'folio'),
    assume('folio', true, [[0, 'nonnull']]),
    ...body,
    call('writeback_iter', ['mapping', 'wbc', 'folio', '&error'], 'folio'),
    assume('folio', false, [[2 + body.length, 'null']]),
    ret('error'),
  ]);
  const dropped = core.runPath(loop([call('folio_unlock', ['folio'])]), fn('demo_writepages'))[0];
  const dd = dropped.events.filter((e) => e.kind === 'dropped-dirty');
  assert.deepEqual(dd.map((e) => `${e.rule}:${e.resource}@${e.step}`), ['R5:folio-dirty@2']);
  assert.deepEqual(dd[0].related, [0]);
  for (const fix of [
    [call('folio_start_writeback', ['folio']), call('folio_unlock', ['folio'])],
    [call('folio_redirty_for_writepage', ['wbc', 'folio']), call('folio_unlock', ['folio'])],
  ]) assert.deepEqual(core.runPath(loop(fix), fn('demo_writepages'))[0].events.filter((e) => e.kind === 'dropped-dirty' || e.kind === 'leak'), []);
  // folio_clear_dirty_for_io() returning true clears it too.
  const manual = core.runPath(path([
    call('folio_lock', ['folio']),
    call('folio_clear_dirty_for_io', ['folio']),
    assume('!folio_clear_dirty_for_io(folio)', false, [[1, 'true']]),
    call('folio_unlock', ['folio']),
    ret('0'),
  ]), fn('f'))[0];
  assert.deepEqual(manual.events.filter((e) => e.kind === 'dropped-dirty').map((e) => e.rule), ['R5']);
});

test('refcounts: folio_get without folio_put and an unsubmitted request leak on failure returns only', () => {
  const get = (r) => path([call('folio_get', ['folio']), assume('!usable', true), ret(r)]);
  assert.deepEqual(brief(core.runPath(get('-ENOBUFS'), fn('f'))[0].events), ['acquire::refcount@0', 'leak:R9:refcount@2']);
  assert.deepEqual(brief(core.runPath(get('0'), fn('f'))[0].events), ['acquire::refcount@0']);
  const req = (tail) => path([
    call('netfs_create_write_req', ['mapping', 'file', 'pos', 'NETFS_UNBUFFERED_WRITE'], 'wreq'),
    assume('IS_ERR(wreq)', false, [[0, 'not-err']]),
    ...tail,
  ]);
  const leak = core.runPath(req([call('netfs_put_request', ['wreq', 'netfs_rreq_trace_put_return']), ret('-EFBIG')]), fn('f'))[0];
  const l = leak.events.find((e) => e.kind === 'leak');
  assert.equal(l.rule, 'R9');
  assert.match(l.message, /never submitted.*netfs_put_failed_request/);
  assert.deepEqual(core.runPath(req([call('netfs_put_failed_request', ['wreq']), ret('-EFBIG')]), fn('f'))[0].events.filter((e) => e.kind === 'leak'), []);
  assert.deepEqual(core.runPath(req([call('netfs_end_issue_write', ['wreq']), ret('-EIO')]), fn('f'))[0].events.filter((e) => e.kind === 'leak'), []);
});

test('writeback bit: started and not ended on an error return is R7; a double end is the kernel BUG', () => {
  const p = (tail) => path([call('folio_lock', ['folio']), call('folio_start_writeback', ['folio']), call('folio_unlock', ['folio']), ...tail]);
  assert.deepEqual(core.runPath(p([ret('-EIO')]), fn('f'))[0].events.filter((e) => e.kind === 'leak').map((e) => e.rule), ['R7']);
  assert.deepEqual(core.runPath(p([ret('0')]), fn('f'))[0].events.filter((e) => e.kind === 'leak'), []);
  const twice = core.runPath(p([call('folio_end_writeback', ['folio']), call('folio_end_writeback', ['folio']), ret('0')]), fn('f'))[0];
  const v = twice.events.find((e) => e.kind === 'violation');
  assert.equal(v.rule, 'R7');
  assert.match(v.message, /VM_BUG_ON_FOLIO\(!folio_test_writeback\(folio\)\)/);
});

test('->page_mkwrite: VM_FAULT_LOCKED hands the locked folio to the fault core; after an unlock it is R2', () => {
  const mk = (unlockFirst) => path([
    call('folio_lock_killable', ['folio']),
    assume('folio_lock_killable(folio) < 0', false, [[0, 'nonnegative']]),
    call('folio_mark_dirty', ['folio']),
    ...(unlockFirst ? [call('folio_unlock', ['folio'])] : []),
    ret('VM_FAULT_LOCKED'),
  ]);
  const ok = core.runPath(mk(false), fn('examplefs_page_mkwrite'))[0];
  assert.deepEqual(brief(ok.events), ['acquire::folio-lock@0', 'handoff::folio-lock@3']);
  const bad = core.runPath(mk(true), fn('examplefs_page_mkwrite'))[0];
  const v = bad.events.find((e) => e.kind === 'violation');
  assert.equal(v.rule, 'R2');
  assert.equal(v.step, 4);
  assert.deepEqual(v.related, [3]);
  // Other returns must not hold it.
  const leak = core.runPath(path([call('folio_lock', ['folio']), ret('VM_FAULT_NOPAGE')]), fn('examplefs_page_mkwrite'))[0];
  assert.deepEqual(leak.events.filter((e) => e.kind === 'leak').map((e) => e.rule), ['R1']);
});

test('folio lookups: ascending index order is fine, descending is R12, the same index self-deadlocks', () => {
  const two = (first, second) => path([
    call('filemap_lock_folio', ['mapping', first], 'a'),
    assume('IS_ERR(a)', false, [[0, 'not-err']]),
    call('filemap_lock_folio', ['mapping', second], 'b'),
    assume('IS_ERR(b)', false, [[2, 'not-err']]),
    call('folio_unlock', ['b']),
    call('folio_unlock', ['a']),
    ret('0'),
  ]);
  const rules = (a, b) => core.runPath(two(a, b), fn('f'))[0].events.filter((e) => e.kind === 'violation').map((e) => `${e.rule}:${e.object}`);
  assert.deepEqual(rules('index - 1', 'index'), []);
  assert.deepEqual(rules('index', 'index + 1'), []);
  assert.deepEqual(rules('index', 'index - 1'), ['R12:b']);
  assert.deepEqual(rules('index', 'index'), ['R12:b']);
  assert.deepEqual(rules('i', 'j'), []); // order unknown: a note, not a finding
});

test('a visibly failed netfs_wb_begin followed by netfs_wb_end is WB2 even after hidden code', () => {
  const p = path([
    gap(10),
    call('netfs_wb_begin', ['ictx', 'wbc->sync_mode == WB_SYNC_NONE']),
    assume('!netfs_wb_begin(ictx, wbc->sync_mode == WB_SYNC_NONE)', true, [[1, 'false']]),
    assign('ret', '0'),
    call('netfs_wb_end', ['ictx']),
    ret('ret'),
  ]);
  const r = core.runPath(p, fn('examplefs_write_inode_meta'))[0];
  assert.deepEqual(brief(r.events), ['violation:WB2:wb-lock@4~gap']);
});

test('writeback started after the unlock is R2 at folio_start_writeback, not also R5 at the unlock', () => {
  const p = path([
    call('writeback_iter', ['mapping', 'wbc', 'NULL', '&error'], 'folio'),
    assume('folio', true, [[0, 'nonnull']]),
    call('folio_unlock', ['folio']),
    call('folio_start_writeback', ['folio']),
    call('writeback_iter', ['mapping', 'wbc', 'folio', '&error'], 'folio'),
    assume('folio', false, [[4, 'null']]),
    ret('0'),
  ]);
  const r = core.runPath(p, fn('demo_writepages'))[0];
  assert.deepEqual(r.events.filter((e) => ['violation', 'dropped-dirty', 'leak'].includes(e.kind)).map((e) => `${e.kind}:${e.rule}@${e.step}`), ['violation:R2@3']);
  assert.match(r.trace.steps[3].violation, /__folio_start_writeback/);
  // The same order when the lock was taken in code the patch does not show.
  const hidden = core.runPath(path([gap(5), call('folio_unlock', ['folio']), call('folio_start_writeback', ['folio']), ret('0')]), fn('f'))[0];
  assert.deepEqual(hidden.events.filter((e) => e.kind === 'violation').map((e) => `${e.rule}@${e.step}`), ['R2@2']);
  const twice = core.runPath(path([gap(5), call('folio_unlock', ['folio']), call('folio_unlock', ['folio']), ret('0')]), fn('f'))[0];
  assert.deepEqual(twice.events.filter((e) => e.kind === 'violation').map((e) => `${e.rule}@${e.step}`), ['R2@2']);
  // Events stay in step order even when an R5 is settled later.
  const late = core.runPath(path([
    call('writeback_iter', ['mapping', 'wbc', 'NULL', '&error'], 'folio'),
    assume('folio', true, [[0, 'nonnull']]),
    call('folio_unlock', ['folio']),
    call('frob', []),
    ret('0'),
  ]), fn('demo_writepages'))[0];
  const steps = late.events.map((e) => e.step);
  assert.deepEqual(steps, [...steps].sort((a, b) => a - b));
  assert.ok(late.events.some((e) => e.kind === 'dropped-dirty' && e.step === 2));
  assert.ok(late.trace.steps[2].violation);
});

test('malformed steps do not throw out of runPath: the path is reported as not checked', () => {
  const bad = { id: 'p0', steps: [{ kind: 'call', call: { name: 'folio_lock' }, assignTo: null, text: 'x', ref: { inputLine: 1, sourceLine: 1 } }, { kind: 'return', text: 'return', ref: { inputLine: 2, sourceLine: 2 } }], end: 'return', returnExpr: null, assumptions: [], crossesGap: false };
  const r = core.runPath(bad, fn('f'));
  assert.equal(r.length, 1);
  assert.match(r[0].skipped, /^simulator error on this path/);
  assert.deepEqual(r[0].events, []);
});
