/*
 * Control flow graph of one IR function. Built backwards (each statement is lowered with its
 * continuation), so every node knows its successors. Calls nested in conditions become call nodes
 * before the branch node; && / || / ?: / ! become branch chains (short-circuit).
 */
import type { SrcRef, Step } from '../types';
import type { Expr, IrFunction, Stmt } from '../c/ir';
import {
  BUG, BUG_ON, TRANSPARENT, UNKNOWN_COND, WARN_STMT, atomFacts, constTestOf, hasCall, isConstText, literalTruth, subjectOf, unwrap, unwrapCast,
} from './conditions';
import type { Relation } from './facts';

export type NodeId = number;
/** Pseudo node: falling off the end of the function. */
export const END: NodeId = -1;

/** What an atomic condition is about: a call node in it, or a variable holding a call result. */
export type Subject = { kind: 'call'; node: NodeId } | { kind: 'var'; name: string };

export interface AtomFacts {
  subject: Subject;
  /** Facts when the atom is true / false (several for `> 0`). */
  onTrue: { rel: Relation; value?: string }[];
  onFalse: { rel: Relation; value?: string }[];
  /** Values the result must be among when the atom is true / false, beyond the facts (IS_ERR_OR_NULL: ERR_PTR or NULL). */
  trueMask?: number;
  falseMask?: number;
}

export interface GapMeta {
  id: number;
  lines: number | null;
  text: string;
  ref: SrcRef;
  where: 'leading' | 'between' | 'trailing';
  declarationsOnly?: boolean;
}

export type Node =
  | { k: 'call'; step: Extract<Step, { kind: 'call' }>; next: NodeId; kills: string[] }
  | { k: 'assign'; step: Extract<Step, { kind: 'assign' }>; next: NodeId; constVal: string | null }
  /** `names` lose what is known of them; `delta` (`x++`, `x--` of a local): a known integer moves by it. */
  | { k: 'kill'; names: string[]; next: NodeId; delta?: number }
  | { k: 'return'; step: Extract<Step, { kind: 'return' }> }
  | { k: 'bug'; step: Extract<Step, { kind: 'bug' }> }
  | {
      k: 'branch';
      cond: string;
      text: string;
      ref: SrcRef;
      facts: AtomFacts | null;
      /** For constant folding of locals: `x`, `!x`, `x == lit`. */
      constTest: { name: string; negated: boolean; eq: string | null } | null;
      t: NodeId;
      f: NodeId;
      loop: number | null;
      bodyEdge: 't' | 'f' | null;
    }
  | { k: 'gap'; gap: GapMeta; step: Extract<Step, { kind: 'gap' }>; next: NodeId | null; gotos: { label: string; node: NodeId }[]; noExit: boolean }
  | { k: 'nop'; next: NodeId; label: string | null; loopHead: number | null; loopEnter: number | null }
  /** A goto to a label the patch does not show: the path continues in unseen code. */
  | { k: 'unseen'; step: Extract<Step, { kind: 'gap' }> };

export interface LoopMeta {
  head: NodeId;
  kind: 'while' | 'for' | 'do' | 'iter';
  /** No exit condition (`for (;;)`, `while (1)`): only break/return/goto leave it. */
  condless: boolean;
}

export interface Cfg {
  nodes: Node[];
  entry: NodeId;
  loops: LoopMeta[];
  callees: string[];
  returnsVoid: boolean;
  varKinds: Record<string, 'pointer' | 'bool' | 'int'>;
  /** Parameter names (tracked by the path search: the caller's objects). */
  params?: string[];
}

/** Calls that are not steps: their arguments are evaluated, the wrapper is transparent. */
/** A lock guard in scope (`guard(mutex)(&m)`, `scoped_guard(spinlock, &l)`): released on leaving it. */
interface Cleanup {
  unlock: string;
  args: string[];
  text: string;
  row: number;
  /** Labels inside the guarded scope (a goto to them does not leave it). */
  labels?: Set<string>;
}

function labelsIn(list: Stmt[]): Set<string> {
  const out = new Set<string>();
  const visit = (s: Stmt | null): void => {
    if (!s) return;
    switch (s.k) {
      case 'label': out.add(s.name); visit(s.stmt); break;
      case 'block': s.body.forEach(visit); break;
      case 'if': visit(s.then); visit(s.else); break;
      case 'while': case 'do': case 'for': visit(s.body); break;
      case 'switch': s.body.forEach(visit); break;
      case 'pp': s.then.forEach(visit); s.else?.forEach(visit); break;
      default: break;
    }
  };
  list.forEach(visit);
  return out;
}

