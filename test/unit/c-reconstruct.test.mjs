// Function reconstruction from hunks (patch-only mode) on a kernel-style patch written for the
// project (test/fixtures/c/demo-series.patch): hunks starting inside a do/while, after "} else {",
// on a continuation line; a function replaced by another; a header with prototypes and an inline.
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

const patchFile = path.join(repoRoot, 'test', 'fixtures', 'c', 'demo-series.patch');
const parsed = core.parseInput(fs.readFileSync(patchFile, 'utf8'), 'demo-series.patch');
const files = parsed.messages.flatMap((m) => m.files);
const fileOf = (p) => files.find((f) => f.newPath === p);
const all = (side) => files.flatMap((f) => core.analyzeFileDiff(f, side));
const fn = (side, name) => all(side).find((f) => f.name === name);

test('reconstruct: touched functions per side; non-C files and struct/prototype hunks give none', () => {
  assert.deepEqual(all('post').map((f) => `${f.file}:${f.name}`), [
    'fs/demo/write.c:demo_writepages', 'fs/demo/write.c:demo_one', 'fs/demo/write.c:demo_begin',
    'fs/demo/write.c:demo_submit', 'include/linux/demo.h:demo_init',
  ]);
  assert.deepEqual(all('pre').map((f) => f.name), ['demo_writepages', 'demo_one', 'demo_old_helper', 'demo_submit', 'demo_init']);
  assert.deepEqual(core.analyzeFileDiff(fileOf('Documentation/demo.rst'), 'post'), []);
});

test('reconstruct: complete vs partial, with reasons', () => {
  const b = fn('post', 'demo_begin');
  assert.equal(b.complete, true);
  assert.equal(b.paths.length, 3);
  assert.equal(fn('post', 'demo_init').complete, true);
  const w = fn('post', 'demo_writepages');
  assert.equal(w.complete, false);
  assert.ok(w.partialReasons.some((r) => /starts mid-function at line 24/.test(r)), w.partialReasons.join('; '));
  // The `if (...)` at the hunk edge stays shown (its body is the unseen code), so 21 lines are unseen.
  assert.ok(w.partialReasons.some((r) => /the body of the branch at line 31 is not shown/.test(r)), w.partialReasons.join('; '));
  assert.ok(w.partialReasons.some((r) => /gap of 21 lines/.test(r)), w.partialReasons.join('; '));
  assert.equal(w.startLine, 24);
  assert.equal(w.endLine, 64);
});

