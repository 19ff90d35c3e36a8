// Bounds: path explosion is capped and reported, unparseable C is "not analysed" with a reason and no
// findings, and each of maxFunctions / maxMessages / timeBudgetMs / isCancelled gives a problem of
// kind 'limit' with a partial result that still keeps the contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { basePatch } from '../fixtures/robust/gen.mjs';
import { reportViolations } from '../fixtures/robust/invariants.mjs';
import { STRICT } from '../fixtures/robust/known.mjs';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const wasmDir = path.join(repoRoot, 'dist');
const fx = (n) => fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'robust', n), 'utf8');
await core.initTreeSitter(wasmDir);

/** Eight patches in one mbox; the even ones leak the wb lock on their new error path. */
const mbox = Array.from({ length: 8 }, (_, i) => basePatch(i)).join('\n');

async function check(text, opts = {}, file = 'in.patch') {
  const t0 = performance.now();
  const r = await core.checkText(text, file, { wasmDir, ...opts });
  const ms = performance.now() - t0;
  const json = JSON.parse(JSON.stringify(r));
  assert.deepEqual(reportViolations(core, json, text, core.parseInput(text, file)), []);
  return { r, ms };
}

const limits = (r) => r.problems.filter((p) => p.kind === 'limit');

test('robust bounds: the unbounded run of the 8-patch mbox analyses all 8 and finds the 4 leaks', async () => {
  const { r } = await check(mbox);
  assert.equal(limits(r).length, 0);
  assert.equal(new Set(r.functions.map((f) => f.message)).size, 8);
  assert.equal(r.findings.filter((f) => f.status === 'introduced' && f.check === 'wb-pairing').length, 4);
});

test('robust bounds: 40 independent ifs around calls the simulator does not model merge to a few states', async () => {
  const { r } = await check(fx('forty-ifs.patch'));
  const f = r.functions.find((x) => x.name === 'examplefs_apply_steps' && x.side === 'post');
  assert.ok(f, JSON.stringify(r.functions));
  assert.equal(f.truncated, false);
  assert.equal(f.notAnalysed, null);
  assert.ok(f.paths > 0 && f.paths <= 4, `paths ${f.paths}`);
  assert.ok(f.states <= 100, `states ${f.states}`);
});

/** The same 40 ifs, each taking a folio reference (a modelled call): 2^40 distinct histories. */
const fortyRefs = () => fx('forty-ifs.patch').replace(/examplefs_step_(\d+)\(o\)/g, 'folio_get(o->folio_$1)');

test('robust bounds: 40 independent ifs around modelled calls answer quickly, truncated, naming the cap', async () => {
  const { r, ms } = await check(fortyRefs());
  assert.ok(ms < 8000, `took ${ms.toFixed(0)} ms`);
  const f = r.functions.find((x) => x.name === 'examplefs_apply_steps' && x.side === 'post');
  assert.ok(f, JSON.stringify(r.functions));
  assert.equal(f.truncated, true);
  assert.equal(f.notAnalysed, null);
  assert.ok(f.paths > 0 && f.paths <= 4096, `paths ${f.paths}`);
  const cap = r.problems.find((p) => p.kind === 'path-cap');
  assert.ok(cap, JSON.stringify(r.problems));
  assert.match(cap.message, new RegExp(`examplefs_apply_steps.*${f.paths}`));
  // A smaller cap is honoured and named.
  const small = (await check(fortyRefs(), { maxPathsPerFunction: 10 })).r;
  assert.equal(small.functions.find((x) => x.side === 'post').paths, 10);
  assert.ok(small.problems.some((p) => p.kind === 'path-cap' && /\b10\b/.test(p.message)));
});

test('robust bounds: macro soup is not analysed, with a reason, and yields no finding', async () => {
  const { r } = await check(fx('macro-soup.patch'));
  const post = r.functions.find((x) => x.name === 'examplefs_soup' && x.side === 'post');
  assert.ok(post);
  assert.match(post.notAnalysed ?? '', /\w/);
  assert.equal(post.paths, 0);
  assert.equal(r.findings.filter((f) => f.function === 'examplefs_soup' && f.side === 'post').length, 0);
  assert.ok(r.problems.some((p) => p.kind === 'not-analysed' && /examplefs_soup/.test(p.message) && p.line >= 1));
});

test('robust bounds: broken C shapes through analyzeSource never yield paths from a not-analysed function', () => {
  const shapes = {
    soup: 'int s(struct o *o)\n{\n\tnetfs_wb_begin(o->ictx, false);\n\tX(o) { a(o) b(o) } Y(o) ] ) {\n\treturn -EIO;\n\t} Z ( ( ;\n}\n',
    knr: 'int k(a, o)\n\tint a;\n\tstruct o *o;\n{\n\tif (a)\n\t\treturn -EIO;\n\treturn 0;\n}\n',
    ifdefMid: 'int m(struct o *o)\n{\n\tif (o->a &&\n#ifdef CONFIG_X\n\t    x(o) &&\n#endif\n\t    y(o))\n\t\treturn 1;\n\treturn 0;\n}\n',
    gcc: 'int g(struct o *o)\n{\n\tint v = ({ int t = o->x; t + 1; });\n\tswitch (v) { case 1 ... 3: return 1; }\n\treturn v ?: 2;\n}\n',
  };
  for (const [name, src] of Object.entries(shapes)) {
    const fns = core.analyzeSource(src, `${name}.c`, 'post');
    assert.ok(fns.length >= 1, name);
    for (const f of fns) {
      if (f.notAnalysed) {
        assert.ok(f.notAnalysed.trim().length > 0, name);
        assert.deepEqual(f.paths, [], name);
      } else assert.ok(f.paths.length > 0, `${name}: analysed with no path`);
    }
  }
  assert.ok(core.analyzeSource(shapes.soup, 'soup.c', 'post')[0].notAnalysed, 'macro soup is not analysed');
});