interface Ctx {
  brk: NodeId | null;
  cont: NodeId | null;
  /** Guards in scope, innermost last; brkBase/contBase: how many were in scope at the break/continue target. */
  cleanups: Cleanup[];
  brkBase: number;
  contBase: number;
}

/** guard class → the lock and unlock calls it stands for. */
const GUARDS: Record<string, [string, string]> = {
  mutex: ['mutex_lock', 'mutex_unlock'],
  spinlock: ['spin_lock', 'spin_unlock'],
  spinlock_irq: ['spin_lock_irq', 'spin_unlock_irq'],
  spinlock_irqsave: ['spin_lock_irqsave', 'spin_unlock_irqrestore'],
  spinlock_bh: ['spin_lock_bh', 'spin_unlock_bh'],
  raw_spinlock: ['raw_spin_lock', 'raw_spin_unlock'],
  raw_spinlock_irq: ['raw_spin_lock_irq', 'raw_spin_unlock_irq'],
  raw_spinlock_irqsave: ['raw_spin_lock_irqsave', 'raw_spin_unlock_irqrestore'],
  read_lock: ['read_lock', 'read_unlock'],
  write_lock: ['write_lock', 'write_unlock'],
  rwsem_read: ['down_read', 'up_read'],
  rwsem_write: ['down_write', 'up_write'],
  rcu: ['rcu_read_lock', 'rcu_read_unlock'],
};

/** `guard(mutex)(&m)` or `scoped_guard(mutex, &m)` as an expression statement → its class and arguments. */
function guardOf(s: Stmt): { cls: string; args: Expr[]; text: string; row: number } | null {
  if (s.k !== 'expr' || s.e.k !== 'call') return null;
  const e = s.e;
  const g = /^guard\s*\(\s*(\w+)\s*\)$/.exec(e.callee);
  if (g) return { cls: g[1], args: e.args, text: e.text, row: e.row };
  if (e.callee === 'scoped_guard' && e.args.length >= 1 && e.args[0].k === 'id') return { cls: e.args[0].name, args: e.args.slice(1), text: e.text, row: e.row };
  return null;
}

export class CfgBuilder {
  nodes: Node[] = [];
  loops: LoopMeta[] = [];
  private labels = new Map<string, NodeId>();
  private labelRows: { name: string; row: number }[] = [];
  exprNode = new Map<Expr, NodeId>();
  varKinds: Record<string, 'pointer' | 'bool' | 'int'>;
  private callees: string[] = [];

  constructor(
    private fn: IrFunction,
    private refOf: (row: number) => SrcRef,
    private gapMeta: (id: number) => GapMeta | null,
  ) {
    this.varKinds = fn.varKinds;
  }

  private add(n: Node): NodeId {
    this.nodes.push(n);
    return this.nodes.length - 1;
  }

  build(): Cfg {
    this.collectLabels(this.fn.body);
    this.labelRows.sort((a, b) => a.row - b.row);
    const entry = this.seq(this.fn.body, END, { brk: null, cont: null, cleanups: [], brkBase: 0, contBase: 0 });
    const returnsVoid = /^(static\s+|inline\s+|extern\s+)*void$/.test(this.fn.returnType.trim());
    return { nodes: this.nodes, entry, loops: this.loops, callees: this.callees, returnsVoid, varKinds: this.fn.varKinds, params: this.fn.params };
  }

