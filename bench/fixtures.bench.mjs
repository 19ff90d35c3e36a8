// fixtures.*: the check fixture corpus (test/fixtures/checks) as a measure of the checker: how many
// patches get exactly their expected findings, how many expected findings are found, how many findings
// nobody expected, and how long checkText takes per patch (warm, in process).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'test', 'fixtures', 'checks');

export async function run() {
  const core = require(path.join(root, 'dist', 'core.js'));
  const { compare, expectationsOf, fixtureNames } = await import(pathToFileURL(path.join(dir, 'expect.mjs')).href);
  const wasmDir = path.join(root, 'dist');
  const names = fixtureNames(dir);
  let passing = 0;
  let expectedTotal = 0;
  let found = 0;
  let unexpected = 0;
  let fixesExpected = 0;
  let fixesFound = 0;
  const times = [];
  // One warm-up run so that tree-sitter initialisation is not counted per patch.
  if (names.length) await core.checkText(fs.readFileSync(path.join(dir, names[0], 'patch.patch'), 'utf8'), 'warmup.patch', { wasmDir });
  for (const name of names) {
    const text = fs.readFileSync(path.join(dir, name, 'patch.patch'), 'utf8');
    const expected = expectationsOf(text);
    const t0 = performance.now();
    const report = await core.checkText(text, `${name}/patch.patch`, { wasmDir });
    times.push(performance.now() - t0);
    const cmp = compare(report, expected);
    if (cmp.ok) passing++;
    expectedTotal += cmp.want.length;
    found += cmp.want.length - cmp.missing.length;
    unexpected += cmp.unexpected.length;
    const fixed = cmp.want.filter((k) => k.startsWith('fixed '));
    fixesExpected += fixed.length;
    fixesFound += fixed.filter((k) => cmp.got.includes(k)).length;
  }
  times.sort((a, b) => a - b);
  const round = (x) => Math.round(x * 10) / 10;
  return {
    'fixtures.patches': { value: names.length, unit: 'patches in the corpus' },
    'fixtures.passing': { value: passing, unit: `patches with exactly the expected findings (of ${names.length})` },
    'fixtures.recall': { value: expectedTotal ? round((100 * found) / expectedTotal) : 0, unit: `% of ${expectedTotal} expected findings reported` },
    'fixtures.fixes.recall': { value: fixesExpected ? round((100 * fixesFound) / fixesExpected) : 0, unit: `% of ${fixesExpected} expected fixed findings reported` },
    'fixtures.unexpected': { value: unexpected, unit: 'error/warning findings no fixture expected' },
    'fixtures.check.median.ms': { value: round(times[Math.floor(times.length / 2)] ?? 0), unit: 'ms per patch (median, warm, in process)' },
  };
}
