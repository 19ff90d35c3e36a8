// C understanding: functions analysed per second (parse + IR + CFG + paths) on the project's own
// kernel-style fixtures, and the ratio of that total time to tree-sitter's bare parse of the same
// text (the floor). Also the patch-only path on the reconstruction fixture.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

export async function run() {
  const core = require(path.join(root, 'dist', 'core.js'));
  await core.initTreeSitter(path.join(root, 'dist'));
  const fx = path.join(root, 'test', 'fixtures', 'c');
  const sources = [
    fs.readFileSync(path.join(fx, 'idioms.c'), 'utf8'),
    fs.readFileSync(path.join(fx, 'tree-base', 'fs', 'demo', 'write.c'), 'utf8'),
    fs.readFileSync(path.join(fx, 'tree-applied', 'fs', 'demo', 'write.c'), 'utf8'),
  ];
  // One larger kernel-like file: the fixtures repeated with renamed functions.
  let big = '';
  for (let i = 0; i < 20; i++) for (const s of sources) big += s.replace(/\b(demo_\w+)\(/g, `$1_${i}(`) + '\n';
  // warm up
  core.analyzeSource(big, 'big.c', 'post');
  core.bareParseMs(big);

  const rounds = 5;
  let fns = 0;
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) fns += core.analyzeSource(big, 'big.c', 'post').length;
  const ours = (performance.now() - t0) / rounds;
  let bare = 0;
  for (let r = 0; r < rounds; r++) bare += core.bareParseMs(big);
  bare /= rounds;

  const patch = core.parseInput(fs.readFileSync(path.join(fx, 'demo-series.patch'), 'utf8'), 'demo-series.patch');
  const files = patch.messages.flatMap((m) => m.files);
  let pf = 0;
  const t1 = performance.now();
  for (let r = 0; r < 20; r++) for (const f of files) pf += core.analyzeFileDiff(f, 'post').length + core.analyzeFileDiff(f, 'pre').length;
  const patchMs = performance.now() - t1;

  return {
    'c.functionsPerSec': { value: Math.round(fns / ((ours * rounds) / 1000)), unit: 'functions/s' },
    'c.ratioToBareParse': { value: Number((ours / bare).toFixed(2)), unit: 'x tree-sitter parse time' },
    'c.bareParseMs': { value: Number(bare.toFixed(2)), unit: `ms (${big.split('\n').length} lines)` },
    'c.patchOnlyFunctionsPerSec': { value: Math.round(pf / (patchMs / 1000)), unit: 'functions/s' },
  };
}
