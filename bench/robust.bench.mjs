// Robustness figures:
//   robust.fuzz.inputsPerSec     mutated mails (the robust fuzz mutators) through checkText, per second
//   robust.fuzz.failures         cases that broke an invariant (throw, contract, line, bound): should be 0
//   robust.mbox50mb.parseMs      parseInput over a generated ~50 MB mbox (no analysis)
//   robust.mbox50mb.partialMs    read + checkText with the default limits and maxMessages 25: the time
//                                to the first partial, labelled report on a ~50 MB mbox
// The mbox is generated in a temp dir (many patches of our own kernel-style C) and deleted after.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng, pick, basePatch, bigPatch, mutateMail, writeMbox } from '../test/fixtures/robust/gen.mjs';
import { reportViolations } from '../test/fixtures/robust/invariants.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const wasmDir = path.join(repoRoot, 'dist');
const SEED = Number(process.env.ROBUST_SEED ?? 4242);
const FUZZ_MS = Number(process.env.ROBUST_BENCH_FUZZ_MS ?? 20_000);
const MBOX_BYTES = Number(process.env.ROBUST_BENCH_MBOX_BYTES ?? 50 * 1024 * 1024);

export async function run() {
  const core = require(path.join(repoRoot, 'dist', 'core.js'));
  await core.initTreeSitter(wasmDir);
  const hostile = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'robust', 'hostile.patch'), 'utf8');
  const bases = [basePatch(0), basePatch(1), bigPatch(2) + '\n' + bigPatch(3), hostile];

  // Fuzz throughput (time-boxed), counting invariant failures.
  let n = 0, failures = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < FUZZ_MS) {
    const r = rng(SEED + n);
    const { text } = mutateMail(pick(r, bases), r);
    try {
      const rep = JSON.parse(JSON.stringify(await core.checkText(text, 'mutant.patch', { wasmDir })));
      if (reportViolations(core, rep, text, core.parseInput(text, 'mutant.patch')).length) failures++;
    } catch {
      failures++;
    }
    n++;
  }
  const inputsPerSec = n / ((performance.now() - t0) / 1000);

  // ~50 MB mbox in a temp dir.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-robust-bench-'));
  const file = path.join(dir, 'big.mbox');
  let parseMs, partialMs, partialOk;
  try {
    writeMbox(file, MBOX_BYTES);
    const t1 = performance.now();
    const text = fs.readFileSync(file, 'utf8');
    core.parseInput(text, file);
    parseMs = performance.now() - t1;
    const t2 = performance.now();
    const rep = await core.checkText(fs.readFileSync(file, 'utf8'), file, { wasmDir, maxMessages: 25 });
    partialMs = performance.now() - t2;
    partialOk = rep.problems.some((p) => p.kind === 'limit') && rep.functions.length > 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return {
    'robust.fuzz.inputsPerSec': { value: Math.round(inputsPerSec * 10) / 10, unit: 'inputs/s' },
    'robust.fuzz.failures': { value: failures, unit: 'cases' },
    'robust.mbox50mb.parseMs': { value: Math.round(parseMs), unit: 'ms' },
    'robust.mbox50mb.partialMs': { value: Math.round(partialMs), unit: partialOk ? 'ms' : 'ms (no limit problem: not partial)' },
  };
}
