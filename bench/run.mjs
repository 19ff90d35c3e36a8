// npm run bench: runs every bench/*.bench.mjs in one process, prints the figures side by side and
// writes bench-results.json ({"<name>": {"value": n, "unit": "…"}}). Figures only; nothing is asserted.
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = readdirSync(here).filter((f) => f.endsWith('.bench.mjs') && (!only || f.startsWith(only))).sort();
const results = {};
for (const f of files) {
  const mod = await import(pathToFileURL(join(here, f)).href);
  const t0 = performance.now();
  try {
    const r = await mod.run();
    Object.assign(results, r);
    for (const [name, v] of Object.entries(r)) console.log(`${name.padEnd(40)} ${String(v.value).padStart(12)} ${v.unit}`);
  } catch (e) {
    console.log(`${f}: failed: ${e?.message ?? e}`);
    process.exitCode = 1;
  }
  console.log(`  (${f} took ${Math.round(performance.now() - t0)} ms)`);
}
writeFileSync(join(here, '..', 'bench-results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(`wrote bench-results.json (${Object.keys(results).length} figures)`);
