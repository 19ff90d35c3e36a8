/*
 * Small, total evaluators the path runner needs:
 *  - three-valued evaluation of branch conditions over the entry variant (wbc->sync_mode, wreq->origin);
 *  - what a set of CallFacts says about a call result (abstract domain Z/N/P/E);
 *  - the return class of a return expression.
 * Nothing here throws on odd input: unknown stays unknown.
 */
import type { CallFact, Path } from '../types';
import type { ResultCondition } from './apiTable';

export type Tri = boolean | null;

/** Variant environment: 'sync_mode' → 'WB_SYNC_NONE', 'origin' → 'NETFS_WRITEBACK'. */
export type Env = Record<string, string>;

type Tok = { t: 'id' | 'op' | 'num'; v: string };

const RE_ID = /[A-Za-z_][A-Za-z0-9_]*/y;
const RE_NUM = /[0-9][0-9a-fA-FxXuUlL]*/y;
const TWO = new Set(['==', '!=', '&&', '||', '->', '<=', '>=']);
const ONE = '()!.,&*<>+-|~[]?:/%^';

function tokenize(s: string): Tok[] | null {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    const m2 = s.substr(i, 2);
    if (TWO.has(m2)) { out.push({ t: 'op', v: m2 }); i += 2; continue; }
    if (ONE.includes(c)) { out.push({ t: 'op', v: c }); i++; continue; }
    RE_ID.lastIndex = i;
    const id = RE_ID.exec(s);
    if (id) { out.push({ t: 'id', v: id[0] }); i += id[0].length; continue; }
    RE_NUM.lastIndex = i;
    const num = RE_NUM.exec(s);
    if (num) { out.push({ t: 'num', v: num[0] }); i += num[0].length; continue; }
    return null;
  }
  return out;
}

/** A term: known symbolic value (enum constant / variant value), a number, or unknown. */
type Val = { k: 'sym'; v: string } | { k: 'num'; v: number } | { k: 'bool'; v: Tri } | { k: 'unk' };

class Parser {
  i = 0;
  constructor(private toks: Tok[], private env: Env) {}
  peek(): Tok | undefined { return this.toks[this.i]; }
  eat(v: string): boolean { const t = this.peek(); if (t && t.t === 'op' && t.v === v) { this.i++; return true; } return false; }
  or(): Val { let a = this.and(); while (this.eat('||')) { const b = this.and(); a = bool(orT(truth(a), truth(b))); } return a; }
  and(): Val { let a = this.eq(); while (this.eat('&&')) { const b = this.eq(); a = bool(andT(truth(a), truth(b))); } return a; }
  eq(): Val {
    const a = this.unary();
    if (this.eat('==')) return bool(eqV(a, this.unary()));
    if (this.eat('!=')) { const r = eqV(a, this.unary()); return bool(r === null ? null : !r); }
    return a;
  }
  unary(): Val {
    if (this.eat('!')) { const t = truth(this.unary()); return bool(t === null ? null : !t); }
    return this.primary();
  }
  primary(): Val {
    const t = this.peek();
    if (!t) return { k: 'unk' };
    if (this.eat('(')) { const v = this.or(); this.eat(')'); return v; }
    if (t.t === 'num') { this.i++; const n = Number.parseInt(t.v, t.v.startsWith('0x') ? 16 : 10); return Number.isFinite(n) ? { k: 'num', v: n } : { k: 'unk' }; }
    if (t.t === 'id') {
      // A member chain a->b.c, or a call f(...) (unknown), or an identifier.
      const parts = [t.v];
      this.i++;
      for (;;) {
        if ((this.eat('->') || this.eat('.')) && this.peek()?.t === 'id') { parts.push(this.peek()!.v); this.i++; continue; }
        break;
      }
      if (this.peek()?.t === 'op' && this.peek()!.v === '(') { this.skipParens(); return { k: 'unk' }; }
      const last = parts[parts.length - 1];
      if (parts.length > 1 || !/^[A-Z][A-Z0-9_]*$/.test(last)) {
        if (last === 'sync_mode' && this.env.sync_mode) return { k: 'sym', v: this.env.sync_mode };
        if (last === 'origin' && this.env.origin) return { k: 'sym', v: this.env.origin };
        if (parts.length === 1 && last === 'true') return bool(true);
        if (parts.length === 1 && last === 'false') return bool(false);
        return { k: 'unk' };
      }
      return { k: 'sym', v: last };
    }
    // Something we do not model (casts, arithmetic): consume one token, unknown.
    this.i++;
    return { k: 'unk' };
  }
  skipParens(): void {
    let depth = 0;
    while (this.i < this.toks.length) {
      const t = this.toks[this.i++];
      if (t.t === 'op' && t.v === '(') depth++;
      else if (t.t === 'op' && t.v === ')') { depth--; if (depth === 0) return; }
    }
  }
}

