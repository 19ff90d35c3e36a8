/*
 * Lowering: our copy of the tree-sitter tree (SNode) → IR (ir.ts). Pure, total: unknown node kinds
 * become 'other' expressions or 'error' statements carrying their calls.
 */
import type { SNode, SyntaxTree } from './syntax';
import { childByField, textOf } from './syntax';
import type { DeclInit, Expr, IrFunction, Stmt } from './ir';
import { GAP_FN, ITER_PREFIX, UNKNOWN_COND, restoreText } from './preprocess';

interface Ctx {
  t: SyntaxTree;
  varKinds: Record<string, 'pointer' | 'bool' | 'int'>;
  notes: { row: number; message: string }[];
  /** Names the body declares (locals), in order of first declaration. */
  locals: Set<string>;
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

function txt(c: Ctx, n: SNode): string {
  return restoreText(squash(textOf(c.t, n)));
}

/** Restore text rewritten by preprocess.ts. */
export function unIter(s: string): string {
  return restoreText(s);
}

// ───────────── expressions ─────────────

/** A parenthesised type name: `(struct x *)`, `(unsigned long)`, `(u8 *)`. */
const CAST_TYPE = /^\(\s*(?:(?:const|volatile|struct|union|enum|unsigned|signed)\s+)*[A-Za-z_]\w*(?:\s+[A-Za-z_]\w*)*\s*\**\s*\)$/;
/** …that is certainly a type: a pointer, a C type word, or a kernel fixed-width type. */
const TYPE_WORD = /\*\s*\)$|\b(?:struct|union|enum|unsigned|signed|const|void|char|short|int|long|bool|u8|u16|u32|u64|s8|s16|s32|s64|size_t|ssize_t|loff_t|pgoff_t|gfp_t|uintptr_t)\b/;

export function lowerExpr(c: Ctx, n: SNode): Expr {
  const text = unIter(txt(c, n));
  const row = n.startRow;
  const kids = n.children.filter((k) => k.type !== 'comment');
  switch (n.type) {
    case 'parenthesized_expression':
      if (kids.length === 1) return lowerExpr(c, kids[0]);
      break;
    case 'call_expression': {
      const fn = childByField(n, 'function');
      const argl = childByField(n, 'arguments');
      const args = argl ? argl.children.filter((k) => k.type !== 'comment').map((a) => lowerExpr(c, a)) : [];
      let callee = fn ? txt(c, fn) : text;
      if (callee.startsWith(ITER_PREFIX)) callee = callee.slice(ITER_PREFIX.length);
      // `(struct dx_node *)(bh->b_data)`: a cast of a parenthesised expression, which the grammar
      // can take for a call through `(struct dx_node *)`.
      if (args.length === 1 && CAST_TYPE.test(callee) && TYPE_WORD.test(callee)) return { k: 'cast', arg: args[0], text, row };
      return { k: 'call', callee, args, text, row };
    }
    case 'assignment_expression': {
      const l = childByField(n, 'left');
      const r = childByField(n, 'right');
      if (l && r) return { k: 'assign', op: n.op ?? '=', lhs: lowerExpr(c, l), rhs: lowerExpr(c, r), text, row };
      break;
    }
    case 'binary_expression': {
      const l = childByField(n, 'left');
      const r = childByField(n, 'right');
      if (l && r) return { k: 'binary', op: n.op ?? '?', left: lowerExpr(c, l), right: lowerExpr(c, r), text, row };
      break;
    }
    case 'unary_expression':
    case 'pointer_expression': {
      const a = childByField(n, 'argument');
      if (a) return { k: 'unary', op: n.op ?? '?', arg: lowerExpr(c, a), text, row };
      break;
    }
    case 'update_expression': {
      const a = childByField(n, 'argument');
      if (a) return { k: 'update', op: n.op ?? '++', arg: lowerExpr(c, a), text, row };
      break;
    }
    case 'conditional_expression': {
      const cond = childByField(n, 'condition');
      const cons = childByField(n, 'consequence');
      const alt = childByField(n, 'alternative');
      if (cond && alt) return { k: 'cond', test: lowerExpr(c, cond), then: cons ? lowerExpr(c, cons) : null, else: lowerExpr(c, alt), text, row };
      break;
    }
    case 'comma_expression':
      return { k: 'comma', exprs: kids.map((k) => lowerExpr(c, k)), text, row };
    case 'cast_expression': {
      const v = childByField(n, 'value');
      if (v) return { k: 'cast', arg: lowerExpr(c, v), text, row };
      break;
    }
    case 'identifier':
      return { k: 'id', name: text, text, row };
    case 'number_literal':
    case 'string_literal':
    case 'concatenated_string':
    case 'char_literal':
    case 'true':
    case 'false':
    case 'null':
      return { k: 'lit', text, row };
    case 'sizeof_expression':
    case 'alignof_expression':
    case 'offsetof_expression':
      return { k: 'lit', text, row };
    default:
      break;
  }
  const subs: Expr[] = [];
  for (const k of kids) {
    if (k.type === 'field_identifier' || k.type === 'type_descriptor' || k.type === 'primitive_type' || k.type === 'type_identifier') continue;
    subs.push(lowerExpr(c, k));
  }
  return { k: 'other', subs, text, row };
}

