#!/usr/bin/env node
// Measured recall on real kernel fixes: every case folder of a corpus (case.json, the fix as patch
// mail, the pre-image C files under tree/) is checked twice, from the patch alone and with its tree,
// and the result is compared with what case.json says a checker should report: a `fixed` finding of
// the expected check in the expected function. Every case that is missed gets a one-line reason.
// Also counted: `introduced` errors on fixes (a fix should not introduce anything).
//
//   node scripts/corpus.mjs <corpus-dir> [--json]      (default: ../shared/corpus beside the repo)
//
// case.json fields read (others are ignored): id, source, function (or functions[0]), file,
// expect.check (or check), expect.status (default "fixed"). The patch is the first of patch.mbox,
// patch.eml, *.patch, *.mbox, *.eml, *.txt in the folder. Reads dist/core.js (npm run build first).
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const core = require(join(root, 'dist', 'core.js'));
const wasmDir = join(root, 'dist');

export const defaultCorpus = () => resolve(root, '..', 'shared', 'corpus');

function walkFiles(dir) {
  const out = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...walkFiles(p));
    else out.push(p);
  }
  return out;
}

/**
 * A corpus names the class of bug in its own words ("folio-lock-balance", "refcount-balance",
 * "wb-begin-pairing"); the check ids are shorter. Names that are not a check's stay as they are (and
 * so count as missed unless they are "other").
 */
const CHECK_IDS = new Set(core.CHECKS.map((c) => c.id));
const ALIASES = { 'wb-begin-pairing': 'wb-pairing', 'folio-lock-balance': 'folio-lock', 'refcount-balance': 'refcount', 'ref-balance': 'refcount', 'stable-writes-counter': 'stable-writes' };
export function canonicalCheck(name) {
  if (!name) return null;
  if (CHECK_IDS.has(name)) return name;
  if (ALIASES[name]) return ALIASES[name];
  const bare = name.replace(/-balance$/, '');
  return CHECK_IDS.has(bare) ? bare : name;
}

export function loadCase(dir) {
  const meta = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
  const names = readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile());
  const pick = ['patch.mbox', 'patch.eml', 'patch.patch'].find((n) => names.includes(n))
    ?? names.filter((n) => /\.(patch|mbox|eml|txt|diff)$/.test(n)).sort()[0];
  const tree = {};
  const tdir = join(dir, 'tree');
  if (existsSync(tdir)) for (const f of walkFiles(tdir)) tree[relative(tdir, f).split('\\').join('/')] = readFileSync(f, 'utf8');
  const expect = meta.expect ?? meta.expected ?? {};
  const fn = meta.function ?? meta.functions?.[0] ?? expect.function ?? null;
  return {
    id: meta.id ?? dir.split(/[\\/]/).pop(),
    source: meta.source ?? '',
    fn,
    file: meta.file ?? null,
    check: canonicalCheck(expect.check ?? meta.check ?? null),
    status: expect.status ?? 'fixed',
    patchFile: pick ? join(dir, pick) : null,
    tree,
  };
}

function reasonFor(c, r, hits) {
  const fns = r.functions.filter((f) => f.name === c.fn);
  if (fns.length === 0) {
    const why = r.problems.find((p) => /not analysed|unknown-function|hunk/.test(`${p.kind} ${p.message}`));
    return `function ${c.fn} was not rebuilt from the patch${why ? ` (${why.message.slice(0, 120)})` : ''}`;
  }
  const pre = fns.find((f) => f.side === 'pre');
  if (!pre) return `${c.fn} has no pre-image side (added by the fix?)`;
  if (pre.notAnalysed) return `${c.fn} (pre) not analysed: ${pre.notAnalysed}`;
  if (pre.truncated) return `${c.fn} (pre): the search was cut by a bound (${pre.states} states)`;
  const other = r.findings.filter((f) => f.function === c.fn && f.status === 'fixed');
  if (other.length) return `a fixed finding of another check (${[...new Set(other.map((f) => f.check))].join(', ')}), not ${c.check}`;
  const info = r.findings.filter((f) => f.function === c.fn && f.status !== 'fixed');
  const opaque = (r.opaqueCallees[c.fn] ?? []).slice(0, 6);
  const partial = !pre.complete ? `; the patch shows ${c.fn} only in part (${pre.partialReasons.slice(0, 1).join('') || 'hunks'})` : '';
  return `no ${c.check ?? ''} finding on the pre-image${partial}${opaque.length ? `; callees with no model: ${opaque.join(', ')}` : ''}${info.length ? `; other findings: ${info.map((f) => `${f.status} ${f.severity} ${f.check}`).join(', ')}` : ''}`;
}

