// C fixtures with their expected paths embedded ("expect:" lines), analysed with analyzeSource.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathSig, readExpectations } from '../fixtures/c/expect.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const core = require('../../dist/core.js');
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'c');

await core.initTreeSitter(path.join(repoRoot, 'dist'));

for (const name of fs.readdirSync(fixtures).filter((f) => f.endsWith('.c')).sort()) {
  const text = fs.readFileSync(path.join(fixtures, name), 'utf8');
  const expectations = readExpectations(text);
  const fns = core.analyzeSource(text, `fixtures/${name}`, 'post');
  for (const [fn, exp] of Object.entries(expectations)) {
    test(`c fixture ${name}: ${fn}`, () => {
      const fa = fns.find((f) => f.name === fn);
      assert.ok(fa, `function ${fn} analysed`);
      assert.equal(fa.notAnalysed, null, `analysed: ${fa.notAnalysed}`);
      if (exp.paths !== null) assert.equal(fa.paths.length, exp.paths, core.renderPathsText([fa]));
      for (const [id, sig] of Object.entries(exp.sigs)) {
        const p = fa.paths.find((x) => x.id === id);
        assert.ok(p, `path ${id} exists`);
        assert.equal(pathSig(p), sig, `${fn} ${id}`);
      }
    });
  }
}

test('analyzeSource is deterministic (byte-identical JSON)', () => {
  const text = fs.readFileSync(path.join(fixtures, 'idioms.c'), 'utf8');
  const a = JSON.stringify(core.analyzeSource(text, 'x.c', 'post'));
  const b = JSON.stringify(core.analyzeSource(text, 'x.c', 'post'));
  assert.equal(a, b);
});

test('every step has a ref with source lines in the fixture', () => {
  const text = fs.readFileSync(path.join(fixtures, 'idioms.c'), 'utf8');
  const n = text.split('\n').length;
  for (const fa of core.analyzeSource(text, 'x.c', 'post')) {
    for (const p of fa.paths) for (const s of p.steps) {
      assert.ok(s.ref.sourceLine >= 1 && s.ref.sourceLine <= n, `${fa.name} ${p.id} ${s.kind} line ${s.ref.sourceLine}`);
    }
  }
});

test('analyzeSource: functions filter, lineOffset and inputLineOf', () => {
  const text = fs.readFileSync(path.join(fixtures, 'idioms.c'), 'utf8');
  const plain = core.analyzeSource(text, 'x.c', 'post', { functions: ['demo_begin'] });
  assert.deepEqual(plain.map((f) => f.name), ['demo_begin']);
  const shifted = core.analyzeSource(text, 'x.c', 'post', { functions: ['demo_begin'], lineOffset: 100, inputLineOf: (l) => l + 1000 });
  assert.equal(shifted[0].startLine, plain[0].startLine + 100);
  assert.equal(shifted[0].inputLine, plain[0].startLine + 1100);
  for (const p of shifted[0].paths) for (const s of p.steps) assert.equal(s.ref.inputLine, s.ref.sourceLine + 1000);
  assert.ok(plain[0].paths.every((p) => p.steps.every((s) => s.ref.inputLine === null)));
});