test('robust bounds: maxMessages stops with a limit problem and a partial result', async () => {
  const { r } = await check(mbox, { maxMessages: 3 });
  assert.equal(limits(r).length, 1);
  assert.match(limits(r)[0].message, /3/);
  assert.deepEqual([...new Set(r.functions.map((f) => f.message))], [0, 1, 2]);
  assert.equal(r.findings.filter((f) => f.status === 'introduced').length, 2);
});

test('robust bounds: maxFunctions stops with a limit problem and a partial result', async () => {
  const { r } = await check(mbox, { maxFunctions: 4 });
  assert.equal(limits(r).length, 1);
  assert.match(limits(r)[0].message, /function limit \(4\)/);
  assert.ok(r.functions.length >= 4 && r.functions.length < 16, `${r.functions.length} functions`);
});

test('robust bounds: timeBudgetMs stops with a limit problem and a partial result', async () => {
  const big = Array.from({ length: 60 }, (_, i) => basePatch(i)).join('\n');
  const { r } = await check(big, { timeBudgetMs: 1 });
  assert.equal(limits(r).length, 1);
  assert.match(limits(r)[0].message, /time budget/);
  assert.ok(r.functions.length < 120, `${r.functions.length} function sides`);
});

test('robust bounds: isCancelled stops with a limit problem and a partial result', async () => {
  let polls = 0;
  // Polled between files, functions and paths: cancelling after a few polls stops part-way.
  const { r } = await check(mbox, { isCancelled: () => ++polls > 2 });
  assert.equal(limits(r).length, 1);
  assert.match(limits(r)[0].message, /cancel/);
  const never = (await check(mbox, { isCancelled: () => false })).r;
  assert.equal(limits(never).length, 0);
  const paths = (x) => x.functions.reduce((n, f) => n + (f.pathReports?.length ?? f.paths), 0);
  assert.ok(r.functions.length < never.functions.length || paths(r) < paths(never), 'the cancelled result is partial');
});

test('robust bounds: a 30 000-character added line above a function is handled in linear time (K3)', async () => {
  const { ms } = await check(fx('long-ident-line.patch'));
  assert.ok(ms < 1500, `checkText took ${ms.toFixed(0)} ms on one 30 000-character line`);
});

test('robust bounds: maxFunctions, timeBudgetMs and isCancelled also bound one file with 300 functions (K4)', async () => {
  const text = fx('many-functions.patch');
  const byCount = (await check(text, { maxFunctions: 10 })).r;
  assert.ok(byCount.functions.length <= 12, `maxFunctions 10 gave ${byCount.functions.length} function sides`);
  assert.equal(limits(byCount).length, 1, 'no limit problem for maxFunctions');
  const byTime = await check(text, { timeBudgetMs: 1 });
  assert.equal(limits(byTime.r).length, 1, `no limit problem for a 1 ms budget (${byTime.ms.toFixed(0)} ms, ${byTime.r.functions.length} function sides)`);
  let polls = 0;
  const byCancel = (await check(text, { isCancelled: () => ++polls > 1 })).r;
  assert.equal(limits(byCancel).length, 1, `cancellation polled ${polls} time(s), ${byCancel.functions.length} function sides analysed`);
});

test('robust bounds: the time budget also cuts the simulation of one function with thousands of paths (K8)', async () => {
  const { r, ms } = await check(fortyRefs(), { maxPathsPerFunction: 4000, timeBudgetMs: 300 });
  assert.equal(limits(r).length, 1, `no limit problem after ${ms.toFixed(0)} ms`);
  assert.ok(ms < 3000, `took ${ms.toFixed(0)} ms with a 300 ms budget`);
});

test('robust bounds: a file with 20 000 hunks hits a hunks-per-file bound, reported as a limit', async () => {
  const head = basePatch(0).split('@@ -10')[0];
  let text = head;
  for (let i = 0; i < 20000; i++) text += `@@ -${i * 10 + 1},1 +${i * 10 + 1},1 @@\n-int a${i};\n+int b${i};\n`;
  const { r } = await check(text);
  assert.ok(r.problems.some((p) => p.kind === 'limit' && /hunk/.test(p.message)), JSON.stringify(r.problems.slice(0, 3)));
});

test('robust bounds: a statement macro without a semicolon does not swallow netfs_wb_end into a false leak (K13)', async () => {
  const { r } = await check(fx('stmt-macro-no-semi.patch'));
  assert.deepEqual(r.findings.filter((f) => f.status === 'introduced').map((f) => f.message), []);
});

test('robust bounds: a stray "} {" inside a function gives no finding built on the broken tree (K14)', async () => {
  const { r } = await check(fx('stray-brace.patch'));
  assert.deepEqual(r.findings.filter((f) => f.status === 'introduced').map((f) => f.message), []);
  const post = r.functions.find((f) => f.side === 'post');
  assert.ok(post && (post.notAnalysed || !post.complete || r.problems.some((p) => p.kind === 'parse-errors')), 'the broken function is not reported as cleanly analysed');
});