export async function runCase(c, withTree) {
  const text = readFileSync(c.patchFile, 'utf8');
  const t0 = performance.now();
  const r = await core.checkText(text, c.patchFile, { wasmDir, ...(withTree ? { treeFiles: c.tree } : {}) });
  const ms = performance.now() - t0;
  const hits = r.findings.filter((f) => f.function === c.fn && f.status === c.status && (!c.check || c.check === 'other' || f.check === c.check));
  const introducedErrors = r.findings.filter((f) => f.status === 'introduced' && f.severity === 'error');
  const fnStates = r.functions.filter((f) => f.name === c.fn).map((f) => ({ side: f.side, states: f.states ?? 0, paths: f.paths, truncated: f.truncated }));
  return {
    recognised: hits.length > 0,
    introducedErrors: introducedErrors.map((f) => `${f.check} ${f.function}:${f.line}`),
    reason: hits.length > 0 ? null : reasonFor(c, r, hits),
    ms,
    states: r.functions.reduce((a, f) => a + (f.states ?? 0), 0),
    truncated: r.functions.filter((f) => f.truncated).map((f) => `${f.name}/${f.side}`),
    fnStates,
  };
}

export async function runCorpus(dir) {
  const cases = readdirSync(dir).sort().map((n) => join(dir, n)).filter((p) => statSync(p).isDirectory() && existsSync(join(p, 'case.json'))).map(loadCase);
  const rows = [];
  for (const c of cases) {
    if (!c.patchFile) { rows.push({ c, patch: null, tree: null }); continue; }
    const patch = await runCase(c, false);
    const tree = Object.keys(c.tree).length ? await runCase(c, true) : null;
    rows.push({ c, patch, tree });
  }
  return rows;
}

export function summarise(rows) {
  const n = rows.length;
  const withTree = rows.filter((r) => r.tree);
  return {
    cases: n,
    patchRecognised: rows.filter((r) => r.patch?.recognised).length,
    treeCases: withTree.length,
    treeRecognised: withTree.filter((r) => r.tree.recognised).length,
    introducedErrors: rows.reduce((a, r) => a + (r.patch?.introducedErrors.length ?? 0) + (r.tree?.introducedErrors.length ?? 0), 0),
    truncated: rows.reduce((a, r) => a + (r.patch?.truncated.length ?? 0) + (r.tree?.truncated.length ?? 0), 0),
  };
}

export function printRows(rows, log = console.log) {
  for (const { c, patch, tree } of rows) {
    if (!patch) { log(`${c.id}: no patch file in the case folder`); continue; }
    const mark = (x) => (x ? (x.recognised ? 'yes' : 'no ') : ' - ');
    log(`${c.id.padEnd(34)} patch ${mark(patch)} ${String(Math.round(patch.ms)).padStart(5)} ms   tree ${mark(tree)} ${tree ? String(Math.round(tree.ms)).padStart(5) + ' ms' : '        '}  ${c.fn} [${c.check}]`);
    for (const [label, x] of [['patch', patch], ['tree', tree]]) {
      if (!x) continue;
      if (!x.recognised) log(`    missed (${label}): ${x.reason}`);
      if (x.introducedErrors.length) log(`    introduced errors (${label}): ${x.introducedErrors.join('; ')}`);
      if (x.truncated.length) log(`    truncated (${label}): ${x.truncated.join(', ')}`);
    }
  }
  const s = summarise(rows);
  const pct = (a, b) => (b ? `${Math.round((100 * a) / b)} %` : 'n/a');
  log(`recognised from the patch alone: ${s.patchRecognised}/${s.cases} (${pct(s.patchRecognised, s.cases)}); with the tree: ${s.treeRecognised}/${s.treeCases} (${pct(s.treeRecognised, s.treeCases)}); introduced errors on fixes: ${s.introducedErrors}; truncated functions: ${s.truncated}`);
  return s;
}

async function main() {
  const args = process.argv.slice(2);
  const dir = resolve(args.find((a) => !a.startsWith('--')) ?? defaultCorpus());
  if (!existsSync(dir)) {
    console.log(`corpus not present: ${dir}`);
    return;
  }
  const rows = await runCorpus(dir);
  if (args.includes('--json')) console.log(JSON.stringify({ summary: summarise(rows), cases: rows.map(({ c, patch, tree }) => ({ id: c.id, source: c.source, function: c.fn, check: c.check, patch, tree })) }, null, 1));
  else printRows(rows);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
