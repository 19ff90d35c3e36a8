// Kernel tree mode: locating the patch in the reviewer's copy of the file (at base / applied /
// conflict, offsets and light fuzz) and analysing the touched functions whole.
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
await core.initTreeSitter(path.join(repoRoot, 'dist'));

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'c');
const parsed = core.parseInput(fs.readFileSync(path.join(fixtures, 'demo-series.patch'), 'utf8'), 'demo-series.patch');
const fd = parsed.messages[0].files.find((f) => f.newPath === 'fs/demo/write.c');
const base = fs.readFileSync(path.join(fixtures, 'tree-base', 'fs', 'demo', 'write.c'), 'utf8');
const applied = fs.readFileSync(path.join(fixtures, 'tree-applied', 'fs', 'demo', 'write.c'), 'utf8');
const names = (r) => r.functions.map((f) => f.name);

test('tree: a tree at the patch base gives whole functions on both sides', () => {
  const post = core.analyzeWithTree(fd, base, 'post');
  assert.equal(post.treeState, 'at-base');
  assert.deepEqual(post.problems, []);
  assert.deepEqual(names(post), ['demo_writepages', 'demo_one', 'demo_begin', 'demo_submit']);
  for (const f of post.functions) {
    assert.equal(f.complete, true, f.name);
    assert.equal(f.notAnalysed, null, f.name);
    assert.ok(f.paths.every((p) => !p.crossesGap), `${f.name} has no gaps`);
  }
  const w = post.functions[0];
  assert.equal(w.startLine, 19);
  assert.equal(w.endLine, 64);
  // Witnesses of the state search: exits after zero, one and two loop iterations, the break, the error
  // paths, and the repeated iteration kept as a witness ending "cut".
  assert.equal(w.paths.length, 8);
  assert.equal(w.truncated, false);
  // the step on an added line refers to that input line; lines the patch does not show have no input line
  const p0 = w.paths[0];
  const begin = p0.steps.find((s) => s.kind === 'call' && s.call.name === 'demo_begin');
  assert.deepEqual(begin.ref, { inputLine: 46, sourceLine: 27 });
  const ctx = p0.steps.find((s) => s.kind === 'call' && s.call.name === 'demo_ctx_of');
  assert.deepEqual(ctx.ref, { inputLine: null, sourceLine: 22 });
  const pre = core.analyzeWithTree(fd, base, 'pre');
  assert.deepEqual(names(pre), ['demo_writepages', 'demo_one', 'demo_old_helper', 'demo_submit']);
  assert.ok(pre.functions[0].paths.some((p) => p.steps.some((s) => s.kind === 'call' && s.call.name === 'mutex_lock')));
});

test('tree: whole functions from the tree see what the patch alone cannot (demo_send before the hunk)', () => {
  const sub = core.analyzeWithTree(fd, base, 'post').functions.find((f) => f.name === 'demo_submit');
  const p = sub.paths.find((x) => x.returnExpr === 'ret');
  const a = p.steps.find((s) => s.kind === 'assume' && s.cond === 'ret < 0');
  assert.equal(p.steps[a.facts[0].callStep].call.name, 'demo_send');
  assert.equal(a.facts[0].relation, 'negative');
});

test('tree: a tree that already has the patch is recognised as applied', () => {
  const post = core.analyzeWithTree(fd, applied, 'post');
  assert.equal(post.treeState, 'applied');
  assert.deepEqual(names(post), ['demo_writepages', 'demo_one', 'demo_begin', 'demo_submit']);
  const pre = core.analyzeWithTree(fd, applied, 'pre');
  assert.deepEqual(names(pre), ['demo_writepages', 'demo_one', 'demo_old_helper', 'demo_submit']);
  // both routes build the same functions
  const fromBase = core.analyzeWithTree(fd, base, 'post');
  assert.equal(JSON.stringify(post.functions), JSON.stringify(fromBase.functions));
});

test('tree: offsets are found and reported; source lines follow the tree', () => {
  const shifted = '/* local change */\n'.repeat(7) + base;
  const r = core.analyzeWithTree(fd, shifted, 'post');
  assert.equal(r.treeState, 'at-base');
  assert.ok(r.problems.some((p) => p.kind === 'tree-fuzz' && /offset 7 lines/.test(p.message)));
  assert.equal(r.functions[0].startLine, 26);
});

test('tree: light fuzz (whitespace, a changed context line) still applies, and says so', () => {
  const ws = base.replace('\tstruct folio *folio;\n\tint error = 0;', '        struct folio *folio;\n\tint error = 0;');
  const r1 = core.analyzeWithTree(fd, ws, 'post');
  assert.equal(r1.treeState, 'at-base');
  assert.ok(r1.problems.some((p) => /whitespace fuzz/.test(p.message)));
  const ctx = base.replace('\tstruct folio *folio;\n\tint error = 0;', '\tstruct folio *folio = NULL;\n\tint error = 0;');
  const r2 = core.analyzeWithTree(fd, ctx, 'post');
  assert.equal(r2.treeState, 'at-base');
  assert.ok(r2.problems.some((p) => /fuzz 1/.test(p.message)), JSON.stringify(r2.problems));
  assert.equal(r2.functions.length, 4);
});

test('tree: a conflicting tree falls back to the patch alone, with a problem', () => {
  const bad = base.replace('\tmutex_lock(&ctx->lock);\n\n\tfolio =', '\tmutex_lock_nested(&ctx->lock, 1);\n\n\tfolio =');
  const r = core.analyzeWithTree(fd, bad, 'post');
  assert.equal(r.treeState, 'conflict');
  assert.ok(r.problems.some((p) => p.kind === 'tree-conflict'));
  const w = r.functions.find((f) => f.name === 'demo_writepages');
  assert.equal(w.complete, false);
});