  private collectLabels(body: Stmt[]): void {
    const visit = (s: Stmt | null): void => {
      if (!s) return;
      switch (s.k) {
        case 'label':
          if (!this.labels.has(s.name)) {
            this.labels.set(s.name, this.add({ k: 'nop', next: END, label: s.name, loopHead: null, loopEnter: null }));
            this.labelRows.push({ name: s.name, row: s.row });
          }
          visit(s.stmt);
          break;
        case 'block': s.body.forEach(visit); break;
        case 'if': visit(s.then); visit(s.else); break;
        case 'while': case 'do': case 'for': visit(s.body); break;
        case 'switch': s.body.forEach(visit); break;
        case 'pp': s.then.forEach(visit); s.else?.forEach(visit); break;
        default: break;
      }
    };
    body.forEach(visit);
    // callees in source order
    const seen = new Set<string>();
    const walkE = (e: Expr | null): void => {
      if (!e) return;
      switch (e.k) {
        case 'call':
          e.args.forEach(walkE);
          if (!TRANSPARENT.test(e.callee) && !seen.has(e.callee) && !e.callee.startsWith('__lockstep')) {
            seen.add(e.callee);
            this.callees.push(e.callee);
          }
          break;
        case 'assign': walkE(e.lhs); walkE(e.rhs); break;
        case 'binary': walkE(e.left); walkE(e.right); break;
        case 'unary': case 'update': case 'cast': walkE(e.arg); break;
        case 'cond': walkE(e.test); walkE(e.then); walkE(e.else); break;
        case 'comma': e.exprs.forEach(walkE); break;
        case 'other': e.subs.forEach(walkE); break;
        default: break;
      }
    };
    const walkS = (s: Stmt | null): void => {
      if (!s) return;
      switch (s.k) {
        case 'expr': walkE(s.e); break;
        case 'decl': s.inits.forEach((i) => walkE(i.init)); break;
        case 'if': walkE(s.cond); walkS(s.then); walkS(s.else); break;
        case 'while': walkE(s.cond); walkS(s.body); break;
        case 'do': walkS(s.body); walkE(s.cond); break;
        case 'for': walkS(s.init); walkE(s.cond); walkE(s.update); walkS(s.body); break;
        case 'switch': walkE(s.e); s.body.forEach(walkS); break;
        case 'block': s.body.forEach(walkS); break;
        case 'return': walkE(s.e); break;
        case 'label': walkS(s.stmt); break;
        case 'pp': s.then.forEach(walkS); s.else?.forEach(walkS); break;
        case 'error': s.calls.forEach(walkE); break;
        default: break;
      }
    };
    body.forEach(walkS);
  }

  // ───────────── statements ─────────────

  private seq(list: Stmt[], next: NodeId, ctx: Ctx): NodeId {
    // A lock guard covers the rest of its block: lock here, unlock on every way out.
    const gi = list.findIndex((x) => guardOf(x) !== null && GUARDS[guardOf(x)!.cls] !== undefined);
    if (gi >= 0) {
      const g = guardOf(list[gi])!;
      const [lock, unlock] = GUARDS[g.cls];
      const args = g.args.map((a) => a.text);
      const c: Cleanup = { unlock, args, text: g.text, row: g.row };
      const inner: Ctx = { ...ctx, cleanups: [...ctx.cleanups, c] };
      c.labels = labelsIn(list.slice(gi + 1));
      const rest = this.seq(list.slice(gi + 1), this.release([c], next, g.row), inner);
      const lockNode = this.add({ k: 'call', step: { kind: 'call', call: { name: lock, args }, assignTo: null, text: g.text, ref: this.refOf(g.row) }, next: rest, kills: [] });
      return this.seqPlain(list.slice(0, gi), this.evalArgs(g.args, lockNode), ctx);
    }
    return this.seqPlain(list, next, ctx);
  }

  /** Unlock calls for the guards being left (innermost first), then continue at next. */
  private release(cleanups: Cleanup[], next: NodeId, row: number): NodeId {
    let cur = next;
    for (const c of cleanups) {
      cur = this.add({ k: 'call', step: { kind: 'call', call: { name: c.unlock, args: c.args }, assignTo: null, text: `${c.text} released`, ref: this.refOf(row) }, next: cur, kills: [] });
    }
    return cur;
  }

  private seqPlain(list: Stmt[], next: NodeId, ctx: Ctx, nextIsLabelAfter = false): NodeId {
    let cur = next;
    for (let i = list.length - 1; i >= 0; i--) {
      const s = list[i];
      const nextIsLabel = i + 1 < list.length ? list[i + 1].k === 'label' : nextIsLabelAfter;
      const isLast = i === list.length - 1;
      cur = this.stmt(s, cur, ctx, nextIsLabel, isLast);
    }
    return cur;
  }