// ───────────── declarations ─────────────

function declName(n: SNode): { name: string; pointer: boolean } | null {
  let pointer = false;
  let cur: SNode | null = n;
  for (let guard = 0; cur && guard < 20; guard++) {
    if (cur.type === 'identifier') break;
    if (cur.type === 'pointer_declarator') pointer = true;
    if (cur.type === 'array_declarator') pointer = true;
    cur = childByField(cur, 'declarator');
  }
  return { name: '', pointer };
}

function identOf(c: Ctx, n: SNode): string | null {
  let cur: SNode | null = n;
  for (let guard = 0; cur && guard < 20; guard++) {
    if (cur.type === 'identifier' || cur.type === 'field_identifier') return txt(c, cur);
    const nx: SNode | null = childByField(cur, 'declarator');
    if (!nx) {
      const id = cur.children.find((k) => k.type === 'identifier');
      return id ? txt(c, id) : null;
    }
    cur = nx;
  }
  return null;
}

function kindOf(type: string, pointer: boolean): 'pointer' | 'bool' | 'int' {
  if (pointer) return 'pointer';
  if (/^(const\s+)?(bool|_Bool)$/.test(type)) return 'bool';
  return 'int';
}

function lowerDecl(c: Ctx, n: SNode): Stmt {
  const typeNode = childByField(n, 'type');
  const type = typeNode ? txt(c, typeNode) : '';
  const inits: DeclInit[] = [];
  for (const d of n.children) {
    if (d.field !== 'declarator') continue;
    let declr = d;
    let init: Expr | null = null;
    if (d.type === 'init_declarator') {
      const dd = childByField(d, 'declarator');
      const v = childByField(d, 'value');
      if (dd) declr = dd;
      if (v && v.type !== 'initializer_list') init = lowerExpr(c, v);
      else if (v) init = { k: 'lit', text: txt(c, v), row: v.startRow };
    }
    const name = identOf(c, declr);
    if (!name) continue;
    const pointer = declName(declr)?.pointer ?? false;
    c.varKinds[name] = kindOf(type, pointer);
    c.locals.add(name);
    inits.push({ name, pointer, type, init, row: d.startRow });
  }
  return { k: 'decl', inits, row: n.startRow };
}

// ───────────── statements ─────────────

function collectCalls(c: Ctx, n: SNode, out: Expr[]): void {
  if (n.type === 'call_expression') {
    out.push(lowerExpr(c, n));
    return;
  }
  for (const k of n.children) collectCalls(c, k, out);
}

function lowerBlockItems(c: Ctx, items: SNode[]): Stmt[] {
  const out: Stmt[] = [];
  for (const it of items) {
    if (it.type === 'comment') continue;
    const s = lowerStmt(c, it);
    if (s) out.push(s);
  }
  return out;
}

function asBlock(c: Ctx, n: SNode | null, row: number): Stmt {
  if (!n) return { k: 'empty', row };
  return lowerStmt(c, n) ?? { k: 'empty', row: n.startRow };
}

function condOf(c: Ctx, n: SNode | null, row: number): Expr {
  if (!n) return { k: 'lit', text: '1', row };
  return lowerExpr(c, n);
}