test('reconstruct: a hunk starting at "} while ((folio = writeback_iter(...)))" gets a synthetic do {', () => {
  const ft = core.reconstructFunctions(fileOf('fs/demo/write.c'), 'post', []).find((f) => f.name === 'demo_writepages');
  assert.match(ft.text, /do \{\n\t\t__lockstep_gap\(\d+\);\n\t\} while \(\(folio = writeback_iter/);
  const w = fn('post', 'demo_writepages');
  assert.equal(w.notAnalysed, null);
  // the iterator call result drives the loop: facts tie to it
  const loops = w.paths.flatMap((p) => p.steps.filter((s) => s.kind === 'assume' && s.cond.startsWith('folio = writeback_iter')));
  assert.ok(loops.length > 0);
  assert.ok(loops.every((s) => s.facts.length === 1 && s.facts[0].relation === (s.value ? 'nonnull' : 'null')));
  // the label right after the shown code is reached (goto edges), and the return of the label path is seen
  assert.ok(w.paths.some((p) => p.steps.some((s) => s.kind === 'call' && s.call.name === 'demo_end') && p.returnExpr === 'error'));
  // the early return of the new begin/end pair
  const p0 = w.paths[0];
  assert.equal(p0.returnExpr, '0');
  const begin = p0.steps.findIndex((s) => s.kind === 'call' && s.call.name === 'demo_begin');
  assert.deepEqual(p0.steps[begin + 1].facts, [{ callStep: begin, relation: 'false' }]);
});

test('reconstruct: a hunk starting at "} else {" opens an unseen if', () => {
  const ft = core.reconstructFunctions(fileOf('fs/demo/write.c'), 'post', []).find((f) => f.name === 'demo_one');
  assert.match(ft.text, /if \(__lockstep_unknown\) \{\n\t\t__lockstep_gap\(0\);\n\t\} else \{/);
  const o = fn('post', 'demo_one');
  assert.equal(o.notAnalysed, null);
  const withNote = o.paths.filter((p) => p.steps.some((s) => s.kind === 'call' && s.call.name === 'demo_note'));
  assert.equal(withNote.length, 1);
  assert.ok(withNote[0].assumptions.includes('unseen condition is false'));
});

test('reconstruct: a continuation line at a hunk start is dropped into the gap; no fact without its call', () => {
  const s = fn('post', 'demo_submit');
  assert.ok(s.partialReasons.some((r) => /statement cut by the hunk edge/.test(r)));
  for (const p of s.paths) {
    assert.ok(!p.steps.some((x) => x.kind === 'call' && x.call.name === 'demo_send'));
    for (const x of p.steps) if (x.kind === 'assume') assert.deepEqual(x.facts, []);
  }
  assert.ok(s.paths.some((p) => p.returnExpr === 'ret'));
  assert.ok(s.paths.some((p) => p.returnExpr === '0' && p.steps.some((x) => x.kind === 'call' && x.call.name === 'demo_account')));
});

test('reconstruct: every step refers to real input lines of the patch, or none', () => {
  const lines = fs.readFileSync(patchFile, 'utf8').split('\n');
  for (const side of ['pre', 'post']) {
    for (const f of all(side)) {
      for (const p of f.paths) {
        for (const s of p.steps) {
          if (s.kind === 'gap' || (s.kind === 'assume' && s.cond === 'unseen condition')) continue;
          assert.ok(s.ref.inputLine !== null, `${f.name} ${p.id} ${s.kind} has an input line`);
          const raw = lines[s.ref.inputLine - 1];
          assert.ok(/^[ +-]/.test(raw), `input line ${s.ref.inputLine} is a diff line: ${raw}`);
          if (side === 'post') assert.ok(!raw.startsWith('-'), `post step on a removed line ${s.ref.inputLine}`);
          else assert.ok(!raw.startsWith('+'), `pre step on an added line ${s.ref.inputLine}`);
        }
      }
    }
  }
});

test('reconstruct: a leading gap before declarations only falls through (kernel C declares first)', () => {
  const w = fn('post', 'demo_writepages');
  assert.ok(w.partialReasons.some((r) => /signature and leading declarations not shown/.test(r)), w.partialReasons.join('; '));
  const g = w.paths[0].steps[0];
  assert.equal(g.kind, 'gap');
  assert.equal(g.declarationsOnly, true);
  // no path leaves or jumps from that gap
  assert.ok(w.paths.every((p) => !p.assumptions.some((a) => /^unseen code leaves|^unseen code jumps/.test(a))));
  assert.ok(w.paths.every((p) => p.steps.length > 1));
  // a hunk that starts with a statement keeps a full leading gap
  const o = fn('post', 'demo_one');
  assert.ok(o.paths.every((p) => p.steps[0].kind === 'gap' && !p.steps[0].declarationsOnly));
  assert.ok(o.paths.some((p) => p.end === 'unknown-exit' && p.steps.length === 1));
});

test('reconstruct: a hunk starting at the opening brace takes the signature from the heading', () => {
  const patch = [
    'diff --git a/fs/demo/brace.c b/fs/demo/brace.c',
    '--- a/fs/demo/brace.c',
    '+++ b/fs/demo/brace.c',
    '@@ -10,7 +10,9 @@ int demo_brace(struct demo *d, struct folio *folio,',
    ' {',
    ' \tint ret;',
    ' ',
    '+\tif (!folio_trylock(folio))',
    '+\t\treturn -EAGAIN;',
    ' \tret = demo_work(d, folio);',
    ' \tfolio_unlock(folio);',
    ' \treturn ret;',
    ' }',
    '',
  ].join('\n');
  const p = core.parseInput(patch, 'brace.diff');
  const f = p.messages.flatMap((m) => m.files)[0];
  const [a] = core.analyzeFileDiff(f, 'post');
  assert.equal(a.name, 'demo_brace');
  assert.equal(a.complete, true, a.partialReasons.join('; '));
  assert.equal(a.paths.length, 2);
  assert.deepEqual(a.paths.map((x) => x.returnExpr), ['-EAGAIN', 'ret']);
  assert.deepEqual(a.paths[0].steps[1].facts, [{ callStep: 0, relation: 'false' }]);
  assert.equal(a.startLine, 10);
});

test('reconstruct: #if blocks cut by hunk edges are balanced', () => {
  const patch = [
    'diff --git a/fs/demo/pp.c b/fs/demo/pp.c',
    '--- a/fs/demo/pp.c',
    '+++ b/fs/demo/pp.c',
    '@@ -20,6 +20,7 @@ int demo_pp(struct demo *d)',
    ' \tint ret = 0;',
    ' ',
    ' #ifdef CONFIG_DEMO_CACHE',
    '+\tdemo_cache_begin(d);',
    ' \tret = demo_cache_write(d);',
    ' \tif (ret < 0)',
    ' \t\treturn ret;',
    '@@ -40,6 +41,7 @@ int demo_pp(struct demo *d)',
    ' \t\treturn ret;',
    ' #else',
    ' \tdemo_nocache(d);',
    '+\tdemo_note(d);',
    ' #endif',
    ' \treturn demo_finish(d);',
    ' }',
    '',
  ].join('\n');
  const f = core.parseInput(patch, 'pp.diff').messages.flatMap((m) => m.files)[0];
  const [a] = core.analyzeFileDiff(f, 'post');
  assert.equal(a.name, 'demo_pp');
  assert.equal(a.notAnalysed, null, a.problems.map((p) => p.message).join('; '));
  assert.ok(!a.problems.some((p) => p.kind === 'parse-errors'), a.problems.map((p) => p.message).join('; '));
  assert.ok(a.paths.some((p) => p.assumptions.includes('#ifdef CONFIG_DEMO_CACHE is true') && p.steps.some((s) => s.kind === 'call' && s.call.name === 'demo_cache_begin')));
  assert.ok(a.paths.some((p) => p.assumptions.includes('unseen #if condition is false') && p.steps.some((s) => s.kind === 'call' && s.call.name === 'demo_note')));
});
