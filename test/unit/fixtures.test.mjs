// The check fixture corpus: every test/fixtures/checks/<rule>-<name>/patch.patch is a real
// `git format-patch` of a small kernel-style change of our own (one that introduces a bug, its
// corrected form, one that fixes an existing bug, or one that leaves a bug in place) carrying its
// expected findings in the patch notes:
//
//   Lockstep-Expect: <status> <severity> <check> <function> <source line>   (or: Lockstep-Expect: none)
//
// Each patch goes through the real pipeline (core.checkText) and the findings are compared with the
// expectations (rules in test/fixtures/checks/expect.mjs). On a mismatch both sets, the messages, the
// functions and the problems are printed.
// Fixtures the pipeline does not pass yet are listed with the reason in
// test/fixtures/checks/known-failing.json: they still run, as node:test `todo` tests (reported, not
// failing the suite). LOCKSTEP_FIXTURES_STRICT=1 turns them into ordinary tests. A listed fixture that
// passes says so in a diagnostic: remove it from the list.
// Regenerate the patches from before.c / after.c / meta.json: node test/fixtures/checks/make.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compare, describeMismatch, expectationsOf, fixtureNames, sourceLineAt } from '../fixtures/checks/expect.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const core = require(path.join(repoRoot, 'dist', 'core.js'));
const wasmDir = path.join(repoRoot, 'dist');
const dir = path.join(repoRoot, 'test', 'fixtures', 'checks');
const fixtures = fixtureNames(dir);
const strict = process.env.LOCKSTEP_FIXTURES_STRICT === '1';
const knownFailing = JSON.parse(fs.readFileSync(path.join(dir, 'known-failing.json'), 'utf8'));

const CHECK_IDS = ['wb-pairing', 'folio-lock', 'writeback-iter', 'writeback-bit', 'stable-writes', 'lock-order', 'refcount', 'lock-balance'];

test('check fixture corpus: at least 30 patches, every check covered both ways, at least 10 fixes', () => {
  assert.ok(fixtures.length >= 30, `only ${fixtures.length} fixtures`);
  const introduced = new Set();
  const quiet = new Set();
  let fixes = 0;
  for (const name of fixtures) {
    const exp = expectationsOf(fs.readFileSync(path.join(dir, name, 'patch.patch'), 'utf8'));
    for (const e of exp) if (e.status === 'introduced') introduced.add(e.check);
    const rule = CHECK_IDS.find((c) => name.startsWith(c + '-'));
    if (exp.length === 0 && rule) quiet.add(rule);
    if (exp.some((e) => e.status === 'fixed')) fixes++;
  }
  for (const c of CHECK_IDS) {
    assert.ok(introduced.has(c), `no fixture expects an introduced ${c} finding`);
    assert.ok(quiet.has(c), `no corrected (Lockstep-Expect: none) fixture for ${c}`);
  }
  assert.ok(fixes >= 10, `only ${fixes} fix patches`);
});

test('known-failing.json names only existing fixtures, each with a reason', () => {
  for (const [name, reason] of Object.entries(knownFailing)) {
    if (name.startsWith('$')) continue;
    assert.ok(fixtures.includes(name), `known-failing.json: no fixture ${name}`);
    assert.ok(typeof reason === 'string' && reason.length > 10, `known-failing.json: ${name} needs a reason`);
  }
});