  private stmt(s: Stmt, next: NodeId, ctx: Ctx, nextIsLabel = false, _isLast = false): NodeId {
    switch (s.k) {
      case 'empty':
        return next;
      case 'block':
        return this.seq(s.body, next, ctx);
      case 'expr':
        return this.exprStmt(s.e, next);
      case 'decl': {
        let cur = next;
        for (let i = s.inits.length - 1; i >= 0; i--) {
          const d = s.inits[i];
          if (d.init === null) cur = this.add({ k: 'kill', names: [d.name], next: cur });
          else cur = this.assignTo(d.name, d.init, `${d.name} = ${d.init.text}`, d.row, cur);
        }
        return cur;
      }
      case 'if': {
        const t = this.stmt(s.then, next, ctx);
        const f = s.else ? this.stmt(s.else, next, ctx) : next;
        return this.cond(s.cond, t, f, s.cond.text);
      }
      case 'while': {
        const lid = this.loops.length;
        const head = this.add({ k: 'nop', next: END, label: null, loopHead: lid, loopEnter: null });
        const lit = literalTruth(s.cond);
        this.loops.push({ head, kind: 'while', condless: lit === true });
        const body = this.stmt(s.body, head, { ...ctx, brk: next, cont: head, brkBase: ctx.cleanups.length, contBase: ctx.cleanups.length });
        const c = lit === true ? body : lit === false ? next : this.cond(s.cond, body, next, s.cond.text, lid, body);
        (this.nodes[head] as { next: NodeId }).next = c;
        return this.add({ k: 'nop', next: head, label: null, loopHead: null, loopEnter: lid });
      }
      case 'do': {
        const lid = this.loops.length;
        const head = this.add({ k: 'nop', next: END, label: null, loopHead: lid, loopEnter: null });
        const lit = literalTruth(s.cond);
        this.loops.push({ head, kind: 'do', condless: lit === true });
        const c = lit === true ? head : lit === false ? next : this.cond(s.cond, head, next, s.cond.text, lid, head);
        const body = this.stmt(s.body, c, { ...ctx, brk: next, cont: c, brkBase: ctx.cleanups.length, contBase: ctx.cleanups.length });
        (this.nodes[head] as { next: NodeId }).next = body;
        return this.add({ k: 'nop', next: head, label: null, loopHead: null, loopEnter: lid });
      }
      case 'for': {
        const lid = this.loops.length;
        const head = this.add({ k: 'nop', next: END, label: null, loopHead: lid, loopEnter: null });
        this.loops.push({ head, kind: s.iter ? 'iter' : 'for', condless: !s.iter && (!s.cond || literalTruth(s.cond) === true) });
        const upd = s.update ? this.evalExpr(s.update, head) : head;
        const body = this.stmt(s.body, upd, { ...ctx, brk: next, cont: upd, brkBase: ctx.cleanups.length, contBase: ctx.cleanups.length });
        let c: NodeId;
        if (s.iter) {
          c = this.add({ k: 'branch', cond: s.iter, text: s.iter, ref: this.refOf(s.row), facts: null, constTest: null, t: body, f: next, loop: lid, bodyEdge: 't' });
        } else if (s.cond) {
          const lit = literalTruth(s.cond);
          c = lit === true ? body : lit === false ? next : this.cond(s.cond, body, next, s.cond.text, lid, body);
        } else c = body;
        (this.nodes[head] as { next: NodeId }).next = c;
        const enter = this.add({ k: 'nop', next: head, label: null, loopHead: null, loopEnter: lid });
        return s.init ? this.stmt(s.init, enter, ctx) : enter;
      }
      case 'switch': {
        const caseNodes: { value: Expr | null; node: NodeId; row: number }[] = [];
        let cur = next;
        const inner: Ctx = { ...ctx, brk: next, brkBase: ctx.cleanups.length };
        for (let i = s.body.length - 1; i >= 0; i--) {
          const it = s.body[i];
          if (it.k === 'case') {
            const n = this.add({ k: 'nop', next: cur, label: null, loopHead: null, loopEnter: null });
            caseNodes.unshift({ value: it.value, node: n, row: it.row });
            cur = n;
          } else cur = this.stmt(it, cur, inner, i + 1 < s.body.length && s.body[i + 1].k === 'label');
        }
        const def = caseNodes.find((c) => c.value === null);
        let chain = def ? def.node : next;
        const subj = unwrap(s.e);
        for (let i = caseNodes.length - 1; i >= 0; i--) {
          const c = caseNodes[i];
          if (c.value === null) continue;
          const v = c.value.text;
          const facts = subjectOf(this, subj);
          chain = this.add({
            k: 'branch',
            cond: `${s.e.text} == ${v}`,
            text: `switch (${s.e.text}) case ${v}`,
            ref: this.refOf(c.row),
            facts: facts ? { subject: facts, onTrue: [{ rel: 'eq', value: v }], onFalse: [{ rel: 'ne', value: v }] } : null,
            constTest: null,
            t: c.node,
            f: chain,
            loop: null,
            bodyEdge: null,
          });
        }
        return this.evalExpr(s.e, chain);
      }
      case 'case':
        return next;
      case 'return': {
        const r = this.release(ctx.cleanups, this.add({ k: 'return', step: { kind: 'return', expr: s.e ? s.e.text : null, text: s.text, ref: this.refOf(s.row) } }), s.row);
        if (!s.e) return r;
        const e = unwrap(s.e);
        if (e.k === 'cond' && hasCall(e)) {
          const mk = (x: Expr): NodeId => {
            const rr = this.release(ctx.cleanups, this.add({ k: 'return', step: { kind: 'return', expr: x.text, text: `return ${x.text};`, ref: this.refOf(s.row) } }), s.row);
            return this.evalExpr(x, rr);
          };
          return this.cond(e.test, mk(e.then ?? e.test), mk(e.else), e.test.text);
        }
        return this.evalExpr(s.e, r);
      }
      // A break or continue whose loop (or switch) the patch does not show jumps into unseen code,
      // never into the lines that follow it.
      case 'break':
        if (ctx.brk === null) return this.add({ k: 'unseen', step: { kind: 'gap', lines: null, text: 'break: the enclosing loop or switch is not shown', ref: this.refOf(s.row) } });
        return this.release(ctx.cleanups.slice(ctx.brkBase), ctx.brk, s.row);
      case 'continue':
        if (ctx.cont === null) return this.add({ k: 'unseen', step: { kind: 'gap', lines: null, text: 'continue: the loop head is not shown', ref: this.refOf(s.row) } });
        return this.release(ctx.cleanups.slice(ctx.contBase), ctx.cont, s.row);
      case 'goto': {
        const l = this.labels.get(s.label);
        const leaving = ctx.cleanups.filter((c) => !c.labels?.has(s.label));
        if (l !== undefined) return this.release(leaving, l, s.row);
        return this.add({ k: 'unseen', step: { kind: 'gap', lines: null, text: `goto ${s.label}: label not shown`, ref: this.refOf(s.row) } });
      }
      case 'label': {
        const l = this.labels.get(s.name)!;
        const n = this.nodes[l] as { next: NodeId };
        n.next = s.stmt ? this.stmt(s.stmt, next, ctx) : next;
        return l;
      }
      case 'gap': {
        const meta = this.gapMeta(s.id) ?? { id: s.id, lines: null, text: 'code not shown', ref: this.refOf(s.row), where: 'between' as const };
        const step: Extract<Step, { kind: 'gap' }> = { kind: 'gap', lines: meta.lines, text: meta.text, ref: meta.ref };
        if (meta.declarationsOnly) {
          // declarations cannot branch, return or jump: only falling through
          step.declarationsOnly = true;
          return this.add({ k: 'gap', gap: meta, step, next, gotos: [], noExit: true });
        }
        const later = this.labelRows.filter((l) => l.row > s.row).map((l) => ({ label: l.name, node: this.labels.get(l.name)! }));
        const fall = meta.where === 'trailing' || nextIsLabel ? null : next;
        return this.add({ k: 'gap', gap: meta, step, next: fall, gotos: later, noExit: false });
      }
      case 'pp': {
        const t = this.seq(s.then, next, ctx);
        const f = s.else ? this.seq(s.else, next, ctx) : next;
        return this.add({ k: 'branch', cond: s.cond, text: s.cond, ref: this.refOf(s.row), facts: null, constTest: null, t, f, loop: null, bodyEdge: null });
      }
      case 'error': {
        let cur = next;
        for (let i = s.calls.length - 1; i >= 0; i--) cur = this.evalExpr(s.calls[i], cur);
        return cur;
      }
    }
  }

