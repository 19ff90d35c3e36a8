/*
 * The façade the CLI and the extension call: mail text in, a CheckReport (the JSON contract) out.
 * Runs every changed function on both sides of the patch through the simulator, lets each check read
 * the events, and labels each finding introduced / fixed / persists by matching the two sides.
 */
import type {
  CheckOptions, CheckReport, CrossTaskReport, FileDiff, Finding, FunctionAnalysis, FunctionReport, ParsedInput, Path, PathReport,
  PreImageSource, Problem, Related, Severity, Side, SimEvent, Trace,
} from './types';
import { parseInput } from './mail/index';
import { initTreeSitter, analyzeFileDiffReport, analyzeSource, analyzeWithTree, parseStats, splitFunctions } from './c/index';
import { builtinApiTable, loadApiTable, lookupApi, returnContracts, runPath, summarizeFunction, type ApiTable, type FunctionSummary, type PathRun } from './sim/index';
import type { PathOptions } from './cfg/paths';
import { rootOf } from './sim/pathModel';
import { looksLikeSignatureStart, signatureName } from './c/lines';
import { CHECKS } from './checks/index';
import { ESCAPES_TO_CALLEE } from './checks/fromEvents';
import type { RawFinding } from './checks/types';
import { VERSION } from './version';
import { scenarioHints } from './hints';
import { crossTaskChecks } from './cross/index';
import { partialSummaries } from './partialSummaries';
import { bodiesOf, effectfulDefined, effectfulEntry, summaryHasEffect } from './effects';
import { bugsRemoved, patchAssumptions } from './patchIntent';
import { resultWords, stepsToLines } from './checks/words';

const SEV_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Code-unit order: the same on every machine, whatever its locale. */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Bounds that keep a hostile or huge input from running away; every one that is hit is reported. */
export const DEFAULT_LIMITS = { maxMessages: 300, maxFunctions: 600, timeBudgetMs: 60_000 } as const;

interface Grouped {
  raw: RawFinding;
  check: string;
  fn: FunctionAnalysis;
  pathId: string;
  assumptions: string[];
  paths: Set<string>;
  variants: Set<string>;
}

export interface AnalysedFunction {
  fn: FunctionAnalysis;
  /** False when a bound stopped the simulation before every path was run. */
  finished: boolean;
  message: number;
  pathReports: PathReport[];
  groups: Map<string, Grouped>;
  opaque: Set<string>;
}

const TREE_WORDS = {
  'at-base': 'is at the patch\'s base; whole functions were taken from it',
  applied: 'already has the patch applied; whole functions were taken from it',
  conflict: 'does not match the patch (conflict); functions were rebuilt from the hunks alone',
} as const;

/** A recursive function must not use its own summary while it is being summarised or checked. */
function withoutSelf(summaries: Record<string, FunctionSummary>, name: string): Record<string, FunctionSummary> {
  if (!Object.prototype.hasOwnProperty.call(summaries, name)) return summaries;
  const { [name]: _self, ...rest } = summaries;
  return rest;
}

/** Functions a message defines or shows the definition of (signature lines and hunk headings). */
/**
 * Of `names`, those that some code of the message calls by name (`name(`): a body of another
 * function, or a hunk line (a partly shown function's) where the name is not being defined: only
 * type words and stars before it (`static void name(`), as opposed to `name(`, `x = name(`,
 * `return name(`, `if (name(`. Indentation is not trusted: mangled mail loses it.
 */
