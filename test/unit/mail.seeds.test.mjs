// Acceptance over the real inputs in ../shared/seeds (skipped when absent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLineMap } from '../fixtures/mail/check.mjs';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const seeds = path.resolve(repoRoot, '..', 'shared', 'seeds');

function seed(t, prefix) {
  if (!fs.existsSync(seeds)) { t.skip('seeds not present: ../shared/seeds'); return null; }
  const f = fs.readdirSync(seeds).find((n) => n.startsWith(prefix));
  if (!f) { t.skip(`seed ${prefix} not present`); return null; }
  const text = fs.readFileSync(path.join(seeds, f), 'utf8');
  return { text, name: f, p: core.parseInput(text, f) };
}
const hunks = (m) => m.files.reduce((a, f) => a + f.hunks.length, 0);

test('seed 000: pipermail page of netfs bit-lock patch', (t) => {
  const s = seed(t, '000_'); if (!s) return;
  const { p } = s;
  assert.equal(p.format, 'archive-page');
  assert.equal(p.messages.length, 1);
  const m = p.messages[0];
  assert.equal(m.kind, 'patch');
  assert.equal(m.subject, 'netfs: Replace wb_lock with a bit lock for asynchronicity');
  assert.deepEqual([m.version, m.index, m.total, m.versionExplicit, m.countersExplicit], [4, 7, 30, true, true]);
  assert.deepEqual(m.tags, ['PATCH']);
  assert.deepEqual(m.from, { name: 'David Howells', email: 'dhowells@redhat.com' });
  assert.equal(m.date, '2026-06-16T03:07:56-07:00');
  assert.deepEqual(m.trailers.map((x) => x.key), ['Link', 'Signed-off-by', 'Cc', 'Cc', 'Cc']);
  assert.deepEqual(m.trailers[1].person, { name: 'David Howells', email: 'dhowells@redhat.com' });
  assert.equal(m.trailers[3].value, 'netfs@lists.linux.dev');
  assert.match(m.body, /^The netfs_inode::wb_lock mutex is used/);
  assert.doesNotMatch(m.body, /files changed/);
  assert.equal(m.files.length, 5);
  assert.equal(hunks(m), 16);
  assert.deepEqual(m.files.map((f) => f.newPath), ['fs/afs/symlink.c', 'fs/netfs/locking.c', 'fs/netfs/write_collect.c', 'fs/netfs/write_issue.c', 'include/linux/netfs.h']);
  const wi = m.files[3];
  assert.equal(wi.hunks[0].section, 'int netfs_writepages(struct address_space *mapping,');
  assert.deepEqual([wi.hunks[0].oldStart, wi.hunks[0].oldLines, wi.hunks[0].newStart, wi.hunks[0].newLines], [551, 14, 551, 8]);
  const begin = wi.hunks[0].lines.find((l) => l.text.includes('netfs_wb_begin'));
  assert.equal(begin.kind, 'add');
  assert.equal(begin.newLine, 554);
  assert.equal(s.text.split('\n')[begin.inputLine - 1], '+' + begin.text);
  assert.ok(checkLineMap(s.text, p) > 200);
  assert.deepEqual(p.problems, []);
  assert.deepEqual(p.series, { title: 'netfs: Replace wb_lock with a bit lock for asynchronicity', version: 4, total: 30 });
});

