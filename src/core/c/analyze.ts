/*
 * From C text (a whole file, or a function rebuilt from hunks) to FunctionAnalysis: parse, check
 * the parse-error budget, lower to IR, build the CFG, enumerate paths.
 */
import type { FileDiff, FunctionAnalysis, Problem, Side, SrcRef } from '../types';
import { buildCfg, type GapMeta } from '../cfg/graph';
import { enumeratePaths, type PathOptions } from '../cfg/paths';
import { countErrors, errorSpan, type SNode, type SyntaxTree } from './syntax';
import { functionName, functionNodes, lowerFunction } from './lower';
import { parseC, treeSitterError, treeSitterReady } from './treesitter';
import { preprocess } from './preprocess';
import { calledNames, stripCode } from './lines';
import { reconstructFunctions, splitFunctions, type FunctionText } from './reconstruct';

export type { PathOptions };

const DEFAULT_MAX_PARSE_ERRORS = 4;
/** Share of the function's text inside ERROR nodes above which it is not analysed. */
const MAX_ERROR_SHARE = 0.2;

export interface SourceOptions extends PathOptions {
  functions?: string[];
  lineOffset?: number;
  inputLineOf?: (sourceLine: number) => number | null;
}

function emptyAnalysis(name: string, file: string, side: Side, reason: string, extra: Partial<FunctionAnalysis> = {}): FunctionAnalysis {
  return {
    name, file, side, complete: false, partialReasons: [], startLine: 0, endLine: 0, inputLine: 0,
    paths: [], truncated: false, notAnalysed: reason, callees: [], problems: [{ kind: 'not-analysed', message: `${name}: ${reason}` }], ...extra,
  };
}

/** Analyse one function_definition node of a parsed tree. */
function analyseNode(
  tree: SyntaxTree, node: SNode, file: string, side: Side, opts: PathOptions,
  refOf: (row: number) => SrcRef, gapMeta: (id: number) => GapMeta | null, base: Partial<FunctionAnalysis> & { name: string },
  notes: { row: number; message: string }[],
): FunctionAnalysis {
  const budget = opts.maxParseErrors ?? DEFAULT_MAX_PARSE_ERRORS;
  const errs = countErrors(node);
  const problems: Problem[] = [];
  const fa: FunctionAnalysis = {
    name: base.name, file, side, complete: base.complete ?? true, partialReasons: base.partialReasons ?? [],
    startLine: base.startLine ?? refOf(node.startRow).sourceLine ?? 0,
    endLine: base.endLine ?? refOf(node.endRow).sourceLine ?? 0,
    inputLine: base.inputLine ?? refOf(node.startRow).inputLine ?? 0,
    paths: [], truncated: false, notAnalysed: null, callees: [], problems,
  };
  const span = errorSpan(node);
  const share = node.end > node.start ? span / (node.end - node.start) : 0;
  if (errs > budget || share > MAX_ERROR_SHARE) {
    fa.notAnalysed = errs > budget
      ? `${errs} parse errors (budget ${budget}): the C could not be read reliably`
      : `parse errors cover ${Math.round(share * 100)}% of the function: the C could not be read reliably`;
    problems.push({ kind: 'parse-errors', line: fa.inputLine || undefined, message: `${fa.name}: ${fa.notAnalysed}` });
    return fa;
  }
  if (errs > 0) problems.push({ kind: 'parse-errors', line: fa.inputLine || undefined, message: `${fa.name}: ${errs} parse error(s) within budget; affected statements are approximated` });
  try {
    lowerAndEnumerate(tree, node, fa, opts, refOf, gapMeta, notes);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    fa.paths = [];
    fa.notAnalysed = 'the function is nested too deeply to analyse';
    problems.push({ kind: 'too-deep', message: `${fa.name}: ${fa.notAnalysed}` });
  }
  return fa;
}

function lowerAndEnumerate(
  tree: SyntaxTree, node: SNode, fa: FunctionAnalysis, opts: PathOptions,
  refOf: (row: number) => SrcRef, gapMeta: (id: number) => GapMeta | null, notes: { row: number; message: string }[],
): void {
  const problems = fa.problems;
  const ir = lowerFunction(tree, node, fa.name);
  // Parameter names, for inter-procedural summaries (which argument an effect is on).
  fa.params = ir.params;
  fa.paramTypes = ir.paramTypes;
  fa.locals = ir.locals;
  for (const n of [...notes, ...ir.notes]) problems.push({ kind: 'approximated', line: refOf(n.row).inputLine ?? undefined, message: `${fa.name}: ${n.message}` });
  const cfg = buildCfg(ir, refOf, gapMeta);
  const res = enumeratePaths(cfg, opts);
  fa.paths = res.paths;
  fa.truncated = res.truncated;
  fa.states = res.states;
  fa.callees = cfg.callees;
  // Every call site and every whole variable assigned, once (patchIntent.ts compares the two sides).
  fa.callSites = [];
  const assigned = new Set<string>();
  for (const n of cfg.nodes) {
    if (n.k === 'call') fa.callSites.push(n.step);
    const lhs = n.k === 'assign' ? n.step.lhs : n.k === 'call' ? n.step.assignTo : null;
    if (lhs && /^\s*[A-Za-z_]\w*\s*$/.test(lhs)) assigned.add(lhs.trim());
  }
  fa.assignedNames = [...assigned];
  for (const p of res.problems) problems.push({ ...p, message: `${fa.name}: ${p.message}` });
}

