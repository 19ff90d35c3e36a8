// Placing a finding's line (post- or pre-image of the patch) in the reviewer's copy of the file:
// treeSides builds both images from the tree, mapLine finds a line in another version of the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, '..', 'fixtures', 'c');
const core = require('../../dist/core.js');

const parsed = core.parseInput(fs.readFileSync(path.join(fixtures, 'demo-series.patch'), 'utf8'), 'demo-series.patch');
const fd = parsed.messages[0].files.find((f) => f.newPath === 'fs/demo/write.c');
const base = fs.readFileSync(path.join(fixtures, 'tree-base', 'fs', 'demo', 'write.c'), 'utf8');
const applied = fs.readFileSync(path.join(fixtures, 'tree-applied', 'fs', 'demo', 'write.c'), 'utf8');
const lines = (t) => t.replace(/\n$/, '').split('\n');

test('treeSides: a tree at base and a tree with the patch applied give the same two images', () => {
  const a = core.treeSides(fd, base);
  const b = core.treeSides(fd, applied);
  assert.equal(a.state, 'at-base');
  assert.equal(b.state, 'applied');
  assert.deepEqual(a.pre, lines(base));
  assert.deepEqual(b.post, lines(applied));
  assert.deepEqual(a.post, b.post);
  assert.deepEqual(a.pre, b.pre);
});

test('treeSides: a tree the hunks do not place gives null', () => {
  assert.equal(core.treeSides(fd, 'int unrelated(void)\n{\n\treturn 0;\n}\n'), null);
});

test('mapLine: a post-image line lands on itself in the applied tree, and on its shared neighbour in a tree at base', () => {
  const { pre, post } = core.treeSides(fd, base);
  // Every post line maps onto the applied tree exactly, at the same number.
  for (let l = 1; l <= post.length; l++) assert.deepEqual(core.mapLine(post, l, lines(applied)), { line: l, exact: true });
  // A line the patch adds: not in the tree at base; placed after the last shared line above it.
  const added = fd.hunks.flatMap((h) => h.lines).find((l) => l.kind === 'add' && /[a-z]/.test(l.text));
  const at = post.indexOf(added.text) + 1;
  assert.ok(at > 0);
  if (!pre.includes(added.text)) {
    const m = core.mapLine(post, at, pre);
    assert.equal(m.exact, false);
    // The line before the place is one the two images share, and the place is inside the hunk's pre range.
    assert.equal(pre[m.line - 2], post[post.slice(0, at - 1).map((t, i) => [t, i]).reverse().find(([t]) => pre.includes(t))[1]]);
  }
});

test('mapLine: a tree that has moved on (lines inserted above) finds the line by its neighbours', () => {
  const { post } = core.treeSides(fd, applied);
  const moved = ['/* a comment added upstream */', '#include <linux/extra.h>', '', ...post];
  const target = post.findIndex((l) => /\S{4}/.test(l) && post.indexOf(l) === post.lastIndexOf(l)) + 1;
  assert.deepEqual(core.mapLine(post, target, moved), { line: target + 3, exact: true });
});

test('mapLine: nothing shared gives null, never a guess; out-of-range lines give null', () => {
  assert.equal(core.mapLine(['int a;', 'int b;', 'int c;'], 2, ['x', 'y', 'z']), null);
  assert.equal(core.mapLine(['int a;'], 0, ['int a;']), null);
  assert.equal(core.mapLine(['int a;'], 2, ['int a;']), null);
});
