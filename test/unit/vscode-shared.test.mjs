// The extension's vscode-free helpers: narration of replayed scenarios, which scenarios apply to a
// function, and the API table in words for hovers. Bundled from src/shared with esbuild and run on the
// core's real data (the built-in scenarios and API table from dist/core.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const core = require('../../dist/core.js');

function load(entry) {
  const esbuild = require('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-unit-'));
  const outfile = join(dir, 'out.cjs');
  esbuild.buildSync({ entryPoints: [join(repo, entry)], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'silent' });
  const mod = require(outfile);
  rmSync(dir, { recursive: true, force: true });
  return mod;
}

const { narrate } = load('src/shared/narration.ts');
const { scenariosForFunction: scenariosFor, FUNCTION_SCENARIO_RULES: SCENARIO_RULES } = core;
const { entryWords, opWords } = load('src/shared/apiWords.ts');

test('narration: one sentence per step, state changes named, the violation explained', () => {
  const r = core.runScenario('wb-handoff', { timeMs: 10000 });
  const trace = core.scenarioTrace(r);
  assert.ok(trace.steps.length > 0, 'the wb-handoff scenario finds no counterexample');
  const lines = narrate(trace, 'Why: a stranded waiter never runs.');
  assert.equal(lines.length, trace.steps.length);
  const v = trace.steps.findIndex((s) => s.violation);
  assert.ok(v >= 0);
  assert.match(lines[v], /Here it breaks: /);
  assert.match(lines[v], /Why it matters: Why: a stranded waiter/);
  assert.ok(lines[0].startsWith(trace.steps[0].task[0].toUpperCase()));
  // Deterministic.
  assert.deepEqual(narrate(trace, 'x'), narrate(trace, 'x'));
});

test('narration: a changed state value is said as old → new', () => {
  const trace = {
    title: 't', tasks: ['writer'], verdict: 'violation', summary: '',
    steps: [
      { task: 'writer', op: 'netfs_wb_begin(ictx) → true', location: null, state: { 'wb lock': 'held by writer' } },
      { task: 'writer', op: 'return 0', location: null, state: { 'wb lock': 'held by writer' }, violation: 'returns with the wb lock held' },
      { task: 'flusher', op: 'netfs_wb_end(ictx)', location: null, state: { 'wb lock': 'free' } },
    ],
  };
  const n = narrate(trace, '');
  assert.equal(n[0], 'Writer runs netfs_wb_begin(ictx) → true. At the start: wb lock is held by writer.');
  assert.match(n[1], /Nothing the other tasks can see changes yet\. Here it breaks: returns with the wb lock held\.$/);
  assert.match(n[2], /wb lock: held by writer → free/);
});

test('scenario match: functions map to the built-in scenarios that bear on them', () => {
  const known = core.scenarioList().map((s) => s.name);
  for (const r of SCENARIO_RULES) assert.ok(known.includes(r.scenario), `rule names unknown scenario ${r.scenario}`);
  assert.deepEqual(scenariosFor('examplefs_writepages', ['netfs_wb_begin(ictx, true) → true', 'writeback_iter(mapping, wbc, NULL, &error) → nonnull'], known), ['wb-handoff', 'writeback-iter-break']);
  assert.deepEqual(scenariosFor('netfs_end_writethrough', [], known), ['stable-writes-race']);
  assert.deepEqual(scenariosFor('afs_readdir', ['spin_lock(&x)'], known), []);
  assert.deepEqual(scenariosFor('examplefs_writepages', ['netfs_wb_begin(ictx)'], ['writeback-iter-break']), []);
});

test('API words: the real table entries read as sentences', () => {
  const table = core.builtinApiTable();
  const begin = entryWords(table.byName.netfs_wb_begin[0]).join('\n');
  assert.match(begin, /acquires the wb-lock of argument 1 when the result is true/);
  assert.match(begin, /may sleep/);
  assert.match(begin, /kernel model §6\.2/);
  const end = entryWords(table.byName.netfs_wb_end[0]).join('\n');
  assert.match(end, /releases the wb-lock of argument 1; without it held: `WARN_ON_ONCE/);
  assert.equal(opWords({ kind: 'handoff', resource: 'wb-lock', obj: 'held', to: 'wreq', needsRequest: true }), 'hands the wb-lock over to wreq (needs a write request created on the path), which releases it later');
  for (const [name, entries] of Object.entries(table.byName))
    for (const e of entries) for (const line of entryWords(e)) assert.ok(line.length > 3 && !line.includes('undefined'), `${name}: ${line}`);
});