/** Whole C text (tree mode and tests): every function definition, or only those named. */
export function analyzeSource(text: string, file: string, side: Side, opts: SourceOptions = {}): FunctionAnalysis[] {
  if (!treeSitterReady()) return [emptyAnalysis('*', file, side, treeSitterError())];
  const off = opts.lineOffset ?? 0;
  const mapRef = (r: SrcRef | null): SrcRef | null =>
    r === null ? null : { sourceLine: r.sourceLine, inputLine: r.sourceLine !== null && opts.inputLineOf ? opts.inputLineOf(r.sourceLine) : null };
  // Kernel style first: each function parsed on its own, so one broken function cannot hide others.
  const split = splitFunctions(text, 1 + off).filter((ft) => !opts.functions || opts.functions.includes(ft.name));
  if (split.length > 0 || !/\{/.test(text)) {
    return split.map((ft) => {
      const mapped: FunctionText = {
        ...ft,
        refs: ft.refs.map(mapRef),
        gaps: ft.gaps.map((g) => ({ ...g, ref: mapRef(g.ref)! })),
        inputLine: opts.inputLineOf ? opts.inputLineOf(ft.startLine) ?? 0 : 0,
      };
      return analyzeFunctionText(mapped, file, side, opts);
    });
  }
  // Other layouts: let tree-sitter find the function definitions.
  const pre = preprocess(text);
  const parsed = parseC(pre, opts.parseTimeMs);
  if (!parsed.ok) return [emptyAnalysis(opts.functions?.[0] ?? '*', file, side, parsed.reason)];
  const refOf = (row: number): SrcRef => {
    const sl = row + 1 + off;
    return { sourceLine: sl, inputLine: opts.inputLineOf ? opts.inputLineOf(sl) : null };
  };
  const out: FunctionAnalysis[] = [];
  for (const node of functionNodes(parsed.tree.root)) {
    const name = functionName(parsed.tree, node);
    if (!name) continue;
    if (opts.functions && !opts.functions.includes(name)) continue;
    out.push(analyseNode(parsed.tree, node, file, side, opts, refOf, () => null, { name, inputLine: refOf(node.startRow).inputLine ?? 0 }, []));
  }
  return out;
}

/** Analyse one function rebuilt from hunks. */
export function analyzeFunctionText(ft: FunctionText, file: string, side: Side, opts: PathOptions = {}): FunctionAnalysis {
  const base = { name: ft.name, complete: ft.complete, partialReasons: ft.partialReasons, startLine: ft.startLine, endLine: ft.endLine, inputLine: ft.inputLine };
  if (!treeSitterReady()) return emptyAnalysis(ft.name, file, side, treeSitterError(), base);
  const notes: { row: number; message: string }[] = [];
  const parsed = parseC(preprocess(ft.text, notes), opts.parseTimeMs);
  if (!parsed.ok) return emptyAnalysis(ft.name, file, side, parsed.reason, base);
  const nodes = functionNodes(parsed.tree.root);
  const node = nodes.find((n) => functionName(parsed.tree, n) === ft.name) ?? (nodes.length === 1 ? nodes[0] : undefined);
  if (!node) {
    return emptyAnalysis(ft.name, file, side, `the rebuilt text does not parse as a function (${parsed.tree.errors} parse errors)`, base);
  }
  // Parse errors outside the function node mean its braces did not hold together (a stray `} {`
  // ends it early): what the node covers is not the function the patch shows.
  // The grammar is lenient: a stray block after the function is a top-level compound statement, not
  // an error. Either way, code after the function's closing brace means the braces did not hold.
  const outside = parsed.tree.errors - countErrors(node);
  const trailing = parsed.tree.root.children.some((k) => k.start >= node.end && k.type !== 'comment' && !k.type.startsWith('preproc_'));
  // (Over the parse-error budget, analyseNode reports the errors themselves.)
  const overBudget = parsed.tree.errors > (opts.maxParseErrors ?? DEFAULT_MAX_PARSE_ERRORS);
  if (!overBudget && (outside > 0 || trailing)) {
    const end = ft.refs[Math.min(node.endRow, ft.refs.length - 1)]?.sourceLine;
    return emptyAnalysis(ft.name, file, side, `its braces do not balance: the parsed function ends early${end != null ? ` at line ${end}` : ''} and code follows its closing brace`, base);
  }
  const refOf = (row: number): SrcRef => {
    for (let r = Math.min(row, ft.refs.length - 1); r >= 0; r--) {
      const x = ft.refs[r];
      if (x) return r === row ? x : { inputLine: null, sourceLine: null };
    }
    return { inputLine: null, sourceLine: null };
  };
  const gapMeta = (id: number): GapMeta | null => {
    const g = ft.gaps[id];
    return g ? { id: g.id, lines: g.lines, text: g.text, ref: g.ref, where: g.where, declarationsOnly: g.declarationsOnly } : null;
  };
  const fa = analyseNode(parsed.tree, node, file, side, opts, refOf, gapMeta, base, notes);
  // preprocess() blanks sparse's context annotations before parsing; they are read from the text.
  const ann = lockAnnotations(signatureText(ft.text));
  if (ann.acquires.length + ann.releases.length + ann.mustHold.length) fa.lockAnnotations = ann;
  return fa;
}

/** The text before a function's body, comments removed. */
function signatureText(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ').split('{')[0] ?? '';
}

/** The lock expressions of sparse annotations in a signature's text ("__acquires(&inode->i_rwsem)"). */
export function lockAnnotations(signature: string): { acquires: string[]; releases: string[]; mustHold: string[] } {
  const out = { acquires: [] as string[], releases: [] as string[], mustHold: [] as string[] };
  for (const m of signature.matchAll(/\b__(acquires|releases|must_hold)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g)) {
    const list = m[1] === 'acquires' ? out.acquires : m[1] === 'releases' ? out.releases : out.mustHold;
    list.push(m[2].trim());
  }
  return out;
}

function isCFile(p: string | null): boolean {
  return !!p && /\.(c|h)$/.test(p);
}

/** Every function the file's hunks touch, on one side, analysed from the patch alone; file-level problems apart. */
export function analyzeFileDiffReport(file: FileDiff, side: Side, opts: PathOptions = {}): { functions: FunctionAnalysis[]; problems: Problem[] } {
  const path = side === 'post' ? file.newPath : file.oldPath;
  const problems: Problem[] = [];
  if (!isCFile(path) || file.status === 'binary') return { functions: [], problems };
  if (side === 'pre' && file.status === 'added') return { functions: [], problems };
  if (side === 'post' && file.status === 'deleted') return { functions: [], problems };
  const texts = reconstructFunctions(file, side, problems, path ?? undefined);
  return { functions: analyseCalleesFirst(texts, (ft) => analyzeFunctionText(ft, path!, side, opts), opts), problems };
}

/**
 * Analyses function texts callees first (a function the others call is walked before its callers, as
 * compositional analyses do, so `opts.afterFunction` can summarise it before its call sites are
 * searched); the results keep the texts' order. Calls are read from the text by name; recursion and
 * mutual calls fall back to text order.
 */
export function analyseCalleesFirst(texts: FunctionText[], analyse: (ft: FunctionText) => FunctionAnalysis, opts: PathOptions): FunctionAnalysis[] {
  const out: (FunctionAnalysis | undefined)[] = new Array(texts.length);
  const byName = new Map<string, number[]>();
  texts.forEach((ft, i) => byName.set(ft.name, [...(byName.get(ft.name) ?? []), i]));
  const state = new Uint8Array(texts.length); // 0 new, 1 on the stack, 2 done
  const callsOf = (i: number): number[] => {
    const code = stripCode(texts[i].text);
    const seen: number[] = [];
    for (const name of calledNames(code.slice(Math.max(0, code.indexOf('{'))))) {
      for (const j of byName.get(name) ?? []) if (j !== i && !seen.includes(j)) seen.push(j);
    }
    return seen;
  };
  const visit = (root: number) => {
    // Iterative depth-first post-order: deep call chains must not overflow the stack.
    const stack: { i: number; calls: number[]; k: number }[] = [{ i: root, calls: callsOf(root), k: 0 }];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.k < top.calls.length) {
        const j = top.calls[top.k++];
        if (state[j] === 0) {
          state[j] = 1;
          stack.push({ i: j, calls: callsOf(j), k: 0 });
        }
        continue;
      }
      stack.pop();
      state[top.i] = 2;
      const fa = analyse(texts[top.i]);
      out[top.i] = fa;
      opts.afterFunction?.(fa);
    }
  };
  for (let i = 0; i < texts.length; i++) if (state[i] === 0) visit(i);
  return out as FunctionAnalysis[];
}

/**
 * Every function the file's hunks touch, on one side, analysed from the patch alone. File-level
 * problems (a hunk inside an unnamed function) are attached to the first function, if any.
 */
export function analyzeFileDiff(file: FileDiff, side: Side, opts: PathOptions = {}): FunctionAnalysis[] {
  const r = analyzeFileDiffReport(file, side, opts);
  if (r.problems.length && r.functions.length) r.functions[0].problems.push(...r.problems);
  return r.functions;
}
