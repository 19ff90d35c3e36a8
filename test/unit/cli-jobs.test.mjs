// `lockstep check` with several inputs runs them on a pool of worker threads (src/cli/pool.ts). The
// output must be byte-identical to the sequential run, with and without a tree, and the pool must
// carry the inputs' real findings (not, say, empty reports).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli.js');
const checks = join(root, 'test', 'fixtures', 'checks');
const patches = readdirSync(checks).sort().map((d) => join(checks, d, 'patch.patch')).filter((p) => existsSync(p)).slice(0, 12);

function run(args) {
  const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  return r;
}

test('check with a worker pool: byte-identical to the sequential run, exit code included', () => {
  assert.ok(patches.length >= 8, 'fixture patches');
  const one = run(['--jobs', '1', ...patches]);
  const pool = run(['--jobs', '3', ...patches]);
  assert.equal(pool.stdout, one.stdout);
  assert.equal(pool.status, one.status);
  const j = JSON.parse(pool.stdout);
  assert.equal(j.inputs.length, patches.length);
  assert.ok(j.findings.some((f) => f.status === 'introduced'), 'the pooled run carries the findings');
});

test('check with a worker pool and --tree <dir>: each worker reads the tree itself, same output', () => {
  const tree = join(root, 'test', 'fixtures', 'c', 'tree-base');
  const demo = join(root, 'test', 'fixtures', 'c', 'demo-series.patch');
  const inputs = [demo, demo, demo, demo, demo];
  const one = run(['--jobs', '1', '--tree', tree, ...inputs]);
  const pool = run(['--jobs', '2', '--tree', tree, ...inputs]);
  assert.equal(pool.stdout, one.stdout);
  assert.ok(JSON.parse(pool.stdout).functions.some((f) => f.source === 'worktree'), 'functions came from the tree');
  const t = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '--jobs', '2', '--timings', ...inputs], { encoding: 'utf8' });
  const line = t.stderr.split('\n').find((l) => l.startsWith('{"timings"'));
  assert.ok(line, `--timings line: ${t.stderr}`);
  assert.equal(JSON.parse(line).check.workers, 2);
});