const bool = (v: Tri): Val => ({ k: 'bool', v });
function truth(v: Val): Tri {
  if (v.k === 'bool') return v.v;
  if (v.k === 'num') return v.v !== 0;
  return null;
}
function orT(a: Tri, b: Tri): Tri { if (a === true || b === true) return true; if (a === false && b === false) return false; return null; }
function andT(a: Tri, b: Tri): Tri { if (a === false || b === false) return false; if (a === true && b === true) return true; return null; }
function eqV(a: Val, b: Val): Tri {
  if (a.k === 'sym' && b.k === 'sym') {
    const known = (s: string) => /^(WB_SYNC_|NETFS_)/.test(s);
    if (a.v === b.v) return true;
    return known(a.v) && known(b.v) ? false : null;
  }
  if (a.k === 'num' && b.k === 'num') return a.v === b.v;
  return null;
}

/** Evaluates a C condition against the variant: true, false, or null (unknown / not about the variant). */
const condCache = new Map<string, Tri>();

export function evalCondition(cond: string, env: Env): Tri {
  const ck = `${env.sync_mode ?? ''}\u0000${env.origin ?? ''}\u0000${cond}`;
  const hit = condCache.get(ck);
  if (hit !== undefined) return hit;
  const v = evalConditionUncached(cond, env);
  if (condCache.size > 50_000) condCache.clear();
  condCache.set(ck, v);
  return v;
}

function evalConditionUncached(cond: string, env: Env): Tri {
  const toks = tokenize(cond);
  if (!toks || toks.length === 0) return null;
  const p = new Parser(toks, env);
  const v = p.or();
  if (p.i < toks.length) return null; // trailing text we did not understand
  return truth(v);
}

// ───────────────────────────── call results ─────────────────────────────

/** Abstract result values: Z zero/NULL/false, N negative int, P positive int or valid pointer, E error pointer. */
const ALL = ['Z', 'N', 'P', 'E'] as const;
type A = (typeof ALL)[number];

function relSet(rel: CallFact['relation']): Set<A> | null {
  switch (rel) {
    case 'true': case 'nonzero': case 'nonnull': return new Set<A>(['N', 'P', 'E']);
    case 'false': case 'zero': case 'null': return new Set<A>(['Z']);
    case 'negative': return new Set<A>(['N']);
    case 'nonnegative': return new Set<A>(['Z', 'P']);
    case 'is-err': return new Set<A>(['E']);
    case 'not-err': return new Set<A>(['Z', 'N', 'P']);
    default: return null; // eq / ne: handled by value
  }
}

function constSet(value: string): Set<A> | null {
  const v = value.trim();
  if (v === '0' || v === 'NULL' || v === 'false') return new Set<A>(['Z']);
  if (/^-\s*(E[A-Z0-9]+|\d+)$/.test(v)) return new Set<A>(['N']);
  if (/^\d+$/.test(v) || v === 'true') return new Set<A>(['P']);
  return null;
}

export interface ResultKnowledge {
  /** Possible abstract values given the facts (empty = contradiction). */
  possible: A[];
  /** eq/ne facts on named constants. */
  eq: string[];
  ne: string[];
  /** Number of facts the path has about this call. */
  facts: number;
}

const DOMAINS: Record<string, A[]> = { errno: ['Z', 'N'], bool: ['Z', 'P'], pointer: ['Z', 'P'], 'err-pointer': ['P', 'E'] };

export function knowledgeOf(facts: CallFact[], extra?: CallFact['relation'], domain?: string): ResultKnowledge {
  let s = new Set<A>(domain && DOMAINS[domain] ? DOMAINS[domain] : ALL);
  const eq: string[] = [];
  const ne: string[] = [];
  const all = extra ? [...facts, { callStep: -1, relation: extra } as CallFact] : facts;
  for (const f of all) {
    let r = relSet(f.relation);
    if (!r && (f.relation === 'eq' || f.relation === 'ne') && f.value !== undefined) {
      const c = constSet(f.value);
      if (c) r = f.relation === 'eq' ? c : c.has('Z') && c.size === 1 ? new Set<A>(['N', 'P', 'E']) : null;
      else (f.relation === 'eq' ? eq : ne).push(f.value.trim());
    }
    if (r) s = new Set([...s].filter((x) => r!.has(x)));
  }
  return { possible: ALL.filter((x) => s.has(x)), eq, ne, facts: facts.length };
}

