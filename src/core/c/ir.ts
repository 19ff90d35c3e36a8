/*
 * Lockstep's own IR of one C function: statements and expressions as plain data, lowered from the
 * tree-sitter copy (lower.ts) and consumed by core/cfg. `row` is the 0-based row in the parsed text;
 * the caller maps rows to kernel source lines and input lines.
 */

export type Expr =
  | { k: 'call'; callee: string; args: Expr[]; text: string; row: number }
  | { k: 'assign'; op: string; lhs: Expr; rhs: Expr; text: string; row: number }
  | { k: 'binary'; op: string; left: Expr; right: Expr; text: string; row: number }
  | { k: 'unary'; op: string; arg: Expr; text: string; row: number }
  | { k: 'update'; op: string; arg: Expr; text: string; row: number }
  | { k: 'cond'; test: Expr; then: Expr | null; else: Expr; text: string; row: number }
  | { k: 'comma'; exprs: Expr[]; text: string; row: number }
  | { k: 'cast'; arg: Expr; text: string; row: number }
  | { k: 'id'; name: string; text: string; row: number }
  | { k: 'lit'; text: string; row: number }
  /** Anything else (field access, subscript, sizeof, compound literal...): its sub-expressions in order. */
  | { k: 'other'; subs: Expr[]; text: string; row: number };

export interface DeclInit {
  name: string;
  /** Declared as a pointer (`struct folio *folio`). */
  pointer: boolean;
  /** The type text ("bool", "int", "struct folio"). */
  type: string;
  init: Expr | null;
  row: number;
}

export type Stmt =
  | { k: 'expr'; e: Expr; row: number }
  | { k: 'decl'; inits: DeclInit[]; row: number }
  | { k: 'if'; cond: Expr; then: Stmt; else: Stmt | null; row: number }
  | { k: 'while'; cond: Expr; body: Stmt; row: number }
  | { k: 'do'; body: Stmt; cond: Expr; row: number; endRow: number }
  /** `iter`: the iterator macro text when the loop is `list_for_each_entry(...)` and friends. */
  | { k: 'for'; init: Stmt | null; cond: Expr | null; update: Expr | null; body: Stmt; row: number; iter: string | null }
  | { k: 'switch'; e: Expr; body: Stmt[]; row: number }
  | { k: 'case'; value: Expr | null; row: number }
  | { k: 'block'; body: Stmt[]; row: number }
  | { k: 'return'; e: Expr | null; text: string; row: number }
  | { k: 'break'; row: number }
  | { k: 'continue'; row: number }
  | { k: 'goto'; label: string; row: number }
  | { k: 'label'; name: string; stmt: Stmt | null; row: number }
  /** Code not shown by the patch; `id` indexes the reconstruction's gap table. */
  | { k: 'gap'; id: number; row: number }
  /** `#if` / `#ifdef` inside the body: both configurations are analysed as a branch. */
  | { k: 'pp'; cond: string; then: Stmt[]; else: Stmt[] | null; row: number }
  /** Code tree-sitter could not parse: its calls, in order, with no control flow. */
  | { k: 'error'; text: string; calls: Expr[]; row: number }
  | { k: 'empty'; row: number };

export interface IrFunction {
  name: string;
  params: string[];
  /** Each parameter's type as written (`struct folio *`), in the order of `params`. */
  paramTypes: string[];
  returnType: string;
  body: Stmt[];
  /** Rows of the function's first and last line in the parsed text. */
  startRow: number;
  endRow: number;
  /** Names of pointer / bool / other locals and parameters, for choosing null/false/zero facts. */
  varKinds: Record<string, 'pointer' | 'bool' | 'int'>;
  /** Messages about constructs that were approximated. */
  notes: { row: number; message: string }[];
  /** Variables the body declares (block-scope locals, not parameters). */
  locals: string[];
}