for (const name of fixtures) {
  const known = Object.prototype.hasOwnProperty.call(knownFailing, name) && !strict ? knownFailing[name] : null;
  test(`fixture ${name}`, known ? { todo: `known failing: ${known}` } : {}, async (t) => {
    const text = fs.readFileSync(path.join(dir, name, 'patch.patch'), 'utf8');
    const expected = expectationsOf(text);
    const report = await core.checkText(text, `${name}/patch.patch`, { wasmDir });
    assert.equal(report.tool, 'lockstep');
    assert.ok(report.functions.length > 0, `${name}: no function analysed\n${JSON.stringify(report.problems, null, 1)}`);
    const cmp = compare(report, expected);
    if (!cmp.ok) assert.fail(describeMismatch(name, report, cmp));
    if (known) t.diagnostic(`${name} passes now: remove it from test/fixtures/checks/known-failing.json`);
    // Every finding points at a line of the patch that exists (or null, never a guess), and an
    // expected finding's input line holds the statement at the expected source line.
    const lines = text.split('\n');
    for (const f of report.findings) assert.ok(f.input.line === null || (f.input.line >= 1 && f.input.line <= lines.length), JSON.stringify(f));
    for (const { finding: f } of cmp.kept) {
      if (f.input.line === null) continue;
      const side = f.status === 'fixed' ? 'pre' : 'post';
      assert.equal(sourceLineAt(text, f.input.line, side), f.line, `${name}: input line ${f.input.line} does not show ${side} line ${f.line}: ${lines[f.input.line - 1]}`);
    }
  });
}

test('the pipeline is deterministic over the corpus (byte-identical JSON on a second run)', async () => {
  for (const name of fixtures) {
    const text = fs.readFileSync(path.join(dir, name, 'patch.patch'), 'utf8');
    const a = JSON.stringify(await core.checkText(text, `${name}/patch.patch`, { wasmDir, traces: true }));
    const b = JSON.stringify(await core.checkText(text, `${name}/patch.patch`, { wasmDir, traces: true }));
    assert.ok(a === b, `${name}: two runs differ`);
  }
});

test('fixture patches match their sources: blob ids of before.c/after.c, subject, expectations', async () => {
  const { expectLines, fixtureDirs } = await import(pathToFileURL(path.join(dir, 'make.mjs')).href);
  const blob = (text) => createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0`).update(text).digest('hex');
  const dirs = fixtureDirs();
  assert.deepEqual(dirs, fixtures, 'every fixture directory with a meta.json has a patch.patch (run make.mjs)');
  for (const d of dirs) {
    const patch = fs.readFileSync(path.join(dir, d, 'patch.patch'), 'utf8');
    const meta = JSON.parse(fs.readFileSync(path.join(dir, d, 'meta.json'), 'utf8'));
    const m = /^index ([0-9a-f]+)\.\.([0-9a-f]+) /m.exec(patch);
    assert.ok(m, `${d}: no index line`);
    const stale = `${d}/patch.patch is stale: run node test/fixtures/checks/make.mjs`;
    assert.ok(blob(fs.readFileSync(path.join(dir, d, 'before.c'), 'utf8')).startsWith(m[1]), `${stale} (before.c)`);
    assert.ok(blob(fs.readFileSync(path.join(dir, d, 'after.c'), 'utf8')).startsWith(m[2]), `${stale} (after.c)`);
    const headers = patch.slice(0, patch.indexOf('\n\n')).replace(/\n(?=[ \t])/g, '');
    assert.ok(headers.includes(`\nSubject: [PATCH] ${meta.subject}`), `${stale} (subject)`);
    const inPatch = patch.split('\n').filter((l) => l.startsWith('Lockstep-Expect:'));
    assert.deepEqual(inPatch, expectLines(d, meta), `${stale} (expectations)`);
  }
});

// The full byte-for-byte rebuild runs git once per fixture (slow on a loaded machine): opt in.
test('fixture patches are byte-identical to what make.mjs builds (LOCKSTEP_FIXTURES_REBUILD=1)', async (t) => {
  if (process.env.LOCKSTEP_FIXTURES_REBUILD !== '1') return t.skip('set LOCKSTEP_FIXTURES_REBUILD=1 (or run make.mjs --check)');
  if (spawnSync('git', ['--version']).status !== 0) return t.skip('git not available');
  const { staleFixtures } = await import(pathToFileURL(path.join(dir, 'make.mjs')).href);
  assert.deepEqual(await staleFixtures(), [], 'run: node test/fixtures/checks/make.mjs');
});
