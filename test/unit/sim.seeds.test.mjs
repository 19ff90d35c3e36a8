// The path runner on the real seeds, through the mail parser and the C layer (dist/core.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const seedDir = path.resolve(repoRoot, '..', 'shared', 'seeds');

async function functionsOf(t, prefix) {
  if (!existsSync(seedDir)) { t.skip('seeds not present: ../shared/seeds'); return null; }
  const name = readdirSync(seedDir).find((f) => f.startsWith(prefix));
  if (!name) { t.skip(`seed ${prefix} not present`); return null; }
  await core.initTreeSitter(path.join(repoRoot, 'dist'));
  const parsed = core.parseInput(readFileSync(path.join(seedDir, name), 'utf8'), name);
  const out = { pre: [], post: [] };
  for (const m of parsed.messages) for (const f of m.files) for (const side of ['pre', 'post']) out[side].push(...core.analyzeFileDiff(f, side));
  return out;
}

const runsOf = (fa) => fa.paths.flatMap((p) => core.runPath(p, fa).map((r) => ({ path: p.id, ...r })));
const find = (fns, name) => fns.find((f) => f.name === name);

test('seed 000: the collector ends the wb lock for DIO/unbuffered requests (WB2) after the patch only', async (t) => {
  const fns = await functionsOf(t, '000');
  if (!fns) return;
  const post = find(fns.post, 'netfs_write_collection');
  const pre = find(fns.pre, 'netfs_write_collection');
  assert.ok(post && pre, 'netfs_write_collection on both sides');
  const postRuns = runsOf(post);
  const wb2 = postRuns.filter((r) => r.events.some((e) => e.kind === 'violation' && e.rule === 'WB2'));
  assert.deepEqual([...new Set(wb2.map((r) => r.variant))].sort(), ['NETFS_DIO_WRITE', 'NETFS_PGPRIV2_COPY_TO_CACHE', 'NETFS_UNBUFFERED_WRITE']);
  for (const r of postRuns.filter((r) => r.variant === 'NETFS_WRITEBACK')) assert.ok(!r.events.some((e) => e.kind === 'violation'), r.path);
  assert.ok(postRuns.some((r) => r.variant === 'NETFS_WRITEBACK' && r.events.some((e) => e.kind === 'release' && e.resource === 'wb-lock')));
  assert.ok(!runsOf(pre).some((r) => r.events.some((e) => e.kind === 'violation')), 'pre side clean');
  const v = wb2[0].events.find((e) => e.rule === 'WB2');
  assert.equal(wb2[0].trace.steps[v.step].violation.includes('WARN_ON_ONCE'), true);
  assert.equal(wb2[0].trace.tasks[0], 'collector');
});

test('seed 000: netfs_writeback_single skip path drops the re-dirty (WB3) after the patch only', async (t) => {
  const fns = await functionsOf(t, '000');
  if (!fns) return;
  const post = runsOf(find(fns.post, 'netfs_writeback_single'));
  const dd = post.filter((r) => r.events.some((e) => e.kind === 'dropped-dirty'));
  assert.ok(dd.length >= 1);
  assert.ok(dd.every((r) => r.variant === 'WB_SYNC_NONE'));
  assert.equal(dd[0].events.find((e) => e.kind === 'dropped-dirty').resource, 'inode-dirty');
  const pre = runsOf(find(fns.pre, 'netfs_writeback_single'));
  assert.ok(!pre.some((r) => r.events.some((e) => e.kind === 'dropped-dirty')));
  // The pre-patch skip branch re-dirties the inode under WB_SYNC_NONE.
  assert.ok(pre.some((r) => r.feasible && r.variant === 'WB_SYNC_NONE' && r.events.some((e) => e.kind === 'note' && e.resource === 'inode-dirty')));
});

test('seed 000: writepages hands the bit lock to the request; the mutex version unlocks it; lock implementations are skipped', async (t) => {
  const fns = await functionsOf(t, '000');
  if (!fns) return;
  const post = runsOf(find(fns.post, 'netfs_writepages'));
  assert.ok(post.some((r) => r.events.some((e) => e.kind === 'handoff' && e.resource === 'wb-lock')));
  const pre = runsOf(find(fns.pre, 'netfs_writepages'));
  assert.ok(pre.some((r) => r.events.some((e) => e.kind === 'release' && e.resource === 'wb-lock' && e.object === '&ictx->wb_lock')));
  assert.ok(!pre.some((r) => r.events.some((e) => e.kind === 'handoff')), 'no hand-off of the mutex');
  for (const runs of [pre, post]) assert.ok(!runs.some((r) => r.events.some((e) => e.kind === 'leak' && e.rule === 'WB1')), 'no WB1 leak');
  for (const name of ['netfs_wb_begin', 'netfs_wb_end', 'netfs_wb_begin_wait']) {
    const fa = find(fns.post, name);
    assert.ok(fa, name);
    assert.match(runsOf(fa)[0].skipped, /modeled primitive/);
  }
  // afs_symlink_writepages: netfs_wb_begin(&vnode->netfs, false) ... netfs_wb_end(&vnode->netfs) is balanced.
  const afs = runsOf(find(fns.post, 'afs_symlink_writepages'));
  assert.ok(afs.some((r) => r.events.some((e) => e.kind === 'acquire' && e.object === '&vnode->netfs')));
  assert.ok(!afs.some((r) => r.events.some((e) => (e.kind === 'leak' || e.kind === 'violation') && e.resource === 'wb-lock')));
});

test('seed 003: write_cache_pages as a writeback_iter loop is balanced (->writepage unlocks unless ACTIVATE)', async (t) => {
  const fns = await functionsOf(t, '003');
  if (!fns) return;
  const wcp = find(fns.post, 'write_cache_pages');
  assert.ok(wcp);
  const runs = runsOf(wcp);
  assert.ok(runs.some((r) => r.events.some((e) => e.kind === 'release' && e.resource === 'folio-lock' && /writepage/.test(e.message))));
  assert.deepEqual(runs.flatMap((r) => r.events.filter((e) => e.kind === 'leak' || e.kind === 'violation')), []);
  assert.match(runsOf(find(fns.post, 'writeback_iter'))[0].skipped, /modeled primitive/);
});
