/*
 * Conditions: transparent wrappers (likely, WARN_ON, IS_ERR...), constants, and what an atomic
 * condition tells about a call result (the facts a branch attaches to its assume step).
 */
import type { Expr } from '../c/ir';
import type { Relation } from './facts';
import { ERR_OR_NULL, NOT_POSITIVE, negate } from './facts';
import type { AtomFacts, NodeId, Subject } from './graph';

/** What atomFacts needs from the builder: call nodes created for expressions, local kinds. */
export interface AtomCtx {
  exprNode: Map<Expr, NodeId>;
  varKinds: Record<string, 'pointer' | 'bool' | 'int'>;
}

export const TRANSPARENT = /^(likely|unlikely|IS_ERR|IS_ERR_OR_NULL|IS_ERR_VALUE|WARN_ON|WARN_ON_ONCE|WARN|WARN_ONCE|WARN_ON_SMP|READ_ONCE|data_race|__builtin_expect|ACCESS_ONCE)$/;
export const COND_WRAPPER = /^(likely|unlikely|WARN_ON|WARN_ON_ONCE|WARN_ON_SMP|__builtin_expect)$/;
export const BUG_ON = /^(BUG_ON|VM_BUG_ON|VM_BUG_ON_FOLIO|VM_BUG_ON_PAGE|VM_BUG_ON_VMA|VM_BUG_ON_MM)$/;
export const BUG = /^(BUG|panic)$/;
export const WARN_STMT = /^(WARN_ON|WARN_ON_ONCE|WARN|WARN_ONCE|WARN_ON_SMP)$/;
export const CMP = new Set(['==', '!=', '<', '>=', '>', '<=']);

export { UNKNOWN_COND } from '../c/preprocess';

export function unwrap(e: Expr): Expr {
  for (;;) {
    if (e.k === 'cast') e = e.arg;
    else if (e.k === 'call' && COND_WRAPPER.test(e.callee) && e.args.length >= 1) e = e.args[0];
    else if (e.k === 'unary' && e.op === '!' && e.arg.k === 'unary' && e.arg.op === '!') e = e.arg.arg;
    else return e;
  }
}

export function hasCall(e: Expr): boolean {
  switch (e.k) {
    case 'call': return true;
    case 'assign': return hasCall(e.lhs) || hasCall(e.rhs);
    case 'binary': return hasCall(e.left) || hasCall(e.right);
    case 'unary': case 'update': case 'cast': return hasCall(e.arg);
    case 'cond': return hasCall(e.test) || (e.then !== null && hasCall(e.then)) || hasCall(e.else);
    case 'comma': return e.exprs.some(hasCall);
    case 'other': return e.subs.some(hasCall);
    default: return false;
  }
}

export function isConstText(s: string): boolean {
  return /^(-?\s*\d[\w.]*|NULL|true|false|-\s*E[A-Z0-9]+|[A-Z][A-Z0-9_]*|'.*')$/.test(s);
}

export function literalTruth(e: Expr): boolean | null {
  if (e.k !== 'lit') return null;
  if (/^(0+|0[xX]0+|false|NULL)$/.test(e.text)) return false;
  if (/^(\d+|0[xX][0-9a-fA-F]+|true)[uUlL]*$/.test(e.text)) return true;
  return null;
}

export function unwrapCast(e: Expr): Expr {
  while (e.k === 'cast') e = e.arg;
  return e;
}

/**
 * The name a constant test reads: a local (`err`), or a field of one (`trans->removing_chunk`, as
 * written without spaces), whose constant the path assigned (`trans->removing_chunk = false;`).
 */
function testedName(e: Expr): string | null {
  if (e.k === 'id' && !isConstText(e.text)) return e.name;
  const t = e.text.replace(/\s+/g, '');
  return /^[A-Za-z_]\w*(?:(?:->|\.)[A-Za-z_]\w*)+$/.test(t) ? t : null;
}

export function constTestOf(e0: Expr): { name: string; negated: boolean; eq: string | null } | null {
  const e = unwrap(e0);
  const n0 = testedName(e);
  if (n0) return { name: n0, negated: false, eq: null };
  if (e.k === 'unary' && e.op === '!') {
    const n1 = testedName(unwrap(e.arg));
    if (n1) return { name: n1, negated: true, eq: null };
  }
  if (e.k === 'binary' && (e.op === '==' || e.op === '!=')) {
    const l = unwrap(e.left);
    const r = unwrap(e.right);
    const n2 = testedName(l);
    if (n2 && isConstText(r.text)) return { name: n2, negated: e.op === '!=', eq: r.text };
  }
  return null;
}

