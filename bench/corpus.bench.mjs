// Real kernel fixes and the engine's cost per function. When ../shared/corpus is present (real public
// fixes with case.json and pre-image trees, kept outside the repository), every case is checked from
// the patch alone and with its tree; each case prints whether the expected function got a `fixed`
// finding of the expected check, a one-line reason when it did not, introduced errors on fixes, and the
// states the search visited and the time per case. Without the corpus it says so. Also, on the bundled
// check fixtures: the function with the most states, its states and time, against tree-sitter's bare
// parse of its file. Figures only; nothing is asserted.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

export async function run() {
  const core = require(path.join(root, 'dist', 'core.js'));
  await core.initTreeSitter(path.join(root, 'dist'));
  const out = {};
  const { defaultCorpus, runCorpus, printRows } = await import(pathToFileURL(path.join(root, 'scripts', 'corpus.mjs')).href);
  const dir = process.env.LOCKSTEP_CORPUS ?? defaultCorpus();
  if (fs.existsSync(dir)) {
    const rows = await runCorpus(dir);
    for (const r of rows) {
      if (!r.patch) continue;
      const st = (x) => (x ? x.fnStates.map((f) => `${f.side} ${f.states} states`).join(', ') : '');
      console.log(`  ${r.c.id}: patch ${Math.round(r.patch.ms)} ms (${st(r.patch)})${r.tree ? `; tree ${Math.round(r.tree.ms)} ms (${st(r.tree)})` : ''}`);
    }
    const s = printRows(rows, (l) => console.log(`  ${l}`));
    out['corpus.cases'] = { value: s.cases, unit: 'cases' };
    out['corpus.patchRecognised.pct'] = { value: s.cases ? Math.round((100 * s.patchRecognised) / s.cases) : 0, unit: '%' };
    out['corpus.treeRecognised.pct'] = { value: s.treeCases ? Math.round((100 * s.treeRecognised) / s.treeCases) : 0, unit: '%' };
    out['corpus.introducedErrors'] = { value: s.introducedErrors, unit: 'findings' };
    out['corpus.truncatedFunctions'] = { value: s.truncated, unit: 'functions' };
  } else {
    console.log(`  corpus not present (${path.relative(root, dir)}): no recall figures`);
  }
  // The heaviest function of the bundled fixtures.
  const fx = path.join(root, 'test', 'fixtures', 'checks');
  let best = null;
  for (const d of fs.readdirSync(fx).sort()) {
    const f = path.join(fx, d, 'after.c');
    if (!fs.existsSync(f)) continue;
    const text = fs.readFileSync(f, 'utf8');
    const t0 = performance.now();
    const fns = core.analyzeSource(text, 'x.c', 'post');
    const ms = performance.now() - t0;
    for (const fn of fns) if (!best || (fn.states ?? 0) > best.states) best = { name: `${d}:${fn.name}`, states: fn.states ?? 0, ms, text };
  }
  if (best) {
    for (let i = 0; i < 3; i++) core.analyzeSource(best.text, 'x.c', 'post');
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) core.analyzeSource(best.text, 'x.c', 'post');
    const ms = (performance.now() - t0) / 10;
    let bare = Infinity;
    for (let i = 0; i < 10; i++) bare = Math.min(bare, core.bareParseMs(best.text));
    console.log(`  largest fixture function: ${best.name}, ${best.states} states, ${ms.toFixed(2)} ms (bare parse ${bare.toFixed(2)} ms)`);
    out['engine.largestFixture.states'] = { value: best.states, unit: 'states' };
    out['engine.largestFixture.ms'] = { value: Number(ms.toFixed(2)), unit: 'ms' };
    out['engine.largestFixture.ratioToBareParse'] = { value: Number((ms / bare).toFixed(1)), unit: 'x' };
  }
  return out;
}
