// Inputs built to hit super-linear corners of the parsers (long runs of one character, thousands of
// repeated headers, separators, markers, entities): each must stay near linear, so a hostile mail of a
// few hundred KB cannot freeze the editor. The bounds are generous (a loaded 2-core machine); a
// quadratic corner misses them by far.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STRICT } from '../fixtures/robust/known.mjs';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');
const here = path.dirname(fileURLToPath(import.meta.url));
const wasmDir = path.join(path.resolve(here, '..', '..'), 'dist');
await core.initTreeSitter(wasmDir);

const CASES = {
  tinyMessages: () => Array.from({ length: 20000 }, (_, i) => `From nobody Mon Sep 17 00:00:00 2001\nSubject: [PATCH ${(i % 50) + 1}/50] x\n\nbody\n`).join(''),
  manyFromHeaders: () => 'From: a <a@b>\n'.repeat(50000),
  manyDiffGitHeaders: () => Array.from({ length: 20000 }, (_, i) => `diff --git a/f${i}.c b/f${i}.c\n`).join(''),
  manyHunkHeaders: () => '@@ -1,1 +1,1 @@\n'.repeat(50000),
  manyTrailers: () => `Subject: [PATCH] x\n\nbody\n\n${'Signed-off-by: A <a@b>\n'.repeat(30000)}---\n`,
  quoteDepths: () => Array.from({ length: 10000 }, (_, i) => `${'>'.repeat(i % 200)} +x`).join('\n'),
  nestedHtml: () => `<html><body>${'<div><span>'.repeat(20000)}diff --git a/x.c b/x.c${'</span></div>'.repeat(20000)}</body></html>`,
  entities: () => `<pre>${'&lt;&amp;&#x1F600;&#9999999999;&#0;'.repeat(30000)}</pre>`,
  taggedSubjects: () => Array.from({ length: 10000 }, (_, i) => `Subject: [PATCH v${i} ${i}/${i}] [RFC] [net-next] [${'x'.repeat(i % 100)}] a`).join('\n'),
  softBreaks: () => `Content-Transfer-Encoding: quoted-printable\nSubject: x\n\n${'=\n'.repeat(200000)}`,
  oneLongLine: () => `Subject: [PATCH] x\n\n${'word '.repeat(400000)}\n`,
};

test('robust pathological: repeated structures parse and check in near-linear time', async () => {
  for (const [name, make] of Object.entries(CASES)) {
    const text = make();
    const t0 = performance.now();
    const p = core.parseInput(text, name);
    const parseMs = performance.now() - t0;
    assert.ok(parseMs < 5000, `${name} (${(text.length / 1e6).toFixed(1)} MB): parseInput took ${parseMs.toFixed(0)} ms`);
    assert.ok(Array.isArray(p.problems));
    const t1 = performance.now();
    const r = await core.checkText(text, name, { wasmDir });
    const checkMs = performance.now() - t1;
    assert.ok(checkMs < 8000, `${name}: checkText took ${checkMs.toFixed(0)} ms`);
    assert.deepEqual(core.validateCheckReport(JSON.parse(JSON.stringify(r))), [], name);
  }
});

test('robust pathological: a line of 50 000 quote marks parses quickly', () => {
  const text = `${'>'.repeat(50000)} x\n`;
  const t0 = performance.now();
  core.parseInput(text, 'gt.txt');
  const ms = performance.now() - t0;
  assert.ok(ms < 1000, `parseInput took ${ms.toFixed(0)} ms on ${text.length} bytes`);
});

test('robust pathological: a subject of 40 000 RFC 2047 encoded words parses quickly', () => {
  const text = `Subject: ${'=?UTF-8?B?4oCu?= '.repeat(40000)}\n\nbody\n`;
  const t0 = performance.now();
  const p = core.parseInput(text, 'ew.eml');
  const ms = performance.now() - t0;
  assert.ok(ms < 1500, `parseInput took ${ms.toFixed(0)} ms on a ${(text.length / 1e6).toFixed(2)} MB header`);
  assert.ok(Array.isArray(p.messages));
});
