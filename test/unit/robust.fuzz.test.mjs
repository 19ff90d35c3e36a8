// Fuzz/property tests: mutated mails and hostile C fragments through parseInput, checkText and
// analyzeSource. No exception escapes, every input finishes within its bound, the output keeps the
// JSON contract, and every line a finding names is a real, proven line of the input.
// Deterministic: ROBUST_SEED (default below) + the iteration index names every case; a failure
// prints both, and ROBUST_SEED=<n> ROBUST_ITER=<k> reruns one case alone. Violations that match a
// known bug of another area (test/fixtures/robust/known.mjs) are listed as TODO, not failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng, pick, basePatch, mutateMail, quotedPrintable, C_GENERATORS, C_NAMES } from '../fixtures/robust/gen.mjs';
import { reportViolations, analysisViolations, newFilePatch, lineCount } from '../fixtures/robust/invariants.mjs';
import { splitKnown, STRICT } from '../fixtures/robust/known.mjs';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const wasmDir = path.join(repoRoot, 'dist');
const seedsDir = path.resolve(repoRoot, '..', 'shared', 'seeds');
const SEED = Number(process.env.ROBUST_SEED ?? 20261120);
const ONLY = process.env.ROBUST_ITER !== undefined ? Number(process.env.ROBUST_ITER) : null;
const N_PARSE = Number(process.env.ROBUST_N_PARSE ?? 1000);
const N_CHECK = Number(process.env.ROBUST_N_CHECK ?? 200);
const N_C = Number(process.env.ROBUST_N_C ?? 200);
const PARSE_MS = 3000;
const CHECK_MS = 10_000;
const C_MS = 5000;

await core.initTreeSitter(wasmDir);
const hostile = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'robust', 'hostile.patch'), 'utf8');
const ownBases = [basePatch(0), basePatch(1), basePatch(2) + '\n' + basePatch(3), hostile];
const seedBases = fs.existsSync(seedsDir) ? fs.readdirSync(seedsDir).sort().map((f) => fs.readFileSync(path.join(seedsDir, f), 'utf8')) : [];

const iters = (n) => (ONLY !== null ? [ONLY] : Array.from({ length: n }, (_, i) => i));
const label = (i, extra) => `ROBUST_SEED=${SEED} ROBUST_ITER=${i} ${extra}`;

/** Collects violations per case; unknown ones fail the test, known ones become a TODO subtest. */
function collector(t) {
  const bad = [], knownBad = [];
  return {
    add(caseLabel, violations) {
      const [unknown, known] = STRICT ? [violations, []] : splitKnown(violations);
      if (unknown.length) bad.push(`${caseLabel}: ${unknown.join('; ')}`);
      if (known.length) knownBad.push(`${caseLabel}: ${known.join('; ')}`);
    },
    async finish() {
      if (knownBad.length) {
        await t.test(`known bugs of other areas (${knownBad.length} cases)`, { todo: 'see test/fixtures/robust/known.mjs' }, () => {
          assert.fail(`${knownBad.length} cases, first: ${knownBad.slice(0, 3).join('\n')}`);
        });
      }
      assert.equal(bad.length, 0, `${bad.length} failing cases; first:\n${bad.slice(0, 5).join('\n')}`);
    },
  };
}

test('robust fuzz: mutated mails through parseInput never throw, stay bounded, keep the parse contract', async (t) => {
  t.diagnostic(`seed ${SEED}, ${N_PARSE} inputs`);
  const c = collector(t);
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
      c.add(label(i, applied.join('+')), [`parseInput threw: ${e?.stack ?? e}`]);
      continue;
    }
    const ms = performance.now() - t0;
    slowest = Math.max(slowest, ms);
    const v = core.validateParseJson(JSON.parse(JSON.stringify(core.toParseJson(p))));
    if (ms > PARSE_MS) v.push(`parseInput took ${ms.toFixed(0)} ms (bound ${PARSE_MS})`);
    const max = Math.max(1, lineCount(text));
    for (const q of p.problems) {
      if (q.kind === 'internal-error') v.push(`internal error: ${q.message}`);
      if (q.line !== undefined && !(q.line >= 1 && q.line <= max)) v.push(`problem line ${q.line} outside 1..${max}`);
    }
    if (v.length) c.add(label(i, applied.join('+')), v);
  }
  t.diagnostic(`slowest parse ${slowest.toFixed(0)} ms`);
  await c.finish();
});

test('robust fuzz: mutated mails through checkText keep the CheckReport contract and real lines', async (t) => {
  t.diagnostic(`seed ${SEED}, ${N_CHECK} inputs`);
  const c = collector(t);
  let slowest = 0;
  for (const i of iters(N_CHECK)) {
    const r = rng(SEED * 7 + i);
    const { text, applied } = mutateMail(pick(r, ownBases), r);
    const t0 = performance.now();
    let report;
    try {
      report = await core.checkText(text, 'mutant.patch', { wasmDir, traces: i % 5 === 0 });
    } catch (e) {
      c.add(label(i, applied.join('+')), [`checkText threw: ${e?.stack ?? e}`]);
      continue;
    }
    const ms = performance.now() - t0;
    slowest = Math.max(slowest, ms);
    const v = reportViolations(core, JSON.parse(JSON.stringify(report)), text, core.parseInput(text, 'mutant.patch'));
    if (ms > CHECK_MS) v.push(`checkText took ${ms.toFixed(0)} ms (bound ${CHECK_MS})`);
    if (v.length) c.add(label(i, applied.join('+')), v);
  }
  t.diagnostic(`slowest check ${slowest.toFixed(0)} ms`);
  await c.finish();
});