export function subjectOf(x: AtomCtx, e0: Expr): Subject | null {
  const e = e0.k === 'cast' ? unwrapCast(e0) : e0;
  if (e.k === 'call') {
    const n = x.exprNode.get(e);
    return n !== undefined ? { kind: 'call', node: n } : null;
  }
  if (e.k === 'assign' && e.op === '=') return { kind: 'var', name: e.lhs.text };
  if (e.k === 'id' || e.k === 'other') {
    if (e.k === 'id' && isConstText(e.text)) return null;
    if (e.k === 'other' && !/^[\w.>-]+$/.test(e.text.replace(/\s/g, ''))) return null;
    return { kind: 'var', name: e.text };
  }
  return null;
}

function truthy(x: AtomCtx, s: Subject): Relation {
  if (s.kind === 'call') return 'true';
  const k = x.varKinds[s.name];
  return k === 'pointer' ? 'nonnull' : k === 'bool' ? 'true' : 'nonzero';
}

export function atomFacts(x: AtomCtx, e0: Expr): AtomFacts | null {
  const e = unwrap(e0);
  if (e.k === 'unary' && e.op === '!') {
    const inner = atomFacts(x, e.arg);
    return inner ? { subject: inner.subject, onTrue: inner.onFalse, onFalse: inner.onTrue, ...(inner.falseMask !== undefined ? { trueMask: inner.falseMask } : {}), ...(inner.trueMask !== undefined ? { falseMask: inner.trueMask } : {}) } : null;
  }
  if (e.k === 'call' && /^(IS_ERR|IS_ERR_VALUE)$/.test(e.callee) && e.args.length === 1) {
    const s = subjectOf(x, unwrap(e.args[0]));
    return s ? { subject: s, onTrue: [{ rel: 'is-err' }], onFalse: [{ rel: 'not-err' }] } : null;
  }
  if (e.k === 'call' && e.callee === 'IS_ERR_OR_NULL' && e.args.length === 1) {
    // False: a valid pointer (not an ERR_PTR, not NULL). True: one or the other, which no single fact says.
    const s = subjectOf(x, unwrap(e.args[0]));
    return s ? { subject: s, onTrue: [], onFalse: [{ rel: 'not-err' }, { rel: 'nonnull' }], trueMask: ERR_OR_NULL } : null;
  }
  if (e.k === 'binary' && CMP.has(e.op)) {
    let l = unwrap(e.left);
    let r = unwrap(e.right);
    let op = e.op;
    if (isConstText(l.text) && !isConstText(r.text)) {
      [l, r] = [r, l];
      op = op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op;
    }
    if (!isConstText(r.text)) return null;
    const s = subjectOf(x, l);
    if (!s) return null;
    const v = r.text.replace(/\s+/g, '');
    const zero = /^(0|NULL|false)$/.test(v);
    const tr: Relation = v === 'NULL' ? 'nonnull' : v === 'false' ? 'true' : s.kind === 'call' ? 'nonzero' : truthy(x, s);
    const fr = negate(tr);
    switch (op) {
      case '==':
        return zero ? { subject: s, onTrue: [{ rel: fr }], onFalse: [{ rel: tr }] } : { subject: s, onTrue: [{ rel: 'eq', value: v }], onFalse: [{ rel: 'ne', value: v }] };
      case '!=':
        return zero ? { subject: s, onTrue: [{ rel: tr }], onFalse: [{ rel: fr }] } : { subject: s, onTrue: [{ rel: 'ne', value: v }], onFalse: [{ rel: 'eq', value: v }] };
      case '<':
        return zero ? { subject: s, onTrue: [{ rel: 'negative' }], onFalse: [{ rel: 'nonnegative' }] } : null;
      case '>=':
        return zero ? { subject: s, onTrue: [{ rel: 'nonnegative' }], onFalse: [{ rel: 'negative' }] } : null;
      // (Not positive is zero or negative, which no single relation says: the mask keeps it, so that
      // `if (ret) …; if (ret < 0) …; if (ret > 0) …;` leaves no path where ret is none of them.)
      case '>':
        return zero ? { subject: s, onTrue: [{ rel: 'nonnegative' }, { rel: 'nonzero' }], onFalse: [], falseMask: NOT_POSITIVE } : null;
      case '<=':
        return zero ? { subject: s, onTrue: [], onFalse: [{ rel: 'nonnegative' }, { rel: 'nonzero' }], trueMask: NOT_POSITIVE } : null;
    }
    return null;
  }
  const s = subjectOf(x, e);
  if (!s) return null;
  const tr = truthy(x, s);
  return { subject: s, onTrue: [{ rel: tr }], onFalse: [{ rel: negate(tr) }] };
}
