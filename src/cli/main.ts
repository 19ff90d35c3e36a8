/*
 * The lockstep command line.
 *   lockstep check <file…|-> [--format text|json|sarif|b4] [--tree <dir|git repo>] [--base <rev>] [--git <range>] [--api-table <file.json>] [--traces] [--timings] [--jobs N] [--max-paths N] [--loop-unroll N] [--disable id,id]
 *   lockstep parse <file> [--format json]
 *   lockstep paths <file> --function <name> [--side pre|post] [--format text|json]
 *   lockstep scenario --list | <name> [--tasks N] [--fixed] [--format text|json]
 * Exit codes: 0 no error finding introduced; 1 an error finding introduced (check) or a scenario
 * violated; 2 usage error or unreadable input. Bad input never prints a stack trace.
 */
import { readFileSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { resolve, sep } from 'node:path';
import { readArgs, optString, optInt, oneOf, UsageError, type Args } from './args';
import { checkText as renderCheck } from './format';
import { toSarif } from './sarif';
import { toB4 } from './b4';
import { safeJson, safeText } from './safe';
import { checkParsed, mergeReports } from '../core/api';
import { parseInput, toParseJson } from '../core/mail/index';
import { initTreeSitter, analyzeFileDiff, analyzeWithTree } from '../core/c/index';
import { renderPathsText } from '../core/cfg/index';
import { scenarioList, runScenario, renderScenarioText } from '../core/sim/index';
import { VERSION } from '../core/version';
import type { CheckReport, FunctionAnalysis } from '../core/types';
import { openRepo, resolveAllPreImages, rangeSeries, type GitRepo } from '../node/git';
import { checkOptions, isPoolWorker, poolSize, runPool, serveJobs, type Job, type PoolOptions } from './pool';

// tree-sitter's wasm stays on V8's baseline compiler (Liftoff): a CLI run is too short for the optimising
// tier to pay back its compile time, which on a 2-core machine competes with the run itself (npm run bench,
// checkpatch.*: seed 000 0.76x the wall time and 0.60x the CPU of the default; a 30-file run 0.96x). Only the
// CLI's own process: the extension host, which lives long and is shared, keeps V8's defaults.
setFlagsFromString('--liftoff-only');

const MAX_INPUT_BYTES = 64 * 1024 * 1024;
const wasmDir = __dirname;

const USAGE = `lockstep ${VERSION} — simulate the locking of kernel patch mail

usage:
  lockstep check <file…|-> [--format text|json|sarif|b4] [--tree <dir|git repo>] [--base <rev>] [--git <range>] [--api-table <file.json>] [--traces] [--timings] [--jobs N] [--max-paths N] [--loop-unroll N] [--disable check,…]
  lockstep parse <file> [--format json]
  lockstep paths <file> --function <name> [--side pre|post] [--format text|json]
  lockstep scenario --list
  lockstep scenario <name> [--tasks N] [--fixed] [--max-states N] [--timing] [--format text|json]

exit codes: 0 no error introduced, 1 error introduced (or scenario violated), 2 usage or unreadable input
`;

class InputError extends Error {}

function readInput(file: string): string {
  if (file === '-') {
    try {
      const buf = readFileSync(0);
      if (buf.length > MAX_INPUT_BYTES) throw new InputError(`stdin: ${buf.length} bytes is over the ${MAX_INPUT_BYTES}-byte input limit`);
      return buf.toString('utf8');
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`stdin: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new InputError(`${file}: not a regular file`);
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size > MAX_INPUT_BYTES) throw new InputError(`${file}: ${size} bytes is over the ${MAX_INPUT_BYTES}-byte input limit`);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * Kernel tree mode: read a file the patch names from the tree directory. Patch paths are untrusted:
 * a path that leaves the tree ("../…", absolute) or a file over 8 MB is treated as absent.
 */
export function treeReader(dir: string): (path: string) => string | null {
  const top = resolve(dir);
  try {
    if (!statSync(top).isDirectory()) throw new InputError(`--tree ${dir}: not a directory`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`--tree ${dir}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return (p: string) => {
    const full = resolve(top, p);
    if (!full.startsWith(top + sep)) return null;
    try {
      const st = statSync(full);
      if (!st.isFile() || st.size > 8 * 1024 * 1024) return null;
      return readFileSync(full, 'utf8');
    } catch {
      return null;
    }
  };
}

/** --api-table <file.json>: user entries that extend the built-in API table (validated by the core). */
function readApiTable(a: Args): unknown {
  const f = a.options.get('api-table');
  if (typeof f !== 'string') return undefined;
  const text = readInput(f);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${f}: not JSON (${(e as Error).message})`);
  }
}

function out(s: string): void {
  process.stdout.write(s.endsWith('\n') ? s : s + '\n');
}

/** JSON output: never a raw control or bidi character (see safe.ts). */
function outJson(v: unknown): void {
  out(safeJson(JSON.stringify(v, null, 2)));
}

/** Text output: unsafe characters shown as visible escapes. */
function outText(s: string): void {
  out(safeText(s));
}

async function cmdCheck(a: Args): Promise<number> {
  const format = oneOf(optString(a, 'format', 'text'), ['text', 'json', 'sarif', 'b4'] as const, '--format');
  const range = a.options.get('git');
  if (a.positional.length === 0 && format === 'b4' && typeof range !== 'string') a.positional.push('-');
  if (a.positional.length === 0 && typeof range !== 'string') throw new UsageError('check needs at least one file (or - for stdin), or --git <range>');
  // --timings: where the run's time went, as one JSON line on stderr (ms since the process started).
  const marks: [string, number][] = [['start', performance.now()]];
  const mark = (phase: string) => marks.push([phase, performance.now()]);
  await initTreeSitter(wasmDir);
  mark('init');
  const disabled = optString(a, 'disable', '').split(',').map((s) => s.trim()).filter(Boolean);
  const tree = a.options.get('tree');
  const base = a.options.get('base');
  // --tree: a git repository (exact pre-images from the index blobs) or a plain directory.
  let repo: GitRepo | null = null;
  if (typeof range === 'string') {
    const dir = typeof tree === 'string' ? tree : '.';
    repo = openRepo(dir);
    if (!repo) throw new InputError(`--git needs a git repository: ${dir} is not one (use --tree <repo>)`);
  } else if (typeof tree === 'string') repo = openRepo(tree);
  if (typeof base === 'string' && !repo) throw new InputError('--base needs --tree <git repository>');
  const treeFile = typeof tree === 'string' && !repo ? treeReader(tree) : undefined;
  const apiTable = readApiTable(a);
  const reports: CheckReport[] = [];
  const inputs: { name: string; text: string; extra?: { range: string; commits: { commit: string; subject: string }[]; problems: CheckReport['problems'] } }[] = [];
  if (typeof range === 'string' && repo) {
    const r = rangeSeries(repo, range);
    if ('error' in r) throw new InputError(r.error);
    inputs.push({ name: `git:${range}`, text: r.text, extra: { range, commits: r.commits, problems: r.problems } });
  }
  for (const file of a.positional) inputs.push({ name: file, text: readInput(file) });
  mark('read');
  const parsedAll = inputs.map((inp) => parseInput(inp.text, inp.name));
  mark('mail');
  // One git lookup for every input of the run (blobs and base paths of all of them at once).
  const resolvedAll = repo
    ? resolveAllPreImages(repo, inputs.map((inp, i) => ({ parsed: parsedAll[i], text: inp.text })), { base: typeof base === 'string' ? base : undefined, path: typeof tree === 'string' ? tree : '.' })
    : null;
  mark('git');
  const inner: Record<string, number> = {};
  // The same options for every input, in this thread or a worker (which reads the tree directory itself).
  const common: PoolOptions = {
    wasmDir, traces: a.options.has('traces'), disabledChecks: disabled, apiTable,
    maxPathsPerFunction: optInt(a, 'max-paths'), loopUnroll: optInt(a, 'loop-unroll'), timings: a.options.has('timings'),
  };
  // Several inputs: a pool of worker threads (--jobs N; 1 = in this thread), merged in input order.
  const workers = poolSize(inputs.length, optInt(a, 'jobs'));
  const pooled = workers > 1
    ? await runPool(__filename, inputs.map((inp, i): Job => ({ name: inp.name, text: inp.text, preImages: resolvedAll?.[i]?.preImages })), workers,
      common, treeFile ? (tree as string) : undefined, inner)
    : null;
  if (pooled) inner.workers = workers;
  inputs.forEach((inp, i) => {
    const g = resolvedAll ? resolvedAll[i] : null;
    const r = pooled ? pooled[i] : checkParsed(parsedAll[i], checkOptions(common, treeFile, g?.preImages, inner));
    if (g) {
      r.problems.unshift(...(inp.extra?.problems ?? []), ...g.problems);
      r.inputs[0].tree = { ...g.tree, ...(inp.extra ? { range: inp.extra.range, commits: inp.extra.commits } : {}) };
    }
    reports.push(r);
  });
  mark('check');
  const report = reports.length === 1 ? reports[0] : mergeReports(reports);
  if (format === 'json') outJson(report);
  else if (format === 'sarif') outJson(toSarif(report));
  else if (format === 'b4') outJson(toB4(report));
  else outText(renderCheck(report));
  mark('output');
  if (a.options.has('timings')) {
    const phases: Record<string, number> = { startup: Math.round(marks[0][1] * 10) / 10 };
    for (let i = 1; i < marks.length; i++) phases[marks[i][0]] = Math.round((marks[i][1] - marks[i - 1][1]) * 10) / 10;
    const within = Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, Math.round(v * 10) / 10]));
    process.stderr.write(`${JSON.stringify({ timings: phases, check: within })}\n`);
  }
  return report.findings.some((f) => f.status === 'introduced' && f.severity === 'error') ? 1 : 0;
}

function cmdParse(a: Args): number {
  if (a.positional.length !== 1) throw new UsageError('parse needs exactly one file');
  oneOf(optString(a, 'format', 'json'), ['json'] as const, '--format');
  const file = a.positional[0];
  outJson(toParseJson(parseInput(readInput(file), file)));
  return 0;
}

async function cmdPaths(a: Args): Promise<number> {
  if (a.positional.length !== 1) throw new UsageError('paths needs exactly one file');
  const name = a.options.get('function');
  if (typeof name !== 'string') throw new UsageError('paths needs --function <name>');
  const side = oneOf(optString(a, 'side', 'post'), ['pre', 'post'] as const, '--side');
  const format = oneOf(optString(a, 'format', 'text'), ['text', 'json'] as const, '--format');
  await initTreeSitter(wasmDir);
  const file = a.positional[0];
  const parsed = parseInput(readInput(file), file);
  const fns: FunctionAnalysis[] = [];
  const tree = a.options.get('tree');
  const treeFile = typeof tree === 'string' ? treeReader(tree) : undefined;
  const pathOpts = { maxPaths: optInt(a, 'max-paths'), loopUnroll: optInt(a, 'loop-unroll') };
  for (const m of parsed.messages) for (const f of m.files) {
    const p = f.oldPath ?? f.newPath;
    const text = treeFile && p ? treeFile(p) : null;
    const got = text != null ? analyzeWithTree(f, text, side, pathOpts).functions : analyzeFileDiff(f, side, pathOpts);
    for (const fn of got) if (fn.name === name) fns.push(fn);
  }
  if (fns.length === 0) {
    process.stderr.write(safeText(`lockstep: no changed function named ${name} on the ${side} side of ${file}\n`));
    return 2;
  }
  if (format === 'json') outJson({ functions: fns, problems: parsed.problems });
  else outText(renderPathsText(fns));
  return 0;
}

function cmdScenario(a: Args): number {
  const format = oneOf(optString(a, 'format', 'text'), ['text', 'json'] as const, '--format');
  if (a.options.has('list')) {
    const list = scenarioList();
    if (format === 'json') outJson(list);
    else outText(list.map((s) => `${s.name.padEnd(32)} ${s.description}`).join('\n'));
    return 0;
  }
  if (a.positional.length !== 1) throw new UsageError('scenario needs a name, or --list');
  const known = scenarioList().map((s) => s.name);
  const name = a.positional[0];
  if (!known.includes(name)) throw new UsageError(`unknown scenario ${name}; known: ${known.join(', ')}`);
  // Times make JSON differ run to run: JSON carries ms only with --timing; text always shows it.
  const r = runScenario(name, {
    tasks: optInt(a, 'tasks'), fixed: a.options.has('fixed'), maxStates: optInt(a, 'max-states'),
    timing: format === 'text' || a.options.has('timing'),
  });
  if (r.bounds.problem) {
    process.stderr.write(`lockstep: ${r.bounds.problem}\n`);
    return 2;
  }
  if (format === 'json') outJson(r);
  else outText(renderScenarioText(r));
  return r.verdict === 'holds' || r.verdict === 'bounded' ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    out(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === '--version') {
    out(VERSION);
    return 0;
  }
  const a = readArgs(rest);
  switch (cmd) {
    case 'check': return cmdCheck(a);
    case 'parse': return cmdParse(a);
    case 'paths': return cmdPaths(a);
    case 'scenario': return cmdScenario(a);
    default: throw new UsageError(`unknown command ${cmd}`);
  }
}

if (isPoolWorker()) void serveJobs(treeReader);
else main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(safeText(`lockstep: ${e.message}\n\n${USAGE}`));
    } else if (e instanceof InputError) {
      process.stderr.write(safeText(`lockstep: ${e.message}\n`));
    } else {
      // A bug in lockstep, not bad input: one line, and the details only when asked.
      const err = e as Error;
      process.stderr.write(`lockstep: internal error: ${err?.message ?? String(e)}\n`);
      if (process.env.LOCKSTEP_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
    }
    process.exitCode = 2;
  },
);
