// Seed 000 (netfs bit-lock patch, archive page): functions, completeness, paths, facts and gaps
// rebuilt from the patch alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const core = require('../../dist/core.js');
const seeds = path.resolve(repoRoot, '..', 'shared', 'seeds');
const seedFile = fs.existsSync(seeds) ? fs.readdirSync(seeds).find((f) => f.startsWith('000')) : undefined;

await core.initTreeSitter(path.join(repoRoot, 'dist'));

function analyse(side) {
  const text = fs.readFileSync(path.join(seeds, seedFile), 'utf8');
  const parsed = core.parseInput(text, seedFile);
  const files = parsed.messages.flatMap((m) => m.files);
  const out = [];
  for (const f of files) out.push(...core.analyzeFileDiff(f, side));
  return { files, fns: out };
}
const byName = (fns, n) => fns.find((f) => f.name === n);
const skip = (t) => {
  if (!seedFile) {
    t.skip('seeds not present: ../shared/seeds');
    return true;
  }
  return false;
};

test('seed 000 post: the touched functions and their completeness', (t) => {
  if (skip(t)) return;
  const { fns } = analyse('post');
  const names = fns.map((f) => `${f.file}:${f.name}`);
  for (const n of ['fs/afs/symlink.c:afs_symlink_writepages', 'fs/netfs/locking.c:netfs_wb_begin_wait', 'fs/netfs/locking.c:netfs_wb_begin',
    'fs/netfs/locking.c:netfs_wb_end', 'fs/netfs/write_collect.c:netfs_write_collection', 'fs/netfs/write_issue.c:netfs_writepages',
    'fs/netfs/write_issue.c:netfs_begin_writethrough', 'fs/netfs/write_issue.c:netfs_end_writethrough', 'fs/netfs/write_issue.c:netfs_writeback_single']) {
    assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
  }
  assert.ok(!names.some((n) => n.includes('netfs_end_io_direct')), 'untouched context function is not reported');
  for (const n of ['netfs_wb_begin', 'netfs_wb_end', 'netfs_wb_begin_wait']) assert.equal(byName(fns, n).complete, true, n);
  for (const n of ['netfs_writepages', 'netfs_writeback_single', 'netfs_begin_writethrough', 'netfs_write_collection', 'afs_symlink_writepages', 'netfs_end_writethrough']) {
    const f = byName(fns, n);
    assert.equal(f.complete, false, n);
    assert.ok(f.partialReasons.length > 0, `${n} says why it is partial`);
  }
  for (const f of fns) assert.equal(f.notAnalysed, null, `${f.name}: ${f.notAnalysed}`);
  assert.equal(byName(fns, 'netfs_wb_begin').paths.length, 3);
  // (one of them ends at the WARN_ON_ONCE: the code after it is written for the lock being held)
  assert.equal(byName(fns, 'netfs_wb_end').paths.length, 3);
});

test('seed 000 post: netfs_writepages facts, gaps and line refs', (t) => {
  if (skip(t)) return;
  const wp = byName(analyse('post').fns, 'netfs_writepages');
  const p0 = wp.paths[0];
  const ci = p0.steps.findIndex((s) => s.kind === 'call' && s.call.name === 'netfs_wb_begin');
  assert.ok(ci >= 0);
  assert.deepEqual(p0.steps[ci].call.args, ['ictx', 'wbc->sync_mode == WB_SYNC_NONE']);
  assert.deepEqual(p0.steps[ci].ref, { inputLine: 192, sourceLine: 554 });
  const as = p0.steps[ci + 1];
  assert.equal(as.kind, 'assume');
  assert.equal(as.value, true);
  assert.deepEqual(as.facts, [{ callStep: ci, relation: 'false' }]);
  assert.equal(p0.end, 'return');
  assert.equal(p0.returnExpr, '0');
  // the unseen 28 lines between the hunks are a gap, not empty code
  assert.ok(wp.paths.some((p) => p.steps.some((s) => s.kind === 'gap' && s.lines === 28)));
  assert.ok(wp.paths.filter((p) => p.crossesGap).length >= wp.paths.length - 1);
  // the synthetic do { } while ((folio = writeback_iter(...))) loop ties facts to the iterator call
  const loopFact = wp.paths.flatMap((p) => p.steps.filter((s) => s.kind === 'assume' && s.cond.startsWith('folio = writeback_iter')).map((s) => ({ p, s })));
  assert.ok(loopFact.length > 0);
  for (const { p, s } of loopFact) {
    assert.equal(s.facts.length, 1);
    const c = p.steps[s.facts[0].callStep];
    assert.equal(c.kind, 'call');
    assert.equal(c.call.name, 'writeback_iter');
    assert.equal(c.assignTo, 'folio');
    assert.equal(s.facts[0].relation, s.value ? 'nonnull' : 'null');
  }
  // a gap right before the error labels does not fall into them; the labels are reached by goto edges
  const toLabel = wp.paths.filter((p) => p.assumptions.some((a) => /jumps to (couldnt_start|out)/.test(a)));
  assert.ok(toLabel.length >= 2);
  assert.ok(wp.paths.some((p) => p.steps.some((s) => s.kind === 'call' && s.call.name === 'netfs_wb_end')));
  assert.ok(wp.paths.some((p) => p.end === 'unknown-exit'));
});

test('seed 000 post: IS_ERR ties to the call that produced the pointer', (t) => {
  if (skip(t)) return;
  const bw = byName(analyse('post').fns, 'netfs_begin_writethrough');
  const p = bw.paths.find((x) => x.end === 'return');
  assert.ok(p, core.renderPathsText([bw]));
  const a = p.steps.find((s) => s.kind === 'assume' && s.cond === 'IS_ERR(wreq)');
  assert.equal(a.value, true);
  assert.equal(a.facts[0].relation, 'is-err');
  assert.equal(p.steps[a.facts[0].callStep].call.name, 'netfs_create_write_req');
  assert.equal(p.returnExpr, 'wreq');
  assert.deepEqual(p.steps.filter((s) => s.kind === 'call').map((s) => s.call.name), ['file_inode', 'netfs_inode', 'netfs_wb_begin', 'netfs_create_write_req', 'netfs_wb_end']);
});

test('seed 000 pre: functions added by the patch do not appear; the old locking does', (t) => {
  if (skip(t)) return;
  const { fns } = analyse('pre');
  const names = fns.map((f) => f.name);
  for (const n of ['netfs_wb_begin', 'netfs_wb_end', 'netfs_wb_begin_wait']) assert.ok(!names.includes(n), n);
  const wp = byName(fns, 'netfs_writepages');
  assert.ok(wp.paths.some((p) => p.steps.some((s) => s.kind === 'call' && s.call.name === 'mutex_trylock')));
  assert.ok(wp.paths.every((p) => p.steps.every((s) => !(s.kind === 'call' && s.call.name === 'netfs_wb_begin'))));
  assert.equal(wp.file, 'fs/netfs/write_issue.c');
  assert.equal(wp.side, 'pre');
});

test('seed 000: renderPathsText lists every path with input and source lines', (t) => {
  if (skip(t)) return;
  const wb = byName(analyse('post').fns, 'netfs_wb_begin');
  const txt = core.renderPathsText([wb]);
  assert.match(txt, /netfs_wb_begin \(post\)/);
  assert.match(txt, /p2: ends return \(return netfs_wb_begin_wait\(ictx\)\)/);
  assert.match(txt, /L261 in:123\s+call\s+test_and_set_bit_lock/);
});