/** Does the result satisfy `cond`? true / false / null (the facts do not say). */
export function satisfies(k: ResultKnowledge, cond: ResultCondition): Tri {
  if ((cond.rel === 'eq' || cond.rel === 'ne') && cond.value !== undefined && !constSet(cond.value)) {
    const v = cond.value.trim();
    const isEq = k.eq.includes(v) ? true : k.ne.includes(v) || k.eq.length > 0 ? false : null;
    if (isEq === null) return null;
    return cond.rel === 'eq' ? isEq : !isEq;
  }
  let r = relSet(cond.rel);
  if (!r && cond.value !== undefined) {
    const c = constSet(cond.value);
    if (c) r = cond.rel === 'eq' ? c : new Set(ALL.filter((x) => !c.has(x) || c.size > 1));
  }
  if (!r) return null;
  if (k.possible.length === 0) return null;
  if (k.possible.every((x) => r!.has(x))) return true;
  if (k.possible.every((x) => !r!.has(x))) return false;
  return null;
}

// ───────────────────────────── return classes ─────────────────────────────

export type ReturnClass = 'success' | 'failure' | 'unknown';

function classOfConst(expr: string): ReturnClass | null {
  const e = expr.trim().replace(/^\((.*)\)$/, '$1').trim();
  if (/^ERR_PTR\s*\(/.test(e) || /^PTR_ERR\s*\(/.test(e) || /^-\s*E[A-Z0-9]+$/.test(e) || /^-\s*\d+$/.test(e)) return 'failure';
  if (e === 'NULL' || e === 'false') return 'failure';
  if (/^\d+$/.test(e) || e === 'true' || /^VM_FAULT_LOCKED$/.test(e)) return 'success';
  return null;
}

/** The class a call's result falls in, given what the path's branches tell about it. */
export function classOfFacts(facts: CallFact[]): ReturnClass {
  const k = knowledgeOf(facts);
  if (k.facts === 0 || k.possible.length === 0) return 'unknown';
  if (k.possible.every((x) => x === 'N' || x === 'E')) return 'failure';
  if (k.possible.every((x) => x === 'Z' || x === 'P')) return 'success';
  // A pointer known not to be an error (IS_ERR false) or non-NULL: success.
  if (facts.some((f) => f.relation === 'not-err' || f.relation === 'nonnull') && !k.possible.includes('E')) return 'success';
  return 'unknown';
}

/** Classifies the return at step `at` of the path (Smatch-style success / failure / unknown). */
export function returnClass(path: Path, at: number, expr: string | null, factsFor: (callStep: number) => CallFact[]): ReturnClass {
  if (expr === null || expr.trim() === '') return 'success';
  const c = classOfConst(expr);
  if (c) return c;
  const id = expr.trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(id)) return 'unknown';
  // The latest definition of the variable before the return (a call given &var may have set it).
  for (let i = at - 1; i >= 0; i--) {
    const s = path.steps[i];
    if (s.kind === 'assign' && s.lhs.trim() === id) return classOfConst(s.rhs) ?? 'unknown';
    if (s.kind === 'call' && s.call.args.some((a) => a.replace(/\s+/g, '') === `&${id}`)) return 'unknown';
    if (s.kind === 'gap') return 'unknown';
    if (s.kind === 'call' && s.assignTo !== null && s.assignTo.trim() === id) {
      return classOfFacts(factsFor(i));
    }
  }
  return 'unknown';
}

/** Does the return expression evaluate to this named constant (directly or through one assignment)? */
export function returnsConstant(path: Path, at: number, expr: string | null, name: string): boolean {
  if (expr === null) return false;
  const e = expr.trim();
  if (e === name) return true;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(e)) return false;
  for (let i = at - 1; i >= 0; i--) {
    const s = path.steps[i];
    if (s.kind === 'assign' && s.lhs.trim() === e) return s.rhs.trim() === name;
    if (s.kind === 'call' && s.assignTo !== null && s.assignTo.trim() === e) return false;
  }
  return false;
}

/** The literal value of a return expression when it is a small constant ("1"), following one assignment. */
export function returnLiteral(path: Path, at: number, expr: string | null): string | null {
  if (expr === null) return null;
  const e = expr.trim();
  if (/^-?\d+$/.test(e)) return e;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(e)) return null;
  for (let i = at - 1; i >= 0; i--) {
    const s = path.steps[i];
    if (s.kind === 'assign' && s.lhs.trim() === e) return /^-?\d+$/.test(s.rhs.trim()) ? s.rhs.trim() : null;
    if (s.kind === 'call' && s.assignTo !== null && s.assignTo.trim() === e) return null;
  }
  return null;
}
