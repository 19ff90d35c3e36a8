// Kernel semantics of the world's primitives (kernel-model.md §1.1, §4, §5), assertions included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');
const W = core.simWorld;

function oneFolio() {
  const l = new W.Layout();
  const f = W.folioSlots(l, 'folio');
  return { f, s: new Array(l.size).fill(0) };
}

test('folio_unlock: VM_BUG_ON_FOLIO(!folio_test_locked) on an unlocked folio', () => {
  const { f, s } = oneFolio();
  assert.match(W.folioUnlock(s, f), /kernel BUG at mm\/filemap\.c: VM_BUG_ON_FOLIO\(!folio_test_locked\(folio\)\)/);
  assert.equal(W.folioLock(s, f, 2), null);
  assert.equal(s[f.LOCK], 3);
  assert.equal(W.folioUnlock(s, f), null);
  assert.equal(s[f.LOCK], 0);
});

test('folio_start_writeback: needs the folio locked and not under writeback; clears TOWRITE', () => {
  const { f, s } = oneFolio();
  assert.match(W.folioStartWriteback(s, f), /VM_BUG_ON_FOLIO\(!folio_test_locked\(folio\)\) in __folio_start_writeback/);
  W.folioLock(s, f, 0);
  s[f.TOWRITE] = 1;
  assert.equal(W.folioStartWriteback(s, f), null);
  assert.equal(s[f.WB], 1);
  assert.equal(s[f.TOWRITE], 0);
  assert.match(W.folioStartWriteback(s, f), /VM_BUG_ON_FOLIO\(folio_test_writeback\(folio\)\)/);
});

test('folio_end_writeback: VM_BUG_ON_FOLIO(!folio_test_writeback); no folio lock needed', () => {
  const { f, s } = oneFolio();
  assert.match(W.folioEndWriteback(s, f), /VM_BUG_ON_FOLIO\(!folio_test_writeback\(folio\)\) in folio_end_writeback/);
  s[f.WB] = 1;
  assert.equal(W.folioEndWriteback(s, f), null);
  assert.equal(s[f.WB], 0);
});

test('folio_clear_dirty_for_io: needs the lock; clears PG_dirty, which must then be written or redirtied', () => {
  const { f, s } = oneFolio();
  s[f.DIRTY] = 1;
  assert.match(W.folioClearDirtyForIo(s, f)[1], /VM_BUG_ON_FOLIO\(!folio_test_locked\(folio\)\) in folio_clear_dirty_for_io/);
  W.folioLock(s, f, 0);
  assert.deepEqual(W.folioClearDirtyForIo(s, f), [true, null]);
  assert.equal(s[f.DIRTY], 0);
  assert.equal(s[f.CLEARED], 1);
  assert.deepEqual(W.folioClearDirtyForIo(s, f), [false, null]);
  W.folioRedirty(s, f);
  assert.equal(s[f.DIRTY], 1);
  assert.equal(s[f.CLEARED], 0);
});

/** One task: while ((folio = writeback_iter(...))) { start writeback; unlock; } over two folios. */
function iterModel({ syncAll, dirty = [1, 1], wb = [0, 0], lockedBySelf = -1, errorOnFirst = false, lazyEndio = false }) {
  const l = new W.Layout();
  const folios = [W.folioSlots(l, 'f0'), W.folioSlots(l, 'f1')];
  const PC = l.slot('pc');
  const regs = { PH: l.slot('ph'), IDX: l.slot('idx'), CUR: l.slot('cur'), WAIT: l.slot('wait'), ERR: l.slot('err') };
  const init = new Array(l.size).fill(0);
  folios.forEach((f, i) => { init[f.DIRTY] = dirty[i]; init[f.WB] = wb[i]; });
  if (lockedBySelf >= 0) init[folios[lockedBySelf].LOCK] = 1;
  return {
    name: 'iter', tasks: ['wb', 'endio'], init,
    next(s, t) {
      if (t === 1) {
        // I/O completion: ends writeback of any folio under writeback.
        const i = folios.findIndex((f) => s[f.WB]);
        if (i < 0 || (lazyEndio && !s[regs.WAIT] && s[PC] !== 2)) return { kind: 'idle' };
        return { kind: 'step', op: `folio_end_writeback(f${i})`, footprint: 1 << i, apply: (x) => W.folioEndWriteback(x, folios[i]) ?? undefined };
      }
      if (s[PC] === 0) return core.writebackIterMove(s, { t: 0, regs, folios, syncAll, fbit: (i) => 1 << i, tasks: ['wb', 'endio'], writebackEnder: 1, location: 'writeback_iter', setPc: (x) => { x[PC] = x[regs.CUR] ? 1 : 2; } });
      if (s[PC] === 1) {
        const f = folios[s[regs.CUR] - 1];
        if (errorOnFirst && !s[regs.ERR]) return { kind: 'step', op: `write ${f.name} fails: redirty, unlock, *error = -EIO`, footprint: 3, apply: (x) => { W.folioRedirty(x, f); W.folioUnlock(x, f); x[regs.ERR] = 1; x[regs.CUR] = 0; x[PC] = 0; } };
        return { kind: 'step', op: `write ${f.name}: start writeback, unlock`, footprint: 3, apply: (x) => W.folioStartWriteback(x, f) ?? W.folioUnlock(x, f) ?? ((x[regs.CUR] = 0), (x[PC] = 0), undefined) };
      }
      return { kind: 'done' };
    },
    atQuiescence: [{ name: 'all written', check: (s) => (folios.some((f) => s[f.DIRTY] || s[f.CLEARED]) ? 'a folio is still dirty' : null) }],
  };
}

