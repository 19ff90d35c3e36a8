// A series reports its progress (CheckOptions.onProgress): after each message, the report so far, so
// the editor can show the first patches' findings before the whole series is done (issue 14).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSeries } from '../../bench/series.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const core = require(join(root, 'dist', 'core.js'));
const wasmDir = join(root, 'dist');

test('a series reports each message as it is analysed; the first patch\'s error comes before the rest', async () => {
  const text = makeSeries(6, 2, { buggy: [0] });
  const seen = [];
  const final = await core.checkText(text, 'series.mbox', {
    wasmDir,
    onProgress: (analysed, total, build) => { const partial = build(); seen.push({ analysed, total, errors: partial.findings.filter((f) => f.severity === 'error').length, partial }); },
  });
  // The cover letter and six patches: a progress report after every patch but the last.
  assert.deepEqual(seen.map((s) => s.analysed), [2, 3, 4, 5, 6]);
  assert.ok(seen.every((s) => s.total === 7));
  const first = seen.find((s) => s.errors > 0);
  assert.ok(first && first.analysed === 2, `the first patch's errors show after message 2 (cover letter, patch 1): ${seen.map((s) => s.errors)}`);
  // Both functions of patch 1 return with the wb lock and the folio lock held, in the middle of the iteration.
  assert.equal(first.errors, 6, first.partial.findings.map((f) => `${f.function} ${f.check}`).join('; '));
  assert.deepEqual([...new Set(first.partial.findings.map((f) => f.check))].sort(), ['folio-lock', 'wb-pairing', 'writeback-iter']);
  assert.ok(first.partial.problems.some((p) => p.kind === 'in-progress' && /2 of 7 messages analysed, 5 to come/.test(p.message)));
  // The final report: the same errors, and no progress problem.
  assert.equal(final.findings.filter((f) => f.severity === 'error').length, 6);
  assert.ok(!final.problems.some((p) => p.kind === 'in-progress'));
  // Partial reports are copies: the analysis going on does not change what was handed out.
  assert.equal(seen[0].partial.functions.length, 4, 'patch 1: two functions, both sides');
  assert.ok(final.functions.length > seen[0].partial.functions.length);
});

test('a single patch makes no progress reports; cancelling stops a series with a labelled partial result', async () => {
  const one = makeSeries(1, 2);
  let calls = 0;
  await core.checkText(one, 'one.mbox', { wasmDir, onProgress: () => calls++ });
  assert.equal(calls, 0, 'a cover letter and one patch: only the final report');
  const text = makeSeries(8, 2);
  let n = 0;
  const r = await core.checkText(text, 'series.mbox', { wasmDir, onProgress: (analysed) => { n = analysed; }, isCancelled: () => n >= 3 });
  assert.ok(r.problems.some((p) => p.kind === 'limit' && /cancelled/.test(p.message)), JSON.stringify(r.problems));
  assert.ok(r.functions.length < 16, `stopped early: ${r.functions.length} functions`);
});