test('robust fuzz: hostile C fragments through analyzeSource and checkText', async (t) => {
  t.diagnostic(`seed ${SEED}, ${N_C} fragments`);
  const c = collector(t);
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
      c.add(label(i, kind), [`analyzeSource threw: ${e?.stack ?? e}`]);
      continue;
    }
    const ms = performance.now() - t0;
    const v = analysisViolations(fns, src);
    if (ms > C_MS) v.push(`analyzeSource took ${ms.toFixed(0)} ms (bound ${C_MS})`);
    const s = (stats[kind] ??= { n: 0, notAnalysed: 0, truncated: 0 });
    s.n++;
    if (fns.some((f) => f.notAnalysed)) s.notAnalysed++;
    if (fns.some((f) => f.truncated)) s.truncated++;
    if (i % 3 === 0) {
      // One in three also goes through the whole pipeline as a patch adding the file.
      const mail = newFilePatch(src);
      try {
        const report = await core.checkText(mail, 'fuzz.patch', { wasmDir });
        v.push(...reportViolations(core, JSON.parse(JSON.stringify(report)), mail, core.parseInput(mail, 'fuzz.patch')));
        if (performance.now() - t0 > CHECK_MS) v.push(`checkText took over ${CHECK_MS} ms`);
      } catch (e) {
        v.push(`checkText threw: ${e?.stack ?? e}`);
      }
    }
    if (v.length) c.add(label(i, kind), v);
  }
  t.diagnostic(`per generator: ${JSON.stringify(stats)}`);
  await c.finish();
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

test('robust fuzz: line-preserving rewrites (CRLF, lone CR, reply quoting, BOM) keep every finding on the same input line', async () => {
  const leak = path.join(repoRoot, 'test', 'fixtures', 'checks', 'wb-pairing-leak-on-error', 'patch.patch');
  const bases = { b0: basePatch(0), mbox: `${basePatch(0)}\n${basePatch(2)}`, hostile, ...(fs.existsSync(leak) ? { leak: fs.readFileSync(leak, 'utf8') } : {}) };
  const rewrites = {
    crlf: (s) => s.replace(/\n/g, '\r\n'),
    loneCr: (s) => s.replace(/\n/g, '\r'),
    crlfEveryOther: (s) => s.split('\n').map((l, i) => l + (i % 2 ? '\r' : '')).join('\n'),
    quoted: (s) => s.split('\n').map((l) => `> ${l}`).join('\n'),
    quotedThrice: (s) => s.split('\n').map((l) => `> > > ${l}`).join('\n'),
    bom: (s) => `\uFEFF${s}`,
    noFinalNewline: (s) => s.replace(/\n+$/, ''),
  };
  const key = (r) => JSON.stringify(r.findings.map((f) => [f.check, f.status, f.function, f.input.line, f.related.map((x) => x.input.line)]));
  for (const [bn, b] of Object.entries(bases)) {
    const ref = key(await core.checkText(b, 'x.patch', { wasmDir }));
    assert.notEqual(ref, '[]', `${bn} has findings to compare`);
    for (const [rn, rw] of Object.entries(rewrites)) {
      assert.equal(key(await core.checkText(rw(b), 'x.patch', { wasmDir })), ref, `${bn} rewritten by ${rn}`);
    }
  }
});

test('robust fuzz: quoted-printable soft breaks at any width keep findings on the line where the diff line starts', async () => {
  const base = basePatch(0).replace('examplefs_prepare_0(inode);', 'examplefs_prepare_0(inode); /* ünïcödé cömmént, long enough to wrap */');
  const ref = (await core.checkText(base, 'x.patch', { wasmDir })).findings;
  assert.equal(ref.length, 1);
  const refText = base.split('\n')[ref[0].input.line - 1];
  const relText = base.split('\n')[ref[0].related[0].input.line - 1];
  for (const width of [76, 40, 30, 17, 12]) {
    const qp = quotedPrintable(base, width);
    const L = qp.split('\n');
    const r = (await core.checkText(qp, 'x.patch', { wasmDir })).findings;
    assert.equal(r.length, 1, `width ${width}`);
    // The input line holds the start of the soft-wrapped diff line.
    const startsWith = (line, text) => text.startsWith(line.replace(/=$/, '')) && line.length > 0;
    assert.ok(startsWith(L[r[0].input.line - 1], refText), `width ${width}: finding at ${JSON.stringify(L[r[0].input.line - 1])}`);
    assert.ok(startsWith(L[r[0].related[0].input.line - 1].replace(/=3D/g, '='), relText), `width ${width}: related at ${JSON.stringify(L[r[0].related[0].input.line - 1])}`);
  }
});