export function lowerStmt(c: Ctx, n: SNode): Stmt | null {
  const row = n.startRow;
  switch (n.type) {
    case 'comment':
      return null;
    case 'compound_statement':
      return { k: 'block', body: lowerBlockItems(c, n.children), row };
    case 'expression_statement': {
      const kids = n.children.filter((k) => k.type !== 'comment' && !k.isMissing);
      if (kids.length === 0) return { k: 'empty', row };
      const e = kids.length === 1 ? lowerExpr(c, kids[0]) : { k: 'comma' as const, exprs: kids.map((k) => lowerExpr(c, k)), text: txt(c, n), row };
      if (e.k === 'call' && e.callee === GAP_FN && e.args.length === 1) return { k: 'gap', id: Number(e.args[0].text), row };
      if (n.children.some((k) => k.isMissing)) c.notes.push({ row, message: `missing ';' after \`${txt(c, n).slice(0, 60)}\`` });
      return { k: 'expr', e, row };
    }
    case 'declaration':
      return lowerDecl(c, n);
    case 'if_statement': {
      const alt = childByField(n, 'alternative');
      let els: Stmt | null = null;
      if (alt) {
        const inner = alt.type === 'else_clause' ? alt.children.find((k) => k.type !== 'comment') ?? null : alt;
        els = inner ? asBlock(c, inner, alt.startRow) : null;
      }
      return { k: 'if', cond: condOf(c, childByField(n, 'condition'), row), then: asBlock(c, childByField(n, 'consequence'), row), else: els, row };
    }
    case 'while_statement':
      return { k: 'while', cond: condOf(c, childByField(n, 'condition'), row), body: asBlock(c, childByField(n, 'body'), row), row };
    case 'do_statement':
      return { k: 'do', body: asBlock(c, childByField(n, 'body'), row), cond: condOf(c, childByField(n, 'condition'), n.endRow), row, endRow: n.endRow };
    case 'for_statement': {
      const initN = childByField(n, 'initializer');
      let init: Stmt | null = null;
      if (initN) init = initN.type === 'declaration' ? lowerDecl(c, initN) : { k: 'expr', e: lowerExpr(c, initN), row: initN.startRow };
      const condN = childByField(n, 'condition');
      const updN = childByField(n, 'update');
      let cond = condN ? lowerExpr(c, condN) : null;
      let iter: string | null = null;
      const condText = condN ? textOf(c.t, condN) : '';
      if (!init && !updN && condN && condText.startsWith(ITER_PREFIX)) {
        iter = unIter(squash(condText));
        cond = null;
      }
      return { k: 'for', init, cond, update: updN ? lowerExpr(c, updN) : null, body: asBlock(c, childByField(n, 'body'), row), row, iter };
    }
    case 'switch_statement': {
      const body = childByField(n, 'body');
      const items: Stmt[] = [];
      for (const k of body?.children ?? []) {
        if (k.type === 'case_statement') {
          const v = childByField(k, 'value');
          items.push({ k: 'case', value: v ? lowerExpr(c, v) : null, row: k.startRow });
          items.push(...lowerBlockItems(c, k.children.filter((x) => x.field !== 'value')));
        } else if (k.type !== 'comment') {
          const s = lowerStmt(c, k);
          if (s) items.push(s);
        }
      }
      return { k: 'switch', e: condOf(c, childByField(n, 'condition'), row), body: items, row };
    }
    case 'return_statement': {
      const e = n.children.find((k) => k.type !== 'comment' && !k.isMissing);
      return { k: 'return', e: e ? lowerExpr(c, e) : null, text: txt(c, n), row };
    }
    case 'break_statement':
      return { k: 'break', row };
    case 'continue_statement':
      return { k: 'continue', row };
    case 'goto_statement': {
      const l = childByField(n, 'label');
      return { k: 'goto', label: l ? txt(c, l) : '', row };
    }
    case 'labeled_statement': {
      const l = childByField(n, 'label');
      const inner = n.children.find((k) => k.field !== 'label' && k.type !== 'comment');
      return { k: 'label', name: l ? txt(c, l) : '', stmt: inner ? lowerStmt(c, inner) : null, row };
    }
    case 'attributed_statement': {
      const inner = n.children.find((k) => k.type !== 'attribute_declaration' && k.type !== 'comment');
      return inner ? lowerStmt(c, inner) : { k: 'empty', row };
    }
    case 'preproc_if':
    case 'preproc_ifdef':
    case 'preproc_elif':
    case 'preproc_elifdef': {
      const alt = childByField(n, 'alternative');
      const condN = childByField(n, 'condition') ?? childByField(n, 'name');
      const head = squash(textOf(c.t, n).split('\n')[0]);
      let cond = n.type === 'preproc_ifdef' ? head : condN ? `#if ${txt(c, condN)}` : head;
      if (cond.includes(UNKNOWN_COND)) cond = 'unseen #if condition';
      const items = n.children.filter((k) => k.field !== 'alternative' && k.field !== 'condition' && k.field !== 'name');
      let els: Stmt[] | null = null;
      if (alt) {
        if (alt.type === 'preproc_else') els = lowerBlockItems(c, alt.children);
        else {
          const s = lowerStmt(c, alt);
          els = s ? [s] : [];
        }
      }
      return { k: 'pp', cond, then: lowerBlockItems(c, items), else: els, row };
    }
    case 'preproc_call':
    case 'preproc_def':
    case 'preproc_function_def':
    case 'preproc_include':
    case 'type_definition':
    case 'struct_specifier':
      return null;
    case 'ERROR': {
      const calls: Expr[] = [];
      collectCalls(c, n, calls);
      c.notes.push({ row, message: `could not parse \`${txt(c, n).slice(0, 60)}\`` });
      return { k: 'error', text: txt(c, n), calls, row };
    }
    default: {
      if (n.type.endsWith('_expression')) return { k: 'expr', e: lowerExpr(c, n), row };
      const calls: Expr[] = [];
      collectCalls(c, n, calls);
      if (calls.length === 0) return null;
      return { k: 'error', text: txt(c, n), calls, row };
    }
  }
}