  private exprStmt(e: Expr, next: NodeId): NodeId {
    if (e.k === 'call') {
      if (BUG.test(e.callee)) return this.add({ k: 'bug', step: { kind: 'bug', text: e.text, ref: this.refOf(e.row) } });
      if (BUG_ON.test(e.callee) && e.args.length >= 1) {
        const b = this.add({ k: 'bug', step: { kind: 'bug', text: e.text, ref: this.refOf(e.row) } });
        return this.cond(e.args[0], b, next, e.text);
      }
      // WARN_ON(c) as a statement: c "should never happen" (coding-style.rst, WARN*() is for
      // this-should-never-happen situations), so the code that follows is written for !c. The path on
      // which c holds ends at the warning, like a BUG_ON: nothing is claimed about what follows it.
      if (WARN_STMT.test(e.callee) && e.args.length >= 1 && !/^WARN(_ONCE)?$/.test(e.callee)) {
        const w = this.add({ k: 'bug', step: { kind: 'bug', text: e.text, ref: this.refOf(e.row) } });
        return this.cond(e.args[0], w, next, e.text);
      }
      if (WARN_STMT.test(e.callee) && e.args.length >= 1) return this.evalExpr(e.args[0], next);
    }
    return this.evalExpr(e, next);
  }

  /** `name = init` (assignment or declaration). */
  private assignTo(lhs: string, rhs: Expr, text: string, row: number, next: NodeId): NodeId {
    const r = rhs.k === 'cast' ? unwrapCast(rhs) : rhs;
    if (r.k === 'call' && !TRANSPARENT.test(r.callee)) {
      const callNode = this.callNode(r, lhs, text, next);
      return this.evalArgs(r.args, callNode);
    }
    // `ret = !folio_trylock(folio)`: the call's answer is tested right here (its negation is stored),
    // so it becomes a branch on the call with the two constants: `if (!ret)` later folds on them.
    if (r.k === 'unary' && r.op === '!') {
      const inner = r.arg.k === 'cast' ? unwrapCast(r.arg) : r.arg;
      if (inner.k === 'call' && !TRANSPARENT.test(inner.callee) && !inner.callee.startsWith('__lockstep')) {
        const t = this.assignTo(lhs, { k: 'lit', text: '0', row }, `${lhs} = ${r.text}`, row, next);
        const f = this.assignTo(lhs, { k: 'lit', text: '1', row }, `${lhs} = ${r.text}`, row, next);
        return this.cond(inner, t, f, inner.text);
      }
    }
    if (r.k === 'cond' && hasCall(r)) {
      const t = this.assignTo(lhs, r.then ?? r.test, `${lhs} = ${(r.then ?? r.test).text}`, row, next);
      const f = this.assignTo(lhs, r.else, `${lhs} = ${r.else.text}`, row, next);
      return this.cond(r.test, t, f, r.test.text);
    }
    const constVal = r.k === 'lit' || (r.k === 'id' && isConstText(r.text)) || (r.k === 'unary' && r.op === '-' && isConstText(r.text)) ? r.text : null;
    const a = this.add({ k: 'assign', step: { kind: 'assign', lhs, rhs: rhs.text, text, ref: this.refOf(row) }, next, constVal });
    return this.evalExpr(rhs, a);
  }

