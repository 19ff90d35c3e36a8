// check.*: the CLI as a user runs it (whole process, cold start included), median of several runs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'lockstep.js');

function medianMs(args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    times.push(performance.now() - t0);
    if (r.status === 2) throw new Error(`lockstep ${args.join(' ')} failed: ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)] * 10) / 10;
}

export async function run() {
  const out = {};
  const seed = resolve(root, '..', 'shared', 'seeds', '000_7262cf86413b0ec6.txt');
  if (existsSync(seed)) out['check.seed000.ms'] = { value: medianMs(['check', seed, '--format', 'json'], 7), unit: 'ms (median of 7, whole process)' };
  else console.log('check.seed000.ms: skipped, ../shared/seeds not present');
  out['check.example.ms'] = { value: medianMs(['check', join(root, 'examples', 'netfs-wb-forgotten-end.patch')], 7), unit: 'ms (median of 7, whole process)' };
  Object.assign(out, await runSeries());
  return out;
}

import { makeSeries } from './series.mjs';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

export async function runSeries() {
  const text = makeSeries(30, 8);
  const lines = text.split('\n').length;
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-bench-'));
  const file = join(dir, 'series30.mbox');
  writeFileSync(file, text);
  try {
    // Cold: a fresh process per run (tree-sitter init, wasm compile and all).
    return {
      'check.series30.ms': { value: medianMs(['check', file, '--format', 'json'], 3), unit: `ms (median of 3, whole process, ${lines} mbox lines)` },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