test('seed 001: single-line quoted-printable RFC mail', (t) => {
  const s = seed(t, '001_'); if (!s) return;
  const { p } = s;
  assert.equal(p.messages.length, 1);
  const m = p.messages[0];
  assert.equal(m.kind, 'patch');
  assert.equal(m.subject, 'iomap: Enable stable writes for RWF_WRITETHROUGH inodes');
  assert.deepEqual([m.index, m.total, m.countersExplicit, m.versionExplicit], [2, 3, true, false]);
  assert.deepEqual(m.tags, ['RFC']);
  assert.equal(m.from.name, 'Ojaswin Mujoo');
  assert.equal(m.date, '2026-03-09T23:04:32+05:30');
  assert.equal(m.messageId, '3704b81046b11f8b8da0367c7c8ad8767f42e5df.1773076216.git.ojaswin@linux.ibm.com');
  assert.deepEqual(m.trailers.map((x) => `${x.key}: ${x.value}`), ['Suggested-by: Dave Chinner', 'Suggested-by: Jan Kara', 'Signed-off-by: Ojaswin Mujoo']);
  assert.match(m.body, /^Currently, RWF_WRITETHROUGH writes wait/);
  assert.equal(m.files.length, 5);
  assert.equal(hunks(m), 8);
  assert.deepEqual(m.files.map((f) => f.newPath), ['fs/inode.c', 'fs/iomap/buffered-io.c', 'fs/iomap/direct-io.c', 'include/linux/fs.h', 'include/linux/iomap.h']);
  assert.ok(p.problems.some((x) => x.kind === 'scraped'));
  // Every rebuilt hunk fits its header counts exactly; every other hunk is reported.
  const reported = new Set(p.problems.filter((x) => x.kind === 'hunk-unrebuilt').map((x) => x.message));
  for (const f of m.files) for (const h of f.hunks) {
    if (!h.lines.length) { assert.ok([...reported].some((r) => r.includes(`-${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines}`))); continue; }
    assert.equal(h.lines.filter((l) => l.kind !== 'add').length, h.oldLines);
    assert.equal(h.lines.filter((l) => l.kind !== 'del').length, h.newLines);
    for (const l of h.lines) assert.equal(l.inputLine, 1);
  }
  // QP decoded: "=3D" → "=", soft breaks joined.
  const inode = m.files[0].hunks[0];
  assert.equal(inode.section, 'int inode_init_always_gfp(struct super_block *sb, struct inode *inode, gfp_t gfp');
  assert.deepEqual(inode.lines.map((l) => l.kind[0] + l.text), [
    'cmapping->flags = 0;', 'cmapping->wb_err = 0;', 'catomic_set(&mapping->i_mmap_writable, 0);',
    'aatomic_set(&mapping->i_wt_count, 0);', 'c#ifdef CONFIG_READ_ONLY_THP_FOR_FS', 'catomic_set(&mapping->nr_thps, 0);', 'c#endif']);
  assert.equal(inode.lines[3].newLine, 283);
});

test('seed 002: LKML archive reply without a patch', (t) => {
  const s = seed(t, '002_'); if (!s) return;
  const { p } = s;
  assert.equal(p.format, 'archive-page');
  assert.equal(p.messages.length, 1);
  const m = p.messages[0];
  assert.equal(m.kind, 'discussion');
  assert.equal(m.files.length, 0);
  assert.equal(m.from.name, 'Andrew Morton');
  assert.match(m.date, /^2007-09-29T/);
  assert.equal(m.subject, 'Write-back from inside FS - need suggestions');
  assert.match(m.rawSubject, /^Re: /);
  assert.equal(p.series, null);
});

test('seed 003: single-line review reply quoting a patch', (t) => {
  const s = seed(t, '003_'); if (!s) return;
  const { p } = s;
  assert.equal(p.messages.length, 1);
  const m = p.messages[0];
  assert.equal(m.kind, 'reply-with-patch');
  assert.equal(m.from.name, 'Christoph Hellwig');
  assert.equal(m.files.length, 2);
  assert.equal(hunks(m), 5);
  assert.deepEqual(m.files.map((f) => f.newPath), ['include/linux/writeback.h', 'mm/page-writeback.c']);
  const rb = m.trailers.find((x) => x.key === 'Reviewed-by');
  assert.ok(rb, 'Reviewed-by attributed to the quoted patch');
  assert.equal(rb.person.name, 'Jan Kara');
  assert.ok(m.trailers.some((x) => x.key === 'Signed-off-by' && x.person.name === 'Christoph Hellwig'));
  for (const f of m.files) for (const h of f.hunks) {
    if (!h.lines.length) continue;
    assert.equal(h.lines.filter((l) => l.kind !== 'add').length, h.oldLines);
    assert.equal(h.lines.filter((l) => l.kind !== 'del').length, h.newLines);
  }
  const added = m.files[0].hunks[0].lines.find((l) => l.kind === 'add');
  assert.deepEqual([added.text, added.newLine], ['int saved_err;', 85]);
});

