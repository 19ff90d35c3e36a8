// Property: any hunk made from kernel-style lines (random windows, random add/del marks, random
// headings) is analysed without throwing, deterministically, with paths or a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const core = require('../../dist/core.js');
await core.initTreeSitter(path.join(repoRoot, 'dist'));
const src = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'c', 'tree-base', 'fs', 'demo', 'write.c'), 'utf8').split('\n');

function hunkFrom(start, len, kinds, section) {
  const lines = [];
  let o = start + 1;
  let n = start + 1;
  for (let i = 0; i < len && start + i < src.length; i++) {
    const kind = kinds[i % kinds.length];
    lines.push({ kind, text: src[start + i], inputLine: 10 + i, oldLine: kind === 'add' ? null : o, newLine: kind === 'del' ? null : n });
    if (kind !== 'add') o++;
    if (kind !== 'del') n++;
  }
  return { oldStart: start + 1, oldLines: o - start - 1, newStart: start + 1, newLines: n - start - 1, section, inputLine: 9, lines };
}

test('property: random hunks never throw and are deterministic', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ start: fc.nat(src.length - 1), len: fc.integer({ min: 1, max: 40 }) }), { minLength: 1, maxLength: 3 }),
      fc.array(fc.constantFrom('context', 'context', 'add', 'del'), { minLength: 1, maxLength: 7 }),
      fc.constantFrom('', 'int demo_writepages(struct address_space *mapping,', 'static int demo_one(struct demo_ctx *ctx, struct folio *folio, bool sync)', 'struct demo_ctx {'),
      (wins, kinds, section) => {
        const sorted = [...wins].sort((a, b) => a.start - b.start);
        const file = { oldPath: 'fs/demo/write.c', newPath: 'fs/demo/write.c', status: 'modified', inputLine: 1, hunks: sorted.map((w) => hunkFrom(w.start, w.len, kinds, section)) };
        for (const side of ['pre', 'post']) {
          const a = core.analyzeFileDiff(file, side, { maxPaths: 32 });
          const b = core.analyzeFileDiff(file, side, { maxPaths: 32 });
          assert.equal(JSON.stringify(a), JSON.stringify(b));
          for (const f of a) assert.ok(f.notAnalysed !== null || f.paths.length > 0, `${f.name}: paths or a reason`);
        }
      },
    ),
    { numRuns: 150, seed: 42 },
  );
});
