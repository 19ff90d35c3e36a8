// Robustness and bounds: misparsed C, the parse-error budget, caps on paths and loops, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const core = require('../../dist/core.js');
await core.initTreeSitter(path.join(repoRoot, 'dist'));
const fx = (n) => fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'c', n), 'utf8');
const robust = () => core.analyzeSource(fx('robust.c'), 'robust.c', 'post');
const named = (fns, n) => fns.find((f) => f.name === n);

test('robust: macro soup is reported as not analysed, with the reason, and no paths', () => {
  const f = named(robust(), 'demo_soup');
  assert.ok(f.notAnalysed && /parse errors/.test(f.notAnalysed), f.notAnalysed);
  assert.deepEqual(f.paths, []);
  assert.ok(f.problems.some((p) => p.kind === 'parse-errors'));
});

test('robust: the parse-error budget is an option', () => {
  const f = named(core.analyzeSource(fx('robust.c'), 'robust.c', 'post', { maxParseErrors: 0 }), 'demo_ifdef_mid');
  assert.equal(f.notAnalysed, null, 'the #ifdef inside a condition is rewritten before parsing');
  const ok = core.analyzeSource('int f(int a)\n{\n\tif (a) return g(a;\n\treturn 0;\n}\n', 'x.c', 'post', { maxParseErrors: 0 });
  assert.match(ok[0].notAnalysed ?? '', /parse errors/);
});

test('robust: #ifdef in the middle of a condition gives a bounded result and a message', () => {
  const f = named(robust(), 'demo_ifdef_mid');
  assert.equal(f.paths.length, 4);
  assert.ok(f.problems.some((p) => /CONFIG_DEMO_EXTRA.*inside a statement/.test(p.message)));
  assert.ok(f.paths[0].steps.some((s) => s.kind === 'call' && s.call.name === 'demo_extra'));
});

test('robust: attributes and sparse annotations do not hide the function', () => {
  const f = named(robust(), 'demo_attr');
  assert.equal(f.notAnalysed, null);
  assert.deepEqual(f.paths[0].steps.map((s) => s.kind), ['call', 'return']);
});

test('robust: iterator macros are loops', () => {
  const f = named(robust(), 'demo_iter');
  // The loop runs to its fixpoint: each iteration kind (busy → continue, or poke) is walked, twice in a
  // row where that repeats the state; those repeats are kept as witnesses ending 'cut'.
  assert.equal(f.truncated, false);
  assert.ok(f.paths.filter((p) => p.end !== 'cut').every((p) => p.steps.at(-1).kind === 'call' && p.steps.at(-1).call.name === 'demo_done'));
  assert.ok(f.paths.some((p) => p.assumptions.includes('list_for_each_entry(it, &d->items, link) is false') && p.steps.length === 2));
  for (const kind of ['demo_busy', 'demo_poke']) assert.ok(f.paths.some((p) => p.end === 'fallthrough' && p.steps.some((s) => s.kind === 'call' && s.call.name === kind)), kind);
});

