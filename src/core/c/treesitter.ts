/*
 * The one owner of web-tree-sitter. Loads the runtime and the C grammar from a directory given by
 * the caller (never fetched), parses with a time limit, converts the tree to our SNode copy at once
 * and frees it before returning.
 */
// `import = require` so that the bundler picks the package's CommonJS build (its ESM build needs import.meta.url).
import TreeSitter = require('web-tree-sitter');
const { Parser, Language } = TreeSitter;
type Parser = TreeSitter.Parser;
import * as path from 'node:path';
import * as fs from 'node:fs';
import type { SNode, SyntaxTree } from './syntax';

let parser: Parser | null = null;
let typeNames: string[] = [];
let fieldNames: (string | null)[] = [];
/** 1 where the grammar's node type is named (ids past the table, ERROR among them, are named). */
let namedType = new Uint8Array(0);
let initPromise: Promise<void> | null = null;
let initError: string | null = null;

/** Lazy, idempotent. Resolves even when loading fails; the reason is then given by treeSitterError(). */
export function initTreeSitter(wasmDir: string): Promise<void> {
  if (initPromise) return initPromise;
  initPromise = (async () => {
    try {
      const runtime = path.join(wasmDir, 'tree-sitter.wasm');
      const grammar = path.join(wasmDir, 'tree-sitter-c.wasm');
      if (!fs.existsSync(runtime)) throw new Error(`missing ${runtime}`);
      if (!fs.existsSync(grammar)) throw new Error(`missing ${grammar}`);
      await Parser.init({ locateFile: () => runtime } as never);
      const lang = await Language.load(fs.readFileSync(grammar));
      const p = new Parser();
      p.setLanguage(lang);
      // The grammar's tables, read once: the cursor's numeric ids are looked up here, in JS.
      typeNames = lang.types;
      fieldNames = lang.fields;
      namedType = new Uint8Array(lang.nodeTypeCount);
      for (let i = 0; i < lang.nodeTypeCount; i++) namedType[i] = lang.nodeTypeIsNamed(i) ? 1 : 0;
      parser = p;
    } catch (e) {
      initError = `tree-sitter could not be loaded: ${(e as Error).message}`;
      initPromise = null; // allow a retry with another directory
    }
  })();
  return initPromise;
}

export function treeSitterReady(): boolean {
  return parser !== null;
}

export function treeSitterError(): string {
  return initError ?? 'tree-sitter not initialised (call initTreeSitter(wasmDir) first)';
}

export type ParseResult =
  | { ok: true; tree: SyntaxTree; parseMs: number }
  | { ok: false; reason: string };

/** Syntax nesting beyond this is not lowered (protects the recursive passes). */
const MAX_DEPTH = 250;

const OPERATOR_TYPES = new Set([
  'binary_expression', 'unary_expression', 'assignment_expression', 'update_expression', 'pointer_expression',
]);

/** Running total of parseC's time in this process (tree-sitter parse + conversion), for the `c.parse` timing. */
export const parseStats = { ms: 0 };

/** Parse C text within timeMs; the tree-sitter tree is converted and deleted before returning. */
export function parseC(text: string, timeMs = 2000): ParseResult {
  if (!parser) return { ok: false, reason: treeSitterError() };
  const t0 = performance.now();
  const deadline = t0 + timeMs;
  parser.reset();
  let tree;
  try {
    tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
  } catch (e) {
    return { ok: false, reason: `tree-sitter failed: ${(e as Error).message}` };
  }
  if (!tree) return { ok: false, reason: `parse time limit of ${timeMs} ms reached` };
  try {
    let errors = 0;
    // Walk with a cursor (cheap) rather than node handles (each marshalled across the wasm boundary),
    // asking it as little as possible: type and field as numbers looked up in the grammar's tables,
    // rows from the offsets (a line table here), `missing` only when the tree has errors at all.
    const hasErrors = tree.rootNode.hasError;
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    const rowOf = (index: number): number => {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lineStarts[mid] <= index) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    const cur = tree.walk();
    const conv = (field: string | null, depth: number, typeId: number): SNode => {
      const type = typeNames[typeId] || 'ERROR';
      const isError = type === 'ERROR';
      const isMissing = hasErrors && cur.nodeIsMissing;
      const start = cur.startIndex;
      const end = cur.endIndex;
      const out: SNode = {
        type, field, op: null, startRow: rowOf(start), endRow: rowOf(end), start, end,
        isError, isMissing, children: [],
      };
      if (isError || isMissing) errors++;
      if (depth > MAX_DEPTH) {
        // Too deeply nested to lower safely: keep it as an error node (counted against the budget).
        out.isError = true;
        errors++;
        return out;
      }
      const wantOp = OPERATOR_TYPES.has(type);
      if (cur.gotoFirstChild()) {
        do {
          const id = cur.nodeTypeId;
          const named = id >= namedType.length || namedType[id] === 1;
          if (named || (hasErrors && cur.nodeIsMissing)) {
            const fid = cur.currentFieldId;
            out.children.push(conv(fid ? fieldNames[fid] ?? null : null, depth + 1, id));
          } else if (wantOp) {
            const fid = cur.currentFieldId;
            if (fid && fieldNames[fid] === 'operator') out.op = typeNames[id];
            else if (out.op === null && type === 'pointer_expression') out.op = typeNames[id];
          }
        } while (cur.gotoNextSibling());
        cur.gotoParent();
      }
      return out;
    };
    const root = conv(null, 0, cur.nodeTypeId);
    cur.delete();
    const parseMs = performance.now() - t0;
    parseStats.ms += parseMs;
    return { ok: true, tree: { text, root, errors }, parseMs };
  } finally {
    tree.delete();
  }
}

/** Bare tree-sitter parse (no conversion), for the benchmark's floor. Returns ms or -1. */
export function bareParseMs(text: string): number {
  if (!parser) return -1;
  const t0 = performance.now();
  parser.reset();
  const tree = parser.parse(text);
  const ms = performance.now() - t0;
  tree?.delete();
  return ms;
}