function calledByOthers(names: Set<string>, bodies: Map<string, string>, files: FileDiff[]): Set<string> {
  const out = new Set<string>();
  if (names.size === 0) return out;
  const call = /\b([A-Za-z_]\w*)\s*\(/g;
  for (const [owner, text] of bodies) {
    for (const m of text.matchAll(call)) if (m[1] !== owner && names.has(m[1])) out.add(m[1]);
  }
  for (const file of files) {
    for (const h of file.hunks) {
      for (const l of h.lines) {
        for (const m of l.text.matchAll(call)) if (names.has(m[1]) && !definesHere(l.text.slice(0, m.index))) out.add(m[1]);
      }
    }
  }
  return out;
}

const NOT_TYPE_WORDS = new Set(['return', 'else', 'do', 'case', 'goto', 'sizeof']);
/** Is this the text before a definition's name: type words and stars only? */
function definesHere(prefix: string): boolean {
  if (!/^\s*(?:[A-Za-z_]\w*[\s*]+)+$/.test(prefix)) return false;
  return !prefix.split(/[\s*]+/).some((w) => NOT_TYPE_WORDS.has(w));
}

function definedNames(msg: ParsedInput['messages'][number]): Set<string> {
  const out = new Set<string>();
  for (const f of msg.files) for (const h of f.hunks) {
    const hn = signatureName(h.section);
    if (hn) out.add(hn);
    for (const l of h.lines) if (looksLikeSignatureStart(l.text)) { const n = signatureName(l.text); if (n) out.add(n); }
  }
  return out;
}

function isSourceFile(p: string | null): boolean {
  return !!p && /\.(c|h)$/.test(p);
}

const PATH_WORDS_MAX = 16;
const PATH_WORDS_HEAD = 4;
const PATH_WORDS_TAIL = 10;

/** The branch conditions of a path in a reviewer's words: "netfs_wb_begin() returns true, then …". */
export function describePath(path: Path): string {
  const parts: string[] = [];
  for (const s of path.steps) {
    if (s.kind !== 'assume') continue;
    if (s.facts.length > 0) {
      for (const f of s.facts) {
        const call = path.steps[f.callStep];
        const callee = call && call.kind === 'call' ? call.call.name : '';
        parts.push(`${callee ? `${callee}()` : 'the call'} ${resultWords(callee, f.relation, f.value)}`);
      }
    } else if (!/^__lockstep_/.test(s.cond)) {
      parts.push(s.value ? `\`${s.cond}\`` : `not \`${s.cond}\``);
    }
  }
  const dedup = parts.filter((p, i) => p !== parts[i - 1]);
  // A long loop's witness can take hundreds of branches: the message keeps how it started and how it
  // ended (the timeline and `lockstep paths` show every step).
  const shown = dedup.length > PATH_WORDS_MAX
    ? [...dedup.slice(0, PATH_WORDS_HEAD), `… ${dedup.length - PATH_WORDS_HEAD - PATH_WORDS_TAIL} more …`, ...dedup.slice(-PATH_WORDS_TAIL)]
    : dedup;
  return shown.length ? ` — path: ${shown.join(', ')}` : '';
}

/** Run all checks over every path and variant of one function. */
/** How many functions of the kernel tree one message's changed functions may have summarised (phase 1b). */
const MAX_TREE_CALLEES = 24;

export function analyseFunction(
  fn: FunctionAnalysis, message: number, disabled: Set<string>, summaries: Record<string, FunctionSummary> = {},
  stop: () => boolean = () => false,
  table?: ApiTable,
): AnalysedFunction {
  const groups = new Map<string, Grouped>();
  const pathReports: PathReport[] = [];
  const opaque = new Set<string>();
  let finished = true;
  const runsOf: { path: Path; runs: PathRun[] }[] = [];
  for (const path of fn.paths) {
    if (stop()) {
      finished = false;
      break;
    }
    runsOf.push({ path, runs: runPath(path, fn, { summaries: withoutSelf(summaries, fn.name), ...(table ? { table } : {}) }) });
  }
  // What this function may return holding, decided over all of its paths (sim/returnContracts.ts).
  const verdict = returnContracts(fn, runsOf.flatMap(({ path, runs }) => runs.map((run) => ({ path, run }))));
  for (const { path, runs: raw } of runsOf) {
    const runs = raw.map((run) => applyReturnContract(run, path, verdict));
    let worst: { sev: Severity; msg: string } | null = null;
    let shown: Trace | null = null;
    let skipped: string | null = null;
    let anyFeasible = false;
    for (const run of runs) {
      if (run.skipped) {
        skipped = run.skipped;
        shown = shown ?? run.trace;
        continue;
      }
      if (!run.feasible) continue;
      anyFeasible = true;
      for (const e of run.events) if (e.kind === 'opaque-call') opaque.add(e.object);
      let pathWorst: RawFinding | null = null;
      for (const check of CHECKS) {
        if (disabled.has(check.id)) continue;
        for (const raw of check.run({ fn, path, variant: run.variant, events: run.events })) {
          const key = `${check.id}|${raw.kind}`;
          const g = groups.get(key);
          if (g) {
            g.paths.add(path.id);
            g.variants.add(run.variant);
            if (SEV_RANK[raw.severity] < SEV_RANK[g.raw.severity]) g.raw = raw;
          } else {
            groups.set(key, {
              raw, check: check.id, fn, pathId: path.id, assumptions: path.assumptions,
              paths: new Set([path.id]), variants: new Set([run.variant]),
            });
          }
          if (!pathWorst || SEV_RANK[raw.severity] < SEV_RANK[pathWorst.severity]) pathWorst = raw;
        }
      }
      if (pathWorst && (!worst || SEV_RANK[pathWorst.severity] < SEV_RANK[worst.sev])) {
        worst = { sev: pathWorst.severity, msg: pathWorst.message };
        shown = markViolation(run.trace, pathWorst, path);
      }
      if (!shown) shown = run.trace;
    }
    pathReports.push({
      id: path.id,
      outcome: worst ? worst.msg : skipped ? `not simulated: ${skipped}` : anyFeasible ? 'ok' : 'infeasible under every entry state',
      severity: worst ? worst.sev : null,
      assumptions: path.assumptions,
      trace: shown ? linesInTrace(shown, path) : emptyTrace(fn, path.id),
    });
  }
  return { fn, finished, message, pathReports, groups, opaque };
}

/**
 * A run with the leaks at returns that are the function's contract taken out (and its trace saying
 * why), and inconsistent ones saying how many paths of their class release the lock. Runs are shared
 * (the runner's memo): a changed run is a copy.
 */
function applyReturnContract(run: PathRun, path: Path, verdict: ReturnType<typeof returnContracts>): PathRun {
  if (!run.feasible || run.skipped || !run.events.some((e) => e.kind === 'leak' && e.atReturn)) return run;
  const events: SimEvent[] = [];
  const covered: { e: SimEvent; why: string }[] = [];
  for (const e of run.events) {
    const v = verdict({ path, run }, e);
    if (v?.kind === 'contract') covered.push({ e, why: v.why });
    else if (v?.kind === 'split') events.push({ ...e, onlyIf: `${v.held} of the ${v.total} paths returning it that take it return it held too: whether the returned object is locked depends on the path (an argument or flag may decide), so no contract is inferred` });
    else if (v?.kind === 'inconsistent') events.push({ ...e, message: `${e.message}; ${v.released} of the ${v.total} paths returning ${run.returnClass === 'unknown' ? 'the same way' : run.returnClass} that take it release it (inconsistent returns)` });
    else events.push(e);
  }
  if (covered.length === 0 && events.every((e, i) => e === run.events[i])) return run;
  const isBad = (e: SimEvent) => e.kind === 'violation' || e.kind === 'leak' || e.kind === 'dropped-dirty';
  const bad = events.some(isBad);
  // A trace step's violation is the messages of its events (runPath): at a step that lost an event it
  // is rebuilt from the runner's events that remain there.
  const gone = new Set(covered.map((c) => c.e));
  const changed = new Set(covered.map((c) => c.e.step));
  const steps = run.trace.steps.map((t) => {
    if (!t.violation || t.pathStep === undefined || !changed.has(t.pathStep)) return t;
    const rest = run.events.filter((e) => !gone.has(e) && e.step === t.pathStep && (isBad(e) || e.kind === 'ignored-result')).map((e) => e.message);
    const { violation: _v, ...plain } = t;
    return rest.length ? { ...t, violation: rest.join('; ') } : plain;
  });
  const note = covered.map((c) => `${c.e.object} (${c.e.resource}): ${c.why}`).join('; ');
  const trace: Trace = {
    ...run.trace,
    steps,
    verdict: bad ? run.trace.verdict : run.trace.verdict === 'violation' ? 'ok' : run.trace.verdict,
    summary: bad ? events.find(isBad)!.message : run.trace.verdict === 'violation' ? `ok: returns with ${note}` : run.trace.summary,
  };
  return { ...run, events, trace };
}

function markViolation(trace: Trace, raw: RawFinding, path: Path): Trace {
  // The runner's trace has one step per path step it showed; make sure the finding's step is marked.
  if (trace.steps.some((s) => s.violation)) return trace;
  const steps = trace.steps.map((s) => ({ ...s }));
  const line = path.steps[raw.step]?.ref.inputLine ?? null;
  let idx = steps.findIndex((s) => s.pathStep === raw.step);
  if (idx < 0 && line != null) idx = steps.findIndex((s) => s.location?.inputLine === line);
  const at = idx >= 0 ? idx : steps.length - 1;
  if (at >= 0) steps[at] = { ...steps[at], violation: raw.message };
  return { ...trace, steps, verdict: 'violation', summary: raw.message };
}

/** Users read source lines, not step numbers: rewrite "at step N" in the trace's texts. */
function linesInTrace(trace: Trace, path: Path): Trace {
  const fix = (m: string) => stepsToLines(m, path.steps, 'keep');
  return {
    ...trace,
    summary: fix(trace.summary),
    steps: trace.steps.map((s) => (s.violation ? { ...s, violation: fix(s.violation) } : s)),
  };
}

function emptyTrace(fn: FunctionAnalysis, pathId: string): Trace {
  return { title: `${fn.name} ${pathId}`, tasks: ['caller'], steps: [], verdict: 'unknown', summary: 'no steps' };
}

function toFinding(g: Grouped, status: Finding['status'], inputFile: string): Finding {
  const path = g.fn.paths.find((p) => p.id === g.pathId);
  const step = path?.steps[g.raw.step];
  const related: Related[] = g.raw.related.map((r) => {
    const s = path?.steps[r.step];
    return {
      message: r.message,
      line: s?.ref.sourceLine ?? null,
      input: { file: inputFile, line: s?.ref.inputLine ?? null },
    };
  });
  const more = g.paths.size > 1 ? ` (${g.paths.size} paths)` : '';
  const prefix = status === 'fixed' ? 'fixed by this patch: ' : '';
  return {
    check: g.check,
    severity: status === 'fixed' ? 'info' : g.raw.severity,
    status,
    file: g.fn.file,
    function: g.fn.name,
    line: step?.ref.sourceLine ?? null,
    input: { file: inputFile, line: step?.ref.inputLine ?? null },
    message: `${prefix}${g.raw.message}${path ? describePath(path) : ''}${more}`,
    side: g.fn.side,
    path: g.pathId,
    rule: g.raw.rule,
    related,
  };
}

function fnReport(a: AnalysedFunction, withTraces: boolean): FunctionReport {
  const f = a.fn;
  const r: FunctionReport = {
    name: f.name, file: f.file, side: f.side, complete: f.complete, paths: f.paths.length,
    states: f.states ?? 0, truncated: f.truncated, inputLine: f.inputLine ?? null, startLine: f.startLine,
    notAnalysed: f.notAnalysed, partialReasons: f.partialReasons, message: a.message,
  };
  if (withTraces) r.pathReports = a.pathReports;
  return r;
}

/** Check an already parsed input. */
export function checkParsed(parsed: ParsedInput, opts: CheckOptions): CheckReport {
  const disabled = new Set(opts.disabledChecks ?? []);
  const problems: Problem[] = [...parsed.problems];
  const functions: FunctionReport[] = [];
  const findings: Finding[] = [];
  const opaqueCallees: Record<string, string[]> = {};
  const crossTask: CrossTaskReport[] = [];
  /** Tree mode: where each function's text came from (functions[].source). */
  const sourceOf = new Map<FunctionAnalysis, PreImageSource>();
  // The API table: built in, extended by the user's entries (workspace JSON or settings) when given.
  let table: ApiTable | undefined;
  if (opts.apiTable !== undefined && opts.apiTable !== null) {
    const loaded = loadApiTable(opts.apiTable);
    table = loaded.table;
    for (const p of loaded.problems) problems.push({ kind: 'api-table', ...p, message: `API table extension: ${p.message}` });
  }
  // The path search splits states only on what the simulator models: calls in the API table and the
  // functions the message itself defines (they get summaries); everything else merges.
  const apiTab = table ?? builtinApiTable();
  let defined = new Set<string>();
  let allDefined = new Set<string>();
  /**
   * The defined names some other function of the message (or of its tree file) calls: only these
   * need a summary, for their call sites. A summary walks every path again, so the others skip it.
   */
  let called = new Set<string>();
  // Summaries made as the functions are walked, callees first (c/analyze.ts): per side, by function
  // and by name (the first definition of a name wins, as in summarizeAll).
  const early = { pre: new Map<FunctionAnalysis, FunctionSummary | null>(), post: new Map<FunctionAnalysis, FunctionSummary | null>() };
  const earlyByName = { pre: new Map<string, FunctionSummary | null>(), post: new Map<string, FunctionSummary | null>() };
  const sumOpts = table ? { table } : {};
  // A neutral entry (a query such as folio_size(), a trace point) is known but changes nothing: it
  // does not split states either; nor does a defined function whose summary says it changes nothing
  // the caller holds (a trace, debug or arithmetic helper).
  // Resources whose net effect on a per-iteration object folds a loop iteration (cfg/paths.ts
  // projectIteration); the writeback lock, iteration state, requests and counters keep their tokens.
  const FOLDABLE = new Set(['folio-lock', 'refcount', 'folio-cleared', 'writeback-bit', 'mutex', 'spinlock', 'rwsem', 'bit-lock', 'rcu']);
  const pathOptsOf = (side: Side): PathOptions => ({
    maxPaths: opts.maxPathsPerFunction,
    loopUnroll: opts.loopUnroll,
    relevantCall: (name: string, args: string[], resourceRoots?: Set<string>): boolean => {
      const entry = lookupApi(apiTab, name, args);
      if (effectfulEntry(entry)) return true;
      const s = defined.has(name) ? earlyByName[side].get(name) : undefined;
      if (defined.has(name) && (s === undefined || s === null || summaryHasEffect(s))) return true;
      if (!resourceRoots) return false;
      const about = (a: string | undefined) => resourceRoots.has(rootOf(a ?? '') ?? '');
      // A helper that only keeps an argument somewhere, or a call with no model at all, hands the
      // objects it is given to the unknown (the runner's opaque-call): it splits states when one of
      // them is an object the function's modelled calls are about.
      if (s) return (s.escapes ?? []).some((i) => about(args[i]));
      return entry === null && !allDefined.has(name) ? args.some(about) : false;
    },
    escapeRoots: (name: string, args: string[], assignTo: string | null): string[] | null => {
      const s = defined.has(name) ? earlyByName[side].get(name) : undefined;
      if (defined.has(name) && !s) return null; // not summarised: it may do anything to anything
      const out: string[] = [];
      const add = (obj: number | 'result' | 'held') => {
        const x = obj === 'result' ? assignTo : typeof obj === 'number' ? args[obj] : null;
        if (x) out.push(x);
      };
      for (const op of lookupApi(apiTab, name, args)?.ops ?? []) if (ESCAPES_TO_CALLEE.has(op.resource)) add(op.obj);
      if (s) {
        if (s.takesFolioLock) return null;
        for (const effs of Object.values(s.byClass)) for (const e of effs ?? []) if (ESCAPES_TO_CALLEE.has(e.resource)) add(e.obj);
      }
      return out;
    },
    // An ERR_PTR-returning function of the table never returns NULL (include/linux/err.h convention).
    resultNeverNull: (name: string, args: string[]): boolean => !allDefined.has(name) && lookupApi(apiTab, name, args)?.domain === 'err-pointer',
    effectOf: (name: string, args: string[], assignTo: string | null): { expr: string; op: string }[] | null => {
      // A function the message defines is summarised per return class: kept as it is.
      if (allDefined.has(name)) return null;
      const entry = lookupApi(apiTab, name, args);
      const out: { expr: string; op: string }[] = [];
      // The result names a new object from here on.
      if (assignTo) out.push({ expr: assignTo, op: '=' });
      // No model: whatever it is handed escapes to it (the checks then leave that object alone).
      if (!entry) return [...out, ...args.map((a) => ({ expr: a, op: 'o' }))];
      if (entry.indexArg !== undefined) return null;
      for (const op of entry.ops) {
        if (op.obj === 'held' || op.guard || !FOLDABLE.has(op.resource)) return null;
        const expr = op.obj === 'result' ? assignTo : args[op.obj];
        if (!expr) return null;
        switch (op.kind) {
          case 'acquire': out.push({ expr, op: `${op.when ? '?' : ''}+${op.resource}` }); break;
          case 'release': out.push({ expr, op: op.when ? `?-${op.resource}` : `-${op.resource}` }); break;
          case 'mark': out.push({ expr, op: `m+${op.resource}` }); break;
          case 'unmark': out.push({ expr, op: `m-${op.resource}` }); break;
          case 'handoff': out.push({ expr, op: `h${op.resource}` }); break;
          default: break; // assertions change nothing
        }
      }
      return out;
    },
    afterFunction: (fn: FunctionAnalysis) => {
      if (early[side].has(fn) || !called.has(fn.name)) return;
      const s = summarizeFunction(fn, sumOpts);
      early[side].set(fn, s);
      if (!earlyByName[side].has(fn.name)) earlyByName[side].set(fn.name, s);
    },
  });
  const pathOpts = { pre: pathOptsOf('pre'), post: pathOptsOf('post') };

  // For "introduced here, fixed later in the series": the key and message index of each finding.
  const keyed: { f: Finding; key: string; message: number }[] = [];
  const maxMessages = opts.maxMessages ?? DEFAULT_LIMITS.maxMessages;
  const maxFunctions = opts.maxFunctions ?? DEFAULT_LIMITS.maxFunctions;
  const budgetMs = opts.timeBudgetMs ?? DEFAULT_LIMITS.timeBudgetMs;
  const t0 = Date.now();
  let stopped: string | null = null;
  let fnCount = 0;
  /** Polled between files, functions and paths: the reason to stop, or null. */
  const mustStop = (where: string): string | null => {
    if (stopped) return stopped;
    let cancelled = false;
    try {
      cancelled = !!opts.isCancelled?.();
    } catch {
      cancelled = true;
    }
    if (cancelled) stopped = `analysis cancelled at ${where}; the results are partial`;
    else if (Date.now() - t0 > budgetMs) stopped = `the time budget of ${budgetMs} ms ran out at ${where}; what follows was not analysed`;
    return stopped;
  };
  const tm = opts.timings;
  let tPhase = tm ? performance.now() : 0;
  const parse0 = parseStats.ms;
  /** Adds the time since the last lap to `phase` (only when timings are asked for). */
  const lap = (phase: string) => {
    if (!tm) return;
    const now = performance.now();
    tm[phase] = (tm[phase] ?? 0) + (now - tPhase);
    tPhase = now;
  };
  let hints: CheckReport['scenarios'] | undefined;
  parsed.messages.forEach((msg, mi) => {
    if (stopped) return;
    lap('other');
    if (mi >= maxMessages) {
      stopped = `only the first ${maxMessages} messages were analysed (lockstep.maxMessages); ${parsed.messages.length - maxMessages} were not`;
      return;
    }
    // An older version of a patch also present in its newer form, or a reply's copy of a patch the
    // input carries itself: the newest wins, so the same code is not reported twice.
    if (msg.superseded) return;
    // The kernel tree's text of each source file, read once (a file the tree cannot give is null).
    const treeTexts = msg.files.map((file, fi): string | null => {
      if (!isSourceFile(file.newPath) && !isSourceFile(file.oldPath)) return null;
      const treePath = file.oldPath ?? file.newPath;
      const given = opts.preImages?.[mi]?.[fi];
      if (given) return given.text;
      try {
        const files = opts.treeFiles;
        return !treePath ? null
          : opts.treeFile ? opts.treeFile(treePath)
          : files && Object.prototype.hasOwnProperty.call(files, treePath) ? files[treePath] : null;
      } catch (e) {
        problems.push({ input: parsed.file, line: file.inputLine, kind: 'tree-read', message: `${treePath}: the kernel tree could not be read (${(e as Error)?.message ?? e}); the hunks alone were used` });
        return null;
      }
    });
    // Functions the message defines split path states only when their bodies can change modelled
    // state (effects.ts); a defined trace or arithmetic helper merges like any unmodelled call.
    allDefined = definedNames(msg);
    const bodies = new Map<string, string>();
    msg.files.forEach((file, fi) => {
      if (isSourceFile(file.newPath) || isSourceFile(file.oldPath)) bodiesOf(file, treeTexts[fi] ?? null, bodies);
    });
    defined = effectfulDefined(allDefined, bodies, apiTab);
    called = calledByOthers(allDefined, bodies, msg.files);
    for (const side of ['pre', 'post'] as const) earlyByName[side].clear();
    // Phase 1: rebuild every changed function of the message, both sides (from the tree when given).
    const perFile: { pre: FunctionAnalysis[]; post: FunctionAnalysis[] }[] = [];
    for (const [fi, file] of msg.files.entries()) {
      if (stopped) break;
      if (!isSourceFile(file.newPath) && !isSourceFile(file.oldPath)) continue;
      if (mustStop(`${file.newPath ?? file.oldPath} in message ${mi + 1}`)) break;
      if (fnCount >= maxFunctions) {
        stopped = `the function limit (${maxFunctions}) was reached at ${file.newPath ?? file.oldPath} in message ${mi + 1}; later files were not analysed`;
        break;
      }
      const entry = { pre: [] as FunctionAnalysis[], post: [] as FunctionAnalysis[] };
      const treePath = file.oldPath ?? file.newPath;
      const treeText = treeTexts[fi] ?? null;
      const given = opts.preImages?.[mi]?.[fi];
      for (const side of ['pre', 'post'] as const) {
        let fns: FunctionAnalysis[];
        if (treeText != null) {
          const t = analyzeWithTree(file, treeText, side, pathOpts[side]);
          fns = t.functions;
          for (const p of t.problems) problems.push({ input: parsed.file, ...p });
          const src: PreImageSource = t.treeState === 'conflict' ? 'hunks' : given ? given.source : 'worktree';
          for (const fn of fns) sourceOf.set(fn, src);
          if (side === 'post' && !given) {
            problems.push({ input: parsed.file, line: file.inputLine, kind: 'tree-state', message: `${treePath}: the kernel tree ${TREE_WORDS[t.treeState]}` });
          }
        } else {
          // File-level problems (a hunk whose enclosing function the patch does not name) are
          // reported even when no function of the file could be rebuilt.
          const d = analyzeFileDiffReport(file, side, pathOpts[side]);
          fns = d.functions;
          for (const p of d.problems) if (!problems.some((q) => q.message === p.message && q.line === p.line)) problems.push({ input: parsed.file, ...p });
          if (given || opts.treeFile || opts.treeFiles) for (const fn of fns) sourceOf.set(fn, 'hunks');
        }
        if (fnCount + fns.length > maxFunctions) {
          const keep = Math.max(0, maxFunctions - fnCount);
          stopped = `the function limit (${maxFunctions}) was reached in ${file.newPath ?? file.oldPath} (message ${mi + 1}): ${fns.length - keep} of its functions on the ${side} side and everything after were not analysed`;
          fns = fns.slice(0, keep);
        }
        fnCount += fns.length;
        for (const fn of fns) {
          for (const p of fn.problems) problems.push({ input: parsed.file, ...p });
          if (fn.notAnalysed) {
            problems.push({ input: parsed.file, line: fn.inputLine ?? undefined, kind: 'not-analysed', message: `${fn.name} (${side}): not analysed: ${fn.notAnalysed}` });
          }
        }
        entry[side] = fns;
      }
      perFile.push(entry);
    }
    lap('c');
    // Phase 1b: functions of the kernel tree that the changed functions call and the patch does not
    // touch are summarised too (the same on both sides), so a callee that unlocks or puts what it is
    // given is not opaque. One level, a bounded number, the message's own definitions and the API
    // table first.
    const treeSums: Record<string, FunctionSummary> = {};
    if (treeTexts.some((t) => t != null)) {
      const called = new Set<string>();
      for (const e of perFile) for (const fn of [...e.pre, ...e.post]) for (const c of fn.callees) called.add(c);
      let budget = MAX_TREE_CALLEES;
      for (const [fi, file] of msg.files.entries()) {
        const text = treeTexts[fi];
        if (text == null || budget <= 0 || !isSourceFile(file.oldPath ?? file.newPath)) continue;
        if (mustStop(`tree callees of ${file.newPath ?? file.oldPath}`)) break;
        const names = splitFunctions(text).map((f) => f.name)
          .filter((n) => called.has(n) && !allDefined.has(n) && !Object.prototype.hasOwnProperty.call(treeSums, n) && lookupApi(apiTab, n, []) === null);
        const pick = [...new Set(names)].slice(0, budget);
        if (!pick.length) continue;
        budget -= pick.length;
        const opts = { ...pathOpts.pre, afterFunction: undefined, functions: pick };
        for (const fn of analyzeSource(text, file.oldPath ?? file.newPath ?? '', 'pre', opts)) {
          if (fn.notAnalysed || fn.truncated || Object.prototype.hasOwnProperty.call(treeSums, fn.name)) continue;
          const sum = summarizeFunction(fn, sumOpts);
          if (sum) treeSums[fn.name] = sum;
        }
      }
    }
    lap('tree-callees');
    // Phase 2: summaries of the functions this message defines, per side, for their call sites.
    const summaries = { pre: {} as Record<string, FunctionSummary>, post: {} as Record<string, FunctionSummary> };
    for (const side of ['pre', 'post'] as const) {
      const fns = perFile.flatMap((e) => e[side]);
      const full: Record<string, FunctionSummary> = {};
      const needed = fns.filter((fn) => called.has(fn.name));
      for (const fn of needed) {
        if (Object.prototype.hasOwnProperty.call(full, fn.name)) continue;
        const sum = early[side].has(fn) ? early[side].get(fn)! : summarizeFunction(fn, sumOpts);
        if (sum) full[fn.name] = sum;
      }
      summaries[side] = { ...treeSums, ...partialSummaries(needed, full, table), ...full };
    }
    lap('summaries');
    // Phase 4 (below): the protocol pairs the message defines, run against each other.
    const cross = {
      pre: crossTaskChecks(perFile.flatMap((e) => e.pre), 'pre').filter((c) => !disabled.has(c.check)),
      post: crossTaskChecks(perFile.flatMap((e) => e.post), 'post').filter((c) => !disabled.has(c.check)),
    };
    lap('cross');
    // Phase 3: simulate every path, run the checks, label the findings.
    for (const entry of perFile) {
      // What the patch's added releases say is held (patchIntent.ts), for both sides alike.
      for (const post of entry.post) {
        const pre = entry.pre.find((p) => p.name === post.name);
        if (!pre) continue;
        const assumed = patchAssumptions(pre, post, apiTab, allDefined);
        if (assumed.length) pre.assumedHeld = post.assumedHeld = assumed;
        const bugs = bugsRemoved(pre, post);
        if (bugs.length) pre.bugsRemoved = bugs;
      }
      const sides: Record<Side, AnalysedFunction[]> = { pre: [], post: [] };
      for (const side of ['pre', 'post'] as const) {
        for (const fn of entry[side]) {
          if (mustStop(`${fn.name} (${side})`)) break;
          const a = analyseFunction(fn, mi, disabled, summaries[side], () => mustStop(`${fn.name} (${side})`) !== null, table);
          sides[side].push(a);
          const report = fnReport(a, !!opts.traces);
          const src = sourceOf.get(fn);
          functions.push(src ? { ...report, source: src } : report);
          if (a.opaque.size) {
            opaqueCallees[fn.name] = [...new Set([...(opaqueCallees[fn.name] ?? []), ...a.opaque])].sort();
          }
        }
      }
      for (const post of sides.post) {
        const pre = sides.pre.find((p) => p.fn.name === post.fn.name);
        for (const [key, g] of post.groups) {
          const f = toFinding(g, pre && pre.groups.has(key) ? 'persists' : 'introduced', parsed.file);
          findings.push(f);
          keyed.push({ f, key: `${post.fn.name}|${key}`, message: mi });
        }
      }
      for (const pre of sides.pre) {
        const post = sides.post.find((p) => p.fn.name === pre.fn.name);
        // Only a fully simulated post side can prove that something went away.
        if (post && !post.finished) continue;
        for (const [key, g] of pre.groups) {
          if (!post || !post.groups.has(key)) {
            const f = toFinding(g, 'fixed', parsed.file);
            findings.push(f);
            keyed.push({ f, key: `${pre.fn.name}|${key}`, message: mi });
          }
        }
      }
    }
    lap('simulate');
    for (const side of ['post', 'pre'] as const) {
      for (const c of cross[side]) {
        crossTask.push({
          title: c.title, check: c.check, side, message: mi, functions: c.functions, verdict: c.verdict,
          summary: c.notExplored ? `not explored: ${c.notExplored}` : c.trace.summary,
          states: c.states, transitions: c.transitions, notExplored: c.notExplored,
          ...(opts.traces ? { trace: c.trace } : {}),
        });
        if (c.verdict === 'holds' || c.notExplored || !c.anchor) continue;
        const other = cross[side === 'post' ? 'pre' : 'post'].find((o) => o.title === c.title && o.verdict !== 'holds' && !o.notExplored);
        if (side === 'pre' && other) continue; // reported once, as persists, from the post side
        const status: Finding['status'] = side === 'pre' ? 'fixed' : other ? 'persists' : 'introduced';
        const f: Finding = {
          check: c.check, severity: status === 'fixed' ? 'info' : c.severity, status,
          file: c.anchor.fn.file, function: c.anchor.fn.name, line: c.anchor.ref.sourceLine,
          input: { file: parsed.file, line: c.anchor.ref.inputLine },
          message: `${status === 'fixed' ? 'fixed by this patch: ' : ''}${c.title}: ${c.message ?? c.verdict}; ` +
            `interleaving: ${c.interleaving.join(', ')} ` +
            `(explorer: ${c.states} states)`,
          side, path: null, rule: c.rule,
          related: c.related.map((r) => ({ message: r.message, line: r.ref.sourceLine, input: { file: parsed.file, line: r.ref.inputLine } })),
        };
        findings.push(f);
      }
    }
    if (opts.onProgress && msg.files.length > 0 && mi + 1 < parsed.messages.length && !stopped) {
      const t = tm ? performance.now() : 0;
      const left = parsed.messages.length - mi - 1;
      opts.onProgress(mi + 1, parsed.messages.length, () => assemble([...problems, { input: parsed.file, kind: 'in-progress', message: `analysis in progress: ${mi + 1} of ${parsed.messages.length} messages analysed, ${left} to come` }], true));
      if (tm) tPhase += performance.now() - t;
    }
  });

  /** The report from what has been found so far (a copy when `copy`: the analysis goes on). */
  function assemble(probs: Problem[], copy: boolean): CheckReport {
    const fs = copy ? findings.map((f) => ({ ...f })) : findings;
    fs.sort((a, b) =>
      (a.input.line ?? 0) - (b.input.line ?? 0) || cmp(a.check, b.check) || cmp(a.message, b.message));
    return {
      tool: 'lockstep',
      version: VERSION,
      inputs: [{
        file: parsed.file,
        format: parsed.format,
        patches: parsed.messages.filter((m) => m.files.length > 0).length,
      }],
      functions: copy ? [...functions] : functions,
      findings: fs,
      problems: probs,
      opaqueCallees: copy ? Object.fromEntries(Object.entries(opaqueCallees).map(([k, v]) => [k, [...v]])) : opaqueCallees,
      crossTask: copy ? [...crossTask] : crossTask,
      scenarios: (hints ??= scenarioHints(parsed.messages).map((h) => ({ input: parsed.file, ...h }))).map((h) => ({ ...h })),
    };
  }

  lap('other');
  if (tm) tm['c.parse'] = (tm['c.parse'] ?? 0) + (parseStats.ms - parse0);
  if (stopped) problems.push({ input: parsed.file, kind: 'limit', message: stopped });
  for (const k of keyed) {
    if (k.f.status !== 'introduced') continue;
    const later = keyed.find((o) => o.f.status === 'fixed' && o.key === k.key && o.message > k.message);
    if (later) {
      const m = parsed.messages[later.message];
      const label = m.index != null ? `patch ${m.index}${m.total != null ? `/${m.total}` : ''}` : `message ${later.message + 1}`;
      k.f.fixedLater = { message: later.message, subject: m.subject };
      k.f.message += ` (fixed later in this series by ${label}: "${m.subject}")`;
    }
  }
  return assemble(problems, false);
}

/** Parse and check one input text. */
export async function checkText(text: string, fileName: string, opts: CheckOptions): Promise<CheckReport> {
  await initTreeSitter(opts.wasmDir);
  return checkParsed(parseInput(text, fileName), opts);
}

/** Merge the reports of several inputs into one (the CLI's `check a b c`). */
export function mergeReports(reports: CheckReport[]): CheckReport {
  const out: CheckReport = { tool: 'lockstep', version: VERSION, inputs: [], functions: [], findings: [], problems: [], opaqueCallees: {}, crossTask: [], scenarios: [] };
  for (const r of reports) {
    out.inputs.push(...r.inputs);
    out.functions.push(...r.functions);
    out.findings.push(...r.findings);
    out.problems.push(...r.problems);
    out.scenarios.push(...r.scenarios);
    out.crossTask.push(...r.crossTask);
    for (const [k, v] of Object.entries(r.opaqueCallees)) out.opaqueCallees[k] = [...new Set([...(out.opaqueCallees[k] ?? []), ...v])].sort();
  }
  return out;
}
