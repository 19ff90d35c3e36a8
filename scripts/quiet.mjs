#!/usr/bin/env node
// Shipped code should be quiet: runs Lockstep over whole kernel C files as if a patch touched every
// function without changing it (one blank line added after each function's opening brace, the file
// itself given as the kernel tree), so every finding it prints is one that "persists" in code the
// kernel already ships. Prints, per function, the states the search visited, the witness paths, the
// time, whether a bound cut it, and each error or warning finding; then the totals.
//
//   node scripts/quiet.mjs <file.c | dir>… [--root <dir>] [--json] [--quiet-only]
//
// --root: the folder the kernel paths are relative to (default: the common parent of the arguments).
// Reads dist/core.js (npm run build first). Nothing from the files is executed.
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const core = require(join(root, 'dist', 'core.js'));

/** A format-patch that adds one blank line after the opening brace of every function of the file. */
export function touchEveryFunction(path, text) {
  const lines = text.split('\n');
  const hunks = [];
  let shift = 0;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] !== '{' || !/^[A-Za-z_].*\)\s*$|^[A-Za-z_].*\($|^\s+.*\)\s*$/.test(lines[i - 1])) continue;
    // heading: the signature line that starts the function (column 0, not a preprocessor line)
    let h = i - 1;
    while (h > 0 && !/^[A-Za-z_]/.test(lines[h])) h--;
    const line = i + 1; // 1-based line of the brace
    hunks.push(`@@ -${line},1 +${line + shift},2 @@ ${lines[h]}\n {\n+\n`);
    shift++;
  }
  if (hunks.length === 0) return null;
  return `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: Lockstep Quiet Check <quiet@lockstep.invalid>
Date: Mon, 2 Nov 2026 10:00:00 +0000
Subject: [PATCH] ${path}: touch every function (no change)

---
diff --git a/${path} b/${path}
--- a/${path}
+++ b/${path}
${hunks.join('')}--
2.43.0
`;
}

export async function quietCheck(file, kernelPath, opts = {}) {
  const text = readFileSync(file, 'utf8');
  const patch = touchEveryFunction(kernelPath, text);
  if (!patch) return { file: kernelPath, functions: [], findings: [], problems: [], ms: 0 };
  const t0 = performance.now();
  // Every function of a large file is checked at once: the editor's 60 s budget would stop it early.
  const r = await core.checkText(patch, `${kernelPath}.quiet.patch`, { wasmDir: join(root, 'dist'), treeFiles: { [kernelPath]: text }, timeBudgetMs: 600_000, ...opts });
  const ms = performance.now() - t0;
  return { file: kernelPath, functions: r.functions.filter((f) => f.side === 'post'), findings: r.findings, problems: r.problems, ms };
}

function cFiles(p) {
  const st = statSync(p);
  if (st.isFile()) return p.endsWith('.c') ? [p] : [];
  return readdirSync(p).sort().flatMap((n) => cFiles(join(p, n)));
}

async function main() {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const ri = args.indexOf('--root');
  const base = ri >= 0 ? resolve(args[ri + 1]) : null;
  const inputs = args.filter((a, i) => !a.startsWith('--') && (ri < 0 || i !== ri + 1));
  if (inputs.length === 0) {
    console.error('usage: node scripts/quiet.mjs <file.c | dir>… [--root <dir>] [--json]');
    process.exit(2);
  }
  const files = inputs.flatMap((p) => cFiles(resolve(p)));
  const top = base ?? (inputs.length === 1 && statSync(resolve(inputs[0])).isDirectory() ? resolve(inputs[0]) : dirname(files[0]));
  const out = [];
  let fns = 0, truncated = 0, noisy = 0, states = 0, ms = 0, unread = 0, mergedFns = 0;
  for (const f of files) {
    const kp = relative(top, f).split('\\').join('/');
    const r = await quietCheck(f, kp);
    out.push(r);
    const loud = r.findings.filter((x) => x.severity === 'error' || x.severity === 'warning');
    fns += r.functions.length;
    truncated += r.functions.filter((x) => x.truncated).length;
    unread += r.functions.filter((x) => x.notAnalysed).length;
    noisy += loud.length;
    states += r.functions.reduce((a, x) => a + (x.states ?? 0), 0);
    mergedFns += new Set(r.problems.filter((p) => p.kind === 'path-merged').map((p) => p.message.split(':')[0])).size;
    ms += r.ms;
    if (json) continue;
    console.log(`${kp}: ${r.functions.length} functions, ${Math.round(r.ms)} ms, ${r.functions.filter((x) => x.truncated).length} truncated, ${loud.length} error/warning`);
    for (const x of r.functions.filter((x) => x.truncated || x.notAnalysed)) {
      // Which bound cut it: the path search's own problem for this function.
      const bound = x.truncated ? r.problems.find((p) => /^(path-cap|state-cap|loop-bound|path-work)$/.test(p.kind) && p.message.startsWith(`${x.name}: `)) : null;
      console.log(`  ${x.truncated ? 'TRUNCATED' : 'not analysed'} ${x.name}: paths ${x.paths}, states ${x.states}${x.notAnalysed ? ` (${x.notAnalysed})` : ''}${bound ? ` (${bound.kind}: ${bound.message.slice(x.name.length + 2)})` : ''}`);
    }
    for (const p of r.problems.filter((p) => /time budget|function limit/.test(p.message))) console.log(`  STOPPED ${p.message}`);
    // Walked whole with states merged by net effect (cfg/paths.ts, the second search after a capped one).
    for (const m of new Set(r.problems.filter((p) => p.kind === 'path-merged').map((p) => p.message))) console.log(`  MERGED ${m.slice(0, 200)}`);
    for (const x of loud) console.log(`  ${x.severity} ${x.status} ${x.check} ${x.function}:${x.line} ${x.message.slice(0, 240)}`);
  }
  if (json) console.log(JSON.stringify(out.map((r) => ({ file: r.file, ms: Math.round(r.ms), functions: r.functions.map((x) => ({ name: x.name, paths: x.paths, states: x.states, truncated: x.truncated })), findings: r.findings })), null, 1));
  else console.log(`total: ${files.length} files, ${fns} functions (${unread} not analysed), ${truncated} truncated, ${mergedFns} walked with states merged by net effect, ${noisy} error/warning findings on unchanged code, ${states} states, ${Math.round(ms)} ms`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