test('robust: the witness cap truncates and says so; maxPaths is an option', () => {
  // Ten independent branches each calling demo_x(d): with every call relevant, 1024 distinct witnesses.
  const f = named(robust(), 'demo_many');
  assert.equal(f.paths.length, 1024);
  assert.equal(f.truncated, false);
  const g = named(core.analyzeSource(fx('robust.c'), 'robust.c', 'post', { maxPaths: 10 }), 'demo_many');
  assert.equal(g.paths.length, 10);
  assert.equal(g.truncated, true);
  assert.ok(g.problems.some((p) => p.kind === 'path-cap'));
  assert.deepEqual(g.paths.map((p) => p.id), ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9']);
});

test('robust: calls the simulator does not model do not split states (2^10 paths, 2 witnesses)', () => {
  const g = named(core.analyzeSource(fx('robust.c'), 'robust.c', 'post', { relevantCall: (n) => n !== 'demo_x' }), 'demo_many');
  assert.equal(g.truncated, false);
  assert.equal(g.paths.length, 2);
  assert.ok(g.states <= 12, `states ${g.states}`);
});

test('robust: loops run to a fixpoint; loopUnroll is a hard cap per loop and path, reported when hit', () => {
  const wp = (n) => named(core.analyzeSource(fx('idioms.c'), 'idioms.c', 'post', n === undefined ? {} : { loopUnroll: n }), 'demo_writepages');
  for (const n of [undefined, 2, 4]) {
    assert.equal(wp(n).paths.length, 3);
    assert.equal(wp(n).truncated, false);
  }
  // A backward goto loop is a loop like any other: it reaches its fixpoint, nothing is cut.
  const r = named(robust(), 'demo_retry');
  assert.equal(r.truncated, false);
  assert.ok(!r.problems.some((p) => p.kind === 'loop-bound'));
  assert.ok(r.paths.some((p) => p.end === 'return' && p.steps.filter((s) => s.kind === 'call' && s.call.name === 'demo_try').length === 2));
  // Two iteration kinds need two iterations to reach the fixpoint: a cap of one cuts and says so.
  const it = named(core.analyzeSource(fx('robust.c'), 'robust.c', 'post', { loopUnroll: 1 }), 'demo_iter');
  assert.equal(it.truncated, true);
  assert.ok(it.problems.some((p) => p.kind === 'loop-bound'));
});

test('robust: ?: with calls splits paths; GNU ?: returns the tested value', () => {
  const f = named(robust(), 'demo_ternary');
  assert.deepEqual(f.paths.map((p) => p.returnExpr), ['ret', 'demo_fallback(d)', 'ret', 'demo_fallback(d)']);
  assert.deepEqual(f.paths[1].steps.find((s) => s.kind === 'assume' && s.cond === 'ret').facts.map((x) => x.relation), ['zero']);
});

test('robust: junk input never throws', () => {
  for (const junk of ['', '}}}}', '\u0000\u0001binary', 'int f(\n{\n', '{'.repeat(5000), 'int f(void)\n{\n' + 'if (a) '.repeat(3000) + 'b();\n}\n']) {
    const r = core.analyzeSource(junk, 'junk.c', 'post');
    assert.ok(Array.isArray(r));
  }
  const diffJunk = { oldPath: 'a.c', newPath: 'a.c', status: 'modified', inputLine: 1, hunks: [{ oldStart: 5, oldLines: 2, newStart: 5, newLines: 2, section: 'int x(', inputLine: 2, lines: [{ kind: 'add', text: '\t} } } {', inputLine: 3, oldLine: null, newLine: 5 }, { kind: 'context', text: '\treturn (', inputLine: 4, oldLine: 5, newLine: 6 }] }] };
  assert.ok(Array.isArray(core.analyzeFileDiff(diffJunk, 'post')));
  assert.ok(Array.isArray(core.analyzeFileDiff(diffJunk, 'pre')));
});

test('robust: a parse time limit gives a message, not an exception', () => {
  const big = Array.from({ length: 4000 }, (_, i) => `int f${i}(int a)\n{\n\treturn g(a) + ${i};\n}\n`).join('\n');
  const r = core.analyzeSource(big, 'big.c', 'post', { parseTimeMs: 0.000001, functions: ['f1'] });
  assert.equal(r.length, 1);
  assert.ok(r[0].notAnalysed === null || /time limit/.test(r[0].notAnalysed));
});

test('robust: without initTreeSitter the core reports, it does not throw', () => {
  const out = execFileSync(process.execPath, ['-e', `const c=require(${JSON.stringify(path.join(repoRoot, 'dist', 'core.js'))});const r=c.analyzeSource('int f(void)\\n{\\n\\treturn 0;\\n}\\n','x.c','post');console.log(JSON.stringify(r[0].notAnalysed))`]).toString();
  assert.match(out, /initTreeSitter/);
});

test('robust: an attribute macro on its own line, or __attribute_const__, does not end the function early', async () => {
  // btrfs marks functions it exports to its self-tests with a bare `EXPORT_FOR_TESTS` line above the
  // signature; the grammar took the word for a type and the function for broken braces.
  const c = [
    '// SPDX-License-Identifier: GPL-2.0',
    '#include "demofs.h"',
    '',
    'EXPORT_FOR_TESTS',
    'struct demofs_map *demofs_alloc_map(int nr, gfp_t gfp)',
    '{',
    '\tstruct demofs_map *map;',
    '',
    '\tmap = kmalloc(demofs_map_size(nr), gfp);',
    '\tif (!map)',
    '\t\treturn NULL;',
    '\trefcount_set(&map->refs, 1);',
    '\treturn map;',
    '}',
    '',
    'size_t __attribute_const__ demofs_nr_csums(void)',
    '{',
    '\treturn ARRAY_SIZE(demofs_csums);',
    '}',
    '',
  ].join('\n');
  const patch = [
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001',
    'From: Demo <demo@example.invalid>',
    'Date: Mon, 2 Nov 2026 10:00:00 +0000',
    'Subject: [PATCH] demofs: touch',
    '',
    '---',
    'diff --git a/fs/demofs/map.c b/fs/demofs/map.c',
    '--- a/fs/demofs/map.c',
    '+++ b/fs/demofs/map.c',
    '@@ -6,1 +6,2 @@ struct demofs_map *demofs_alloc_map(int nr, gfp_t gfp)',
    ' {',
    '+',
    '@@ -17,1 +18,2 @@ size_t __attribute_const__ demofs_nr_csums(void)',
    ' {',
    '+',
    '',
  ].join('\n');
  const r = await core.checkText(patch, 'touch.patch', { wasmDir: path.join(repoRoot, 'dist'), treeFiles: { 'fs/demofs/map.c': c } });
  const fns = r.functions.filter((f) => f.name === 'demofs_alloc_map' || f.name === 'demofs_nr_csums');
  assert.equal(fns.length, 4, JSON.stringify(r.functions.map((f) => f.name)));
  for (const f of fns) assert.equal(f.notAnalysed ?? null, null, `${f.name}: ${f.notAnalysed}`);
});