const ops = (r) => r.trace.map((s) => s.op);

test('writeback_iter WB_SYNC_ALL: tags TOWRITE, waits for writeback with the folio locked, writes everything', () => {
  const r = core.explore(iterModel({ syncAll: true, wb: [1, 0] }));
  assert.equal(r.verdict, 'holds');
  // A failing variant shows the order: the wait happens while holding f0's lock.
  const bad = core.explore({ ...iterModel({ syncAll: true, wb: [1, 0], lazyEndio: true }), atQuiescence: [{ name: 'show', check: () => 'trace' }] });
  assert.equal(bad.verdict, 'violation');
  assert.deepEqual(ops(bad).slice(0, 3), [
    'writeback_iter(NULL): tag TOWRITE; folio_lock(f0); under writeback: WB_SYNC_ALL waits (folio_wait_writeback)',
    'folio_end_writeback(f0)',
    'writeback_iter: writeback of f0 ended; folio_clear_dirty_for_io(f0) → return f0 (locked)',
  ]);
});

test('writeback_iter WB_SYNC_NONE: skips a folio under writeback (it stays dirty) and stops after an error', () => {
  const skip = core.explore(iterModel({ syncAll: false, wb: [1, 0] }));
  assert.equal(skip.verdict, 'violation'); // f0 was skipped, so it is still dirty at the end
  assert.match(skip.message, /^all written: a folio is still dirty/);
  assert.ok(!ops(skip).some((o) => /folio_lock\(f0\)/.test(o)));
  const err = core.explore(iterModel({ syncAll: false, errorOnFirst: true }));
  assert.equal(err.verdict, 'violation');
  assert.deepEqual(ops(err), [
    'writeback_iter(NULL); folio_lock(f0); folio_clear_dirty_for_io → return f0 (locked, dirty cleared)',
    'write f0 fails: redirty, unlock, *error = -EIO',
    'writeback_iter: *error is set and WB_SYNC_NONE: stop (done) → NULL',
  ]);
  const errAll = core.explore(iterModel({ syncAll: true, errorOnFirst: true }));
  assert.ok(ops(errAll).some((o) => /return f1/.test(o)), 'WB_SYNC_ALL keeps going past the error');
});

test('writeback_iter: a folio the task already holds locked is a wait on itself (deadlock)', () => {
  const r = core.explore(iterModel({ syncAll: true, lockedBySelf: 0 }));
  assert.equal(r.verdict, 'deadlock');
  assert.match(r.message, /a task waits on itself/);
  const clean = core.explore(iterModel({ syncAll: true, lockedBySelf: 0, dirty: [0, 1] }));
  assert.notEqual(clean.verdict, 'deadlock', 'a clean locked folio is not tagged, so it is not locked again');
});

test('writeback_iter: nr_to_write stops WB_SYNC_NONE early; range_cyclic starts at writeback_index and records where it stopped', () => {
  const l = new W.Layout();
  const folios = [W.folioSlots(l, 'f0'), W.folioSlots(l, 'f1'), W.folioSlots(l, 'f2')];
  const PC = l.slot('pc');
  const WBI = l.slot('writeback_index');
  const regs = { PH: l.slot('ph'), IDX: l.slot('idx'), CUR: l.slot('cur'), WAIT: l.slot('wait'), ERR: l.slot('err'), NR: l.slot('nr') };
  const model = (syncAll, nr, start) => {
    const init = new Array(l.size).fill(0);
    for (const f of folios) init[f.DIRTY] = 1;
    init[regs.NR] = nr;
    init[WBI] = start;
    return {
      name: 'nr', tasks: ['wb'], init,
      next(s) {
        if (s[PC] === 0) return core.writebackIterMove(s, { t: 0, regs, folios, syncAll, fbit: (i) => 1 << i, tasks: ['wb'], writebackEnder: -1, location: 'writeback_iter', cyclicIndexSlot: WBI, setPc: (x) => { x[PC] = x[regs.CUR] ? 1 : 2; } });
        if (s[PC] === 1) { const f = folios[s[regs.CUR] - 1]; return { kind: 'step', op: `write ${f.name}`, footprint: 1, apply: (x) => W.folioStartWriteback(x, f) ?? W.folioUnlock(x, f) ?? W.folioEndWriteback(x, f) ?? ((x[regs.CUR] = 0), (x[PC] = 0), undefined) }; }
        return { kind: 'done' };
      },
      atQuiescence: [{ name: 'end', check: (s) => `written ${folios.map((f) => (s[f.DIRTY] ? 'D' : 'w')).join('')}, writeback_index ${s[WBI]}` }],
    };
  };
  assert.equal(core.explore(model(false, 1, 0)).message, 'end: written wDD, writeback_index 1');
  assert.equal(core.explore(model(false, 2, 1)).message, 'end: written Dww, writeback_index 3');
  assert.equal(core.explore(model(false, 5, 1)).message, 'end: written Dww, writeback_index 0', 'cyclic writeback does not wrap within one call');
  assert.equal(core.explore(model(true, 1, 0)).message, 'end: written www, writeback_index 0', 'WB_SYNC_ALL ignores nr_to_write');
});
