// All seeds, both sides: the C layer never throws, is deterministic, and every function it
// reports is either analysed (with paths) or says why not.
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
await core.initTreeSitter(path.join(repoRoot, 'dist'));

const run = (text, name) => {
  const parsed = core.parseInput(text, name);
  const out = [];
  for (const side of ['pre', 'post']) for (const m of parsed.messages) for (const f of m.files) out.push(...core.analyzeFileDiff(f, side));
  return out;
};

test('seeds: deterministic, total, honest', (t) => {
  if (!fs.existsSync(seeds)) {
    t.skip('seeds not present: ../shared/seeds');
    return;
  }
  for (const name of fs.readdirSync(seeds).sort()) {
    const text = fs.readFileSync(path.join(seeds, name), 'utf8');
    const a = run(text, name);
    const b = run(text, name);
    assert.equal(JSON.stringify(a), JSON.stringify(b), `${name} deterministic`);
    for (const f of a) {
      assert.ok(f.name && f.file && (f.side === 'pre' || f.side === 'post'));
      if (f.notAnalysed === null) assert.ok(f.paths.length > 0, `${name} ${f.name} has paths`);
      else assert.equal(f.paths.length, 0);
      if (!f.complete) assert.ok(f.partialReasons.length > 0, `${name} ${f.name} says why it is partial`);
      f.paths.forEach((p, i) => {
        assert.equal(p.id, `p${i}`);
        assert.equal(p.crossesGap, p.steps.some((s) => s.kind === 'gap'));
        for (const s of p.steps) if (s.kind === 'assume') for (const fact of s.facts) assert.equal(p.steps[fact.callStep].kind, 'call');
        if (p.end === 'return') assert.equal(p.steps.at(-1).kind, 'return');
      });
    }
  }
});
