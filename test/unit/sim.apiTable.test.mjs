// The API table as data, and user JSON extensions with clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { call, ret, path, fn, brief } from '../fixtures/sim/build.mjs';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');

test('built-in table covers the wb lock, hand-off, folio and writeback primitives', () => {
  const { table, problems } = core.loadApiTable();
  assert.deepEqual(problems, []);
  const get = (n, args = []) => core.lookupApi(table, n, args);
  assert.equal(get('netfs_wb_begin').ops[0].resource, 'wb-lock');
  assert.equal(get('netfs_wb_begin').ops[0].when.rel, 'true');
  assert.equal(get('netfs_wb_begin').cannotFailWhenArgFalse, 1);
  assert.equal(get('netfs_wb_end').ops[0].kind, 'release');
  assert.equal(get('netfs_end_issue_write').ops[0].kind, 'handoff');
  assert.equal(get('set_bit', ['NETFS_RREQ_ALL_QUEUED', '&wreq->flags']).ops[0].kind, 'handoff');
  assert.deepEqual(get('set_bit', ['NETFS_RREQ_PAUSE', '&wreq->flags']), null);
  assert.equal(get('netfs_create_write_req').ops[0].when.rel, 'not-err');
  assert.equal(get('folio_trylock').ops[0].when.rel, 'true');
  assert.equal(get('folio_lock_killable').ops[0].when.rel, 'zero');
  assert.equal(get('writeback_iter').takesFolioLock, true);
  assert.equal(get('filemap_write_and_wait_range').reachesWriteback, true);
  assert.equal(get('test_and_set_bit_lock', ['NETFS_ICTX_WB_LOCK', '&ictx->flags']).ops[0].resource, 'wb-lock');
  assert.equal(get('test_and_set_bit_lock', ['PG_locked', '&f->flags']).ops[0].resource, 'bit-lock');
  for (const n of ['spin_lock', 'spin_lock_irqsave', 'spin_unlock_irqrestore', 'mutex_lock', 'mutex_trylock', 'mutex_unlock', 'clear_bit_unlock'])
    assert.ok(get(n), n);
  // Plain data: survives JSON.
  assert.deepEqual(JSON.parse(JSON.stringify(table)), table);
});

test('bad user entries come back as problems naming the place and the expectation', () => {
  const { problems } = core.loadApiTable({
    functions: [
      { name: 'ok_lock', ops: [{ kind: 'acquire', resource: 'mutex', obj: 0 }] },
      { name: 'bad lock', ops: [{ kind: 'aquire', resource: '', obj: 'first' }] },
      { name: 'x', ops: 'nope', weird: 1 },
      { name: 'y', ops: [{ kind: 'acquire', resource: 'mutex', obj: 0, when: { rel: 'eq' } }] },
      { name: 'z', ops: [], domain: 'maybe', indexArg: 'one' },
    ],
    extra: true,
  });
  const msgs = problems.map((p) => p.message);
  assert.ok(msgs.includes('extra: unknown top-level field (expected "functions")'), msgs.join('\n'));
  assert.ok(msgs.some((m) => m.startsWith('functions[1].name: expected a C function name')));
  assert.ok(msgs.some((m) => m.startsWith('functions[1].ops[0].kind: expected one of acquire, release')));
  assert.ok(msgs.some((m) => m.startsWith('functions[1].ops[0].resource:')));
  assert.ok(msgs.some((m) => m.startsWith('functions[1].ops[0].obj: expected an argument index')));
  assert.ok(msgs.some((m) => m.startsWith('functions[2].ops: expected an array')));
  assert.ok(msgs.some((m) => m.startsWith('functions[2].weird: unknown field')));
  assert.ok(msgs.some((m) => m === 'functions[3].ops[0].when.value: "eq" needs a "value" string'));
  assert.ok(msgs.some((m) => m.startsWith('functions[4].domain: expected one of errno, bool, pointer, err-pointer')));
  assert.ok(msgs.some((m) => m === 'functions[4].indexArg: expected an argument index'));
  assert.ok(problems.every((p) => p.kind === 'api-table'));
  assert.deepEqual(core.loadApiTable('not a table').problems.map((p) => p.message), ['(top level): expected an array of function entries']);
});

test('a valid user entry drives the path runner', () => {
  const { table, problems } = core.loadApiTable({
    functions: [
      { name: 'afs_lock_for_io', ops: [{ kind: 'acquire', resource: 'mutex', obj: 0 }] },
      { name: 'afs_unlock_for_io', ops: [{ kind: 'release', resource: 'mutex', obj: 0 }] },
    ],
  });
  assert.deepEqual(problems, []);
  const p = path([call('afs_lock_for_io', ['&vnode->io_lock']), ret('0')]);
  const withTable = core.runPath(p, fn('afs_thing'), { table })[0];
  assert.deepEqual(brief(withTable.events), ['acquire::mutex@0', 'leak:LK1:mutex@1']);
  const builtin = core.runPath(p, fn('afs_thing'))[0];
  assert.deepEqual(brief(builtin.events), ['opaque-call::call@0']);
});