test('seed 004: pull-request page of a 26-patch series', (t) => {
  const s = seed(t, '004_'); if (!s) return;
  const { p } = s;
  assert.equal(p.format, 'pull-request-page');
  assert.deepEqual(p.series, { title: 'netfs: Keep track of folios in a segmented bio_vec[] chain', version: 1, total: 26 });
  assert.equal(p.messages.length, 26);
  assert.ok(p.messages.every((m) => m.kind === 'series-entry' && m.files.length === 0));
  assert.deepEqual(p.messages.map((m) => m.index), Array.from({ length: 26 }, (_, i) => i + 1));
  const first = p.messages[0];
  assert.match(first.body, /^When a write subrequest is marked NETFS_SREQ_NEED_RETRY/);
  assert.deepEqual(first.trailers.map((x) => x.key), ['Fixes', 'Reported-by', 'Closes', 'Signed-off-by', 'Signed-off-by', 'Tested-by']);
  assert.ok(p.problems.some((x) => x.kind === 'no-diff'));
  assert.ok(!p.problems.some((x) => x.kind === 'pr-commit-count'));
});

test('seeds: parsing is deterministic (byte-identical JSON)', (t) => {
  if (!fs.existsSync(seeds)) { t.skip('seeds not present: ../shared/seeds'); return; }
  for (const f of fs.readdirSync(seeds).sort()) {
    const text = fs.readFileSync(path.join(seeds, f), 'utf8');
    const a = JSON.stringify(core.parseInput(text, f));
    const b = JSON.stringify(core.parseInput(text, f));
    assert.equal(a, b, f);
  }
});

test('seeds 000 and 002 scraped to one line keep their metadata; no hunk is rebuilt wrongly', (t) => {
  const s0 = seed(t, '000_'); if (!s0) return;
  const one = s0.text.replace(/\s+/g, ' ');
  const p = core.parseInput(one, 'one-line-000.txt');
  assert.equal(p.format, 'archive-page');
  const m = p.messages[0];
  assert.equal(m.subject, 'netfs: Replace wb_lock with a bit lock for asynchronicity');
  assert.deepEqual([m.version, m.index, m.total], [4, 7, 30]);
  assert.deepEqual(m.from, { name: 'David Howells', email: 'dhowells@redhat.com' });
  assert.deepEqual(m.trailers.map((x) => x.key), ['Link', 'Signed-off-by', 'Cc', 'Cc', 'Cc']);
  assert.equal(m.files.length, 5);
  assert.equal(hunks(m), 16);
  const truth = s0.p.messages[0].files.flatMap((f) => f.hunks);
  m.files.flatMap((f) => f.hunks).forEach((h, i) => {
    if (!h.lines.length) return;
    assert.deepEqual(h.lines.map((l) => [l.kind, l.oldLine, l.newLine, l.text.replace(/\s+/g, '')]),
      truth[i].lines.map((l) => [l.kind, l.oldLine, l.newLine, l.text.replace(/\s+/g, '')]));
  });
  const s2 = seed(t, '002_'); if (!s2) return;
  const p2 = core.parseInput(s2.text.replace(/\s+/g, ' '), 'one-line-002.txt');
  assert.equal(p2.messages[0].kind, 'discussion');
  assert.equal(p2.messages[0].from.name, 'Andrew Morton');
  assert.match(p2.messages[0].date, /^2007-09-29T/);
});
