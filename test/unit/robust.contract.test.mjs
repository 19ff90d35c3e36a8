// The JSON contract validators (src/core/contract.ts): they accept what the core produces for real
// inputs and reject each kind of violation, so the other robustness tests can lean on them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { basePatch } from '../fixtures/robust/gen.mjs';
import { reportViolations } from '../fixtures/robust/invariants.mjs';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const wasmDir = path.join(repoRoot, 'dist');
const seedsDir = path.resolve(repoRoot, '..', 'shared', 'seeds');
const clone = (x) => JSON.parse(JSON.stringify(x));

const report = clone(await core.checkText(basePatch(0), 'b.patch', { wasmDir, traces: true }));
const parsed = clone(core.toParseJson(core.parseInput(basePatch(0), 'b.patch')));

test('robust contract: a real report and parse keep the contract', () => {
  assert.ok(report.findings.length >= 1 && report.functions[0].pathReports.length >= 1, 'the sample exercises findings and traces');
  assert.deepEqual(core.validateCheckReport(report), []);
  assert.deepEqual(core.validateParseJson(parsed), []);
  assert.deepEqual(core.validateCheckReport({ ...clone(report), crossTask: [CROSS] }), [], 'a well-formed crossTask entry');
});

test('robust contract: seeds keep the contract (check and parse) and name only proven lines', async (t) => {
  if (!fs.existsSync(seedsDir)) return t.skip('seeds not present: ../shared/seeds');
  for (const f of fs.readdirSync(seedsDir).sort()) {
    const text = fs.readFileSync(path.join(seedsDir, f), 'utf8');
    assert.deepEqual(core.validateParseJson(clone(core.toParseJson(core.parseInput(text, f)))), [], f);
    const r = clone(await core.checkText(text, f, { wasmDir, traces: true }));
    assert.deepEqual(reportViolations(core, r, text, core.parseInput(text, f)), [], f);
  }
});

/** Each mutation of a valid report and the violation path it must produce. */
const REPORT_BREAKS = [
  [(r) => { r.tool = 'other'; }, /report\.tool/],
  [(r) => { delete r.version; }, /report\.version/],
  [(r) => { r.findings = {}; }, /report\.findings: expected an array/],
  [(r) => { r.findings[0].severity = 'fatal'; }, /findings\[0\]\.severity: expected one of error\|warning\|info/],
  [(r) => { r.findings[0].status = 'new'; }, /findings\[0\]\.status/],
  [(r) => { r.findings[0].side = 'both'; }, /findings\[0\]\.side/],
  [(r) => { r.findings[0].input.line = 0; }, /findings\[0\]\.input\.line: expected a positive integer or null/],
  [(r) => { r.findings[0].input.line = 2.5; }, /findings\[0\]\.input\.line/],
  [(r) => { r.findings[0].input.line = '12'; }, /findings\[0\]\.input\.line/],
  [(r) => { r.findings[0].line = -1; }, /findings\[0\]\.line/],
  [(r) => { r.findings[0].related[0].input.file = 3; }, /findings\[0\]\.related\[0\]\.input\.file/],
  [(r) => { r.findings[0].path = 7; }, /findings\[0\]\.path: expected a string or null/],
  [(r) => { r.functions[0].truncated = 'no'; }, /functions\[0\]\.truncated: expected a boolean/],
  [(r) => { r.functions[0].notAnalysed = ''; }, /functions\[0\]\.notAnalysed: empty reason/],
  [(r) => { r.functions[0].inputLine = 0; }, /functions\[0\]\.inputLine/],
  [(r) => { r.functions[0].pathReports[0].severity = 'bad'; }, /pathReports\[0\]\.severity/],
  [(r) => { r.functions[0].pathReports[0].trace.verdict = 'maybe'; }, /trace\.verdict/],
  [(r) => { r.functions[0].pathReports[0].trace.steps[0].state = { x: 1 }; }, /steps\[0\]\.state\.x: expected a string/],
  [(r) => { r.problems.push({ line: 3 }); }, /problems\[\d+\]\.message/],
  [(r) => { r.problems.push({ message: 'm', line: 0 }); }, /problems\[\d+\]\.line: expected a positive integer$/],
  [(r) => { r.opaqueCallees = { f: [1] }; }, /opaqueCallees\.f/],
  [(r) => { r.scenarios.push({ input: 'x', message: -1, scenario: 's', reason: 'r' }); }, /scenarios\[\d+\]\.message/],
  [(r) => { r.inputs[0].patches = null; }, /inputs\[0\]\.patches/],
  [(r) => { r.crossTask = [{ ...CROSS, verdict: 'maybe' }]; }, /crossTask\[0\]\.verdict/],
  [(r) => { r.crossTask = [{ ...CROSS, states: -1 }]; }, /crossTask\[0\]\.states/],
  [(r) => { delete r.crossTask; }, /report\.crossTask: expected an array/],
];
const CROSS = { title: 't', check: 'wb-pairing', side: 'post', message: 0, functions: ['a', 'b'], verdict: 'holds', summary: 's', states: 3, transitions: 2, notExplored: null };

test('robust contract: validateCheckReport names each violation', () => {
  for (const [i, [breakIt, expect]] of REPORT_BREAKS.entries()) {
    const r = clone(report);
    breakIt(r);
    const v = core.validateCheckReport(r);
    assert.ok(v.some((s) => expect.test(s)), `break ${i}: ${expect} not in ${JSON.stringify(v)}`);
  }
  for (const x of [null, 3, 'x', [], undefined]) assert.ok(core.validateCheckReport(x).length > 0, String(x));
});

const PARSE_BREAKS = [
  [(p) => { p.format = 1; }, /parse\.format/],
  [(p) => { p.messages[0].files[0].status = 'moved'; }, /files\[0\]\.status/],
  [(p) => { p.messages[0].files[0].oldPath = null; p.messages[0].files[0].newPath = null; }, /both null/],
  [(p) => { p.messages[0].files[0].hunks[0].inputLine = 0; }, /hunks\[0\]\.inputLine/],
  [(p) => { p.messages[0].files[0].hunks[0].newLines = -1; }, /hunks\[0\]\.newLines/],
  [(p) => { p.messages[0].version = '2'; }, /messages\[0\]\.version/],
  [(p) => { p.messages[0].from = { name: 'x' }; }, /from\.email/],
  [(p) => { p.problems = [{ message: 'm', line: -2 }]; }, /problems\[0\]\.line/],
  [(p) => { p.series = { title: 't', version: 1.5, total: null }; }, /series\.version/],
];

test('robust contract: validateParseJson names each violation', () => {
  for (const [i, [breakIt, expect]] of PARSE_BREAKS.entries()) {
    const p = clone(parsed);
    breakIt(p);
    const v = core.validateParseJson(p);
    assert.ok(v.some((s) => expect.test(s)), `break ${i}: ${expect} not in ${JSON.stringify(v)}`);
  }
  assert.ok(core.validateParseJson(null).length > 0);
});

test('robust contract: validators are total on junk (never throw)', () => {
  const junk = [{ findings: [null, 1, 'x', { input: null }] }, { functions: [{ pathReports: [{ trace: { steps: [null] } }] }] },
    { messages: [{ files: [{ hunks: [null] }] }] }, Object.create(null), { problems: 'x' }];
  for (const j of junk) {
    assert.ok(Array.isArray(core.validateCheckReport(j)));
    assert.ok(Array.isArray(core.validateParseJson(j)));
  }
});
