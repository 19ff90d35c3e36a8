// Fuzz/property tests: mutated mails and hostile C fragments through parseInput, checkText and
// analyzeSource. No exception escapes, every input finishes within its bound, the output keeps the
// JSON contract, and every line a finding names is a real, proven line of the input.
// Deterministic: ROBUST_SEED (default below) + the iteration index names every case; a failure
// message prints both, and ROBUST_SEED=<n> ROBUST_ITER=<k> reruns one case alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng, pick, basePatch, mutateMail, C_GENERATORS, C_NAMES } from '../fixtures/robust/gen.mjs';
import { reportViolations, analysisViolations, newFilePatch, lineCount } from '../fixtures/robust/invariants.mjs';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const wasmDir = path.join(repoRoot, 'dist');
const seedsDir = path.resolve(repoRoot, '..', 'shared', 'seeds');
const SEED = Number(process.env.ROBUST_SEED ?? 20261120);
const ONLY = process.env.ROBUST_ITER !== undefined ? Number(process.env.ROBUST_ITER) : null;
const N_PARSE = Number(process.env.ROBUST_N_PARSE ?? 1500);
const N_CHECK = Number(process.env.ROBUST_N_CHECK ?? 250);
const N_C = Number(process.env.ROBUST_N_C ?? 250);
const PARSE_MS = 3000;
const CHECK_MS = 10_000;
const C_MS = 5000;

await core.initTreeSitter(wasmDir);
const hostile = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'robust', 'hostile.patch'), 'utf8');
const ownBases = [basePatch(0), basePatch(1), basePatch(2) + '\n' + basePatch(3), hostile];
const seedBases = fs.existsSync(seedsDir) ? fs.readdirSync(seedsDir).sort().map((f) => fs.readFileSync(path.join(seedsDir, f), 'utf8')) : [];

const iters = (n) => (ONLY !== null ? [ONLY] : Array.from({ length: n }, (_, i) => i));
const label = (i, extra) => `ROBUST_SEED=${SEED} ROBUST_ITER=${i} ${extra}`;

test('robust fuzz: mutated mails through parseInput never throw, stay bounded, keep the parse contract', (t) => {
  t.diagnostic(`seed ${SEED}, ${N_PARSE} inputs`);
  const bases = [...ownBases, ...seedBases];
  let slowest = 0;
  for (const i of iters(N_PARSE)) {
    const r = rng(SEED + i);
    const { text, applied } = mutateMail(pick(r, bases), r);
    const t0 = performance.now();
    let p;
    try {
      p = core.parseInput(text, 'mutant.patch');
    } catch (e) {
      assert.fail(`${label(i, applied.join('+'))}: parseInput threw: ${e?.stack ?? e}`);
    }
    const ms = performance.now() - t0;
    slowest = Math.max(slowest, ms);
    assert.ok(ms < PARSE_MS, `${label(i, applied.join('+'))}: parseInput took ${ms.toFixed(0)} ms`);
    const json = JSON.parse(JSON.stringify(core.toParseJson(p)));
    const v = core.validateParseJson(json);
    const max = Math.max(1, lineCount(text));
    for (const q of p.problems) {
      if (q.kind === 'internal-error') v.push(`internal error: ${q.message}`);
      if (q.line !== undefined && !(q.line >= 1 && q.line <= max)) v.push(`problem line ${q.line} outside 1..${max}`);
    }
    assert.deepEqual(v, [], `${label(i, applied.join('+'))}`);
  }
  t.diagnostic(`slowest parse ${slowest.toFixed(0)} ms`);
});

test('robust fuzz: mutated mails through checkText keep the CheckReport contract and real lines', async (t) => {
  t.diagnostic(`seed ${SEED}, ${N_CHECK} inputs`);
  let slowest = 0;
  for (const i of iters(N_CHECK)) {
    const r = rng(SEED * 7 + i);
    const { text, applied } = mutateMail(pick(r, ownBases), r);
    const t0 = performance.now();
    let report;
    try {
      report = await core.checkText(text, 'mutant.patch', { wasmDir, traces: i % 5 === 0 });
    } catch (e) {
      assert.fail(`${label(i, applied.join('+'))}: checkText threw: ${e?.stack ?? e}`);
    }
    const ms = performance.now() - t0;
    slowest = Math.max(slowest, ms);
    assert.ok(ms < CHECK_MS, `${label(i, applied.join('+'))}: checkText took ${ms.toFixed(0)} ms`);
    const v = reportViolations(core, JSON.parse(JSON.stringify(report)), text, core.parseInput(text, 'mutant.patch'));
    assert.deepEqual(v, [], label(i, applied.join('+')));
  }
  t.diagnostic(`slowest check ${slowest.toFixed(0)} ms`);
});

test('robust fuzz: hostile C fragments through analyzeSource and checkText', async (t) => {
  t.diagnostic(`seed ${SEED}, ${N_C} fragments`);
  const stats = {};
  for (const i of iters(N_C)) {
    const r = rng(SEED * 13 + i);
    const kind = C_NAMES[i % C_NAMES.length];
    const src = C_GENERATORS[kind](r);
    const t0 = performance.now();
    let fns;
    try {
      fns = core.analyzeSource(src, 'fuzz.c', 'post');
    } catch (e) {
      assert.fail(`${label(i, kind)}: analyzeSource threw: ${e?.stack ?? e}`);
    }
    const ms = performance.now() - t0;
    assert.ok(ms < C_MS, `${label(i, kind)}: analyzeSource took ${ms.toFixed(0)} ms`);
    assert.deepEqual(analysisViolations(fns, src), [], label(i, kind));
    const s = (stats[kind] ??= { n: 0, notAnalysed: 0, truncated: 0 });
    s.n++;
    if (fns.some((f) => f.notAnalysed)) s.notAnalysed++;
    if (fns.some((f) => f.truncated)) s.truncated++;
    if (i % 3 !== 0) continue;
    // One in three also goes through the whole pipeline as a patch adding the file.
    const mail = newFilePatch(src);
    let report;
    try {
      report = await core.checkText(mail, 'fuzz.patch', { wasmDir });
    } catch (e) {
      assert.fail(`${label(i, kind)}: checkText threw: ${e?.stack ?? e}`);
    }
    assert.ok(performance.now() - t0 < CHECK_MS, `${label(i, kind)}: too slow`);
    assert.deepEqual(reportViolations(core, JSON.parse(JSON.stringify(report)), mail, core.parseInput(mail, 'fuzz.patch')), [], label(i, kind));
  }
  t.diagnostic(`per generator: ${JSON.stringify(stats)}`);
});

test('robust fuzz: the same mutant gives byte-identical JSON twice', async () => {
  for (const i of iters(20)) {
    const r = rng(SEED * 31 + i);
    const { text, applied } = mutateMail(pick(r, ownBases), r);
    const a = JSON.stringify(await core.checkText(text, 'm.patch', { wasmDir, traces: true }));
    const b = JSON.stringify(await core.checkText(text, 'm.patch', { wasmDir, traces: true }));
    assert.equal(a, b, label(i, applied.join('+')));
  }
});