// ───────────── functions ─────────────

function findFunctionDeclarator(n: SNode | null): SNode | null {
  for (let cur = n, guard = 0; cur && guard < 20; guard++) {
    if (cur.type === 'function_declarator') return cur;
    cur = childByField(cur, 'declarator');
  }
  return null;
}

/** Name of a function_definition node, or null. */
export function functionName(t: SyntaxTree, fn: SNode): string | null {
  const fd = findFunctionDeclarator(childByField(fn, 'declarator'));
  const id = fd ? childByField(fd, 'declarator') : null;
  if (!id) return null;
  return squash(textOf(t, id));
}

export function lowerFunction(t: SyntaxTree, fn: SNode, nameHint?: string): IrFunction {
  const c: Ctx = { t, varKinds: {}, notes: [], locals: new Set() };
  const declr = childByField(fn, 'declarator');
  const fd = findFunctionDeclarator(declr);
  const params: string[] = [];
  const paramTypes: string[] = [];
  for (const p of (fd && childByField(fd, 'parameters'))?.children ?? []) {
    if (p.type !== 'parameter_declaration') continue;
    const d = childByField(p, 'declarator');
    const tn = childByField(p, 'type');
    const name = d ? identOf(c, d) : null;
    if (!name) continue;
    params.push(name);
    const pointer = d ? declName(d)?.pointer ?? false : false;
    paramTypes.push(`${(tn ? txt(c, tn) : '').replace(/\s+/g, ' ').trim()}${pointer ? ' *' : ''}`);
    c.varKinds[name] = kindOf(tn ? txt(c, tn) : '', pointer);
  }
  const typeN = childByField(fn, 'type');
  const ptrRet = declr?.type === 'pointer_declarator';
  const returnType = (typeN ? txt(c, typeN) : '') + (ptrRet ? ' *' : '');
  const body = childByField(fn, 'body');
  // Variables declared in unseen code: `x->field`, IS_ERR(x) and friends say x is a pointer.
  if (body) {
    const bt = textOf(t, body);
    for (const m of bt.matchAll(/\b([A-Za-z_]\w*)\s*->|\b(?:IS_ERR|PTR_ERR|IS_ERR_OR_NULL|ERR_CAST)\s*\(\s*([A-Za-z_]\w*)\s*\)/g)) {
      const name = m[1] ?? m[2];
      if (name && !(name in c.varKinds)) c.varKinds[name] = 'pointer';
    }
  }
  return {
    name: functionName(t, fn) ?? nameHint ?? '?',
    params,
    paramTypes,
    returnType,
    body: body ? lowerBlockItems(c, body.children) : [],
    startRow: fn.startRow,
    endRow: fn.endRow,
    varKinds: c.varKinds,
    notes: c.notes,
    locals: [...c.locals].filter((n) => !params.includes(n)),
  };
}

/** All function_definition nodes at top level (also inside top-level #if blocks). */
export function functionNodes(root: SNode): SNode[] {
  const out: SNode[] = [];
  const walk = (n: SNode, depth: number): void => {
    for (const k of n.children) {
      if (k.type === 'function_definition') out.push(k);
      else if (depth < 4 && (k.type.startsWith('preproc_') || k.type === 'ERROR' || k.type === 'linkage_specification' || k.type === 'declaration_list')) walk(k, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}
