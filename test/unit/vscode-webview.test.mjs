// The timeline's pure helpers (src/webview/stateRows.ts, bundled with esbuild and run in Node):
// per-step state snapshots become rows of bars, grouped and toned, with gaps carried forward.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const core = require('../../dist/core.js');

function load(entry) {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-unit-'));
  const outfile = join(dir, 'out.cjs');
  require('esbuild').buildSync({ entryPoints: [join(repo, entry)], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'silent' });
  const mod = require(outfile);
  rmSync(dir, { recursive: true, force: true });
  return mod;
}
const { stateRows, toneOf, groupOf } = load('src/webview/stateRows.ts');

test('timeline rows: consecutive equal values merge into one bar; values carry over missing steps', () => {
  const model = JSON.parse(readFileSync(join(repo, 'test', 'fixtures', 'vscode', 'timeline-model.json'), 'utf8'));
  const rows = stateRows(model.trace.steps);
  const wb = rows.find((r) => r.key === 'wb lock (ictx)');
  assert.deepEqual(wb.segments.map((s) => [s.start, s.end, s.tone]), [[0, 2, 'active'], [3, 4, 'bad']]);
  assert.deepEqual(rows.map((r) => r.group), ['locks', 'folios', 'counters']);
  const sparse = stateRows([{ state: { a: 'held' } }, { state: {} }, { state: { a: 'free' } }]);
  assert.deepEqual(sparse[0].segments.map((s) => [s.start, s.end, s.value]), [[0, 1, 'held'], [2, 2, 'free']]);
});

test('timeline rows: tones and groups of the values the simulator reports', () => {
  assert.equal(toneOf('held by caller'), 'active');
  assert.equal(toneOf('free'), 'idle');
  assert.equal(toneOf('clear'), 'idle');
  assert.equal(toneOf('held by writer (leaked)'), 'bad');
  assert.equal(toneOf('locked, dirty'), 'active');
  assert.equal(groupOf('i_wt_count', ['0', '1']), 'counters');
  assert.equal(groupOf('folio', ['locked']), 'folios');
  assert.equal(groupOf('wb lock', ['free']), 'locks');
});

test('timeline rows: every state of a real path trace lands in a row with full coverage', async () => {
  const text = readFileSync(join(repo, 'examples', 'netfs-wb-forgotten-end.patch'), 'utf8');
  const report = await core.checkText(text, 'example.patch', { wasmDir: join(repo, 'dist'), traces: true });
  const fn = report.functions.find((f) => f.side === 'post' && f.pathReports?.some((p) => p.severity === 'error'));
  assert.ok(fn, 'the example has no failing post-side path');
  const path = fn.pathReports.find((p) => p.severity === 'error');
  const rows = stateRows(path.trace.steps);
  const keys = new Set(path.trace.steps.flatMap((s) => Object.keys(s.state)));
  assert.deepEqual(new Set(rows.map((r) => r.key)), keys);
  for (const r of rows) {
    assert.equal(r.segments[0].start, 0);
    assert.equal(r.segments[r.segments.length - 1].end, path.trace.steps.length - 1);
    for (let i = 1; i < r.segments.length; i++) assert.equal(r.segments[i].start, r.segments[i - 1].end + 1);
  }
  const wb = rows.find((r) => /wb lock/.test(r.key));
  assert.ok(wb.segments.some((s) => s.tone === 'active'), JSON.stringify(wb));
});