  private callNode(e: Extract<Expr, { k: 'call' }>, assignTo: string | null, text: string, next: NodeId): NodeId {
    const kills = e.args.filter((a) => a.k === 'unary' && a.op === '&').map((a) => (a as { arg: Expr }).arg.text);
    const id = this.add({ k: 'call', step: { kind: 'call', call: { name: e.callee, args: e.args.map((a) => a.text) }, assignTo, text, ref: this.refOf(e.row) }, next, kills });
    this.exprNode.set(e, id);
    return id;
  }

  private evalArgs(args: Expr[], next: NodeId): NodeId {
    let cur = next;
    for (let i = args.length - 1; i >= 0; i--) cur = this.evalExpr(args[i], cur);
    return cur;
  }

  /** Evaluate an expression for its effects (calls, assignments), then continue at next. */
  evalExpr(e: Expr, next: NodeId): NodeId {
    switch (e.k) {
      case 'call': {
        if (e.callee.startsWith('__lockstep')) return next;
        if (TRANSPARENT.test(e.callee)) return this.evalArgs(e.args, next);
        if (/^WRITE_ONCE$/.test(e.callee) && e.args.length === 2) return this.assignTo(e.args[0].text, e.args[1], e.text, e.row, next);
        return this.evalArgs(e.args, this.callNode(e, null, e.text, next));
      }
      case 'assign': {
        const lhs = e.lhs.text;
        if (e.op === '=') {
          const a = this.assignTo(lhs, e.rhs, e.text, e.row, next);
          return hasCall(e.lhs) ? this.evalExpr(e.lhs, a) : a;
        }
        const a = this.add({ k: 'assign', step: { kind: 'assign', lhs, rhs: e.text.slice(e.text.indexOf(e.op) + e.op.length).trim(), text: e.text, ref: this.refOf(e.row) }, next, constVal: null });
        return this.evalExpr(e.rhs, a);
      }
      case 'binary':
        if ((e.op === '&&' || e.op === '||') && hasCall(e.right)) return this.cond(e, next, next, e.text);
        return this.evalExpr(e.left, this.evalExpr(e.right, next));
      case 'cond':
        if (hasCall(e.then ?? e.test) || hasCall(e.else)) {
          const t = e.then ? this.evalExpr(e.then, next) : next;
          return this.cond(e.test, t, this.evalExpr(e.else, next), e.test.text);
        }
        return this.evalExpr(e.test, next);
      case 'comma': {
        let cur = next;
        for (let i = e.exprs.length - 1; i >= 0; i--) cur = this.evalExpr(e.exprs[i], cur);
        return cur;
      }
      case 'unary':
      case 'cast':
        return this.evalExpr(e.arg, next);
      case 'update':
        return this.evalExpr(e.arg, this.add({ k: 'kill', names: [e.arg.text], next, ...(e.arg.k === 'id' ? { delta: /\+\+/.test(e.op) ? 1 : -1 } : {}) }));
      case 'other': {
        let cur = next;
        for (let i = e.subs.length - 1; i >= 0; i--) cur = this.evalExpr(e.subs[i], cur);
        return cur;
      }
      default:
        return next;
    }
  }

  // ───────────── conditions ─────────────

  /** Lower a condition: calls in it are evaluated first, then branch nodes (short-circuit). */
  cond(e0: Expr, t: NodeId, f: NodeId, whole: string, loop: number | null = null, body: NodeId | null = null): NodeId {
    const e = unwrap(e0);
    const lit = literalTruth(e);
    if (lit === true) return t;
    if (lit === false) return f;
    if (e.k === 'unary' && e.op === '!') {
      const inner = unwrap(e.arg);
      if ((inner.k === 'binary' && (inner.op === '&&' || inner.op === '||')) || (inner.k === 'unary' && inner.op === '!')) return this.cond(inner, f, t, whole, loop, body);
      const il = literalTruth(inner);
      if (il !== null) return il ? f : t;
    }
    if (e.k === 'binary' && e.op === '&&') return this.cond(e.left, this.cond(e.right, t, f, whole, loop, body), f, whole, loop, body);
    if (e.k === 'binary' && e.op === '||') return this.cond(e.left, t, this.cond(e.right, t, f, whole, loop, body), whole, loop, body);
    if (e.k === 'comma' && e.exprs.length > 0) {
      const last = e.exprs[e.exprs.length - 1];
      let cur = this.cond(last, t, f, whole, loop, body);
      for (let i = e.exprs.length - 2; i >= 0; i--) cur = this.evalExpr(e.exprs[i], cur);
      return cur;
    }
    if (e.k === 'cond' && e.then) {
      return this.cond(e.test, this.cond(e.then, t, f, whole, loop, body), this.cond(e.else, t, f, whole, loop, body), whole, loop, body);
    }
    const isUnknown = e.k === 'id' && e.name === UNKNOWN_COND;
    const b = this.add({
      k: 'branch',
      cond: isUnknown ? 'unseen condition' : e.text,
      text: isUnknown ? 'unseen condition' : whole,
      ref: this.refOf(e.row),
      facts: null,
      constTest: null,
      t,
      f,
      loop,
      bodyEdge: body === null ? null : t === body ? 't' : f === body ? 'f' : null,
    });
    const entry = this.evalExpr(e, b);
    const bn = this.nodes[b] as Extract<Node, { k: 'branch' }>;
    bn.facts = atomFacts(this, e);
    bn.constTest = constTestOf(e);
    return entry;
  }

}

export function buildCfg(fn: IrFunction, refOf: (row: number) => SrcRef, gapMeta: (id: number) => GapMeta | null): Cfg {
  return new CfgBuilder(fn, refOf, gapMeta).build();
}
