/*
 * What a branch tells about a call result, and whether two such facts can both hold. Values are
 * abstracted to four atoms: zero, positive/valid pointer, error value (-E… / ERR_PTR), other negative.
 */
import type { CallFact } from '../types';

export type Relation = CallFact['relation'];

const Z = 1;
const P = 2;
const E = 4;
const N = 8;
const ALL = Z | P | E | N;

const ZERO_TEXT = /^(0|0[xX]0+|NULL|false|0UL|0L|0U)$/;
const ERRNO_TEXT = /^-\s*(E[A-Z0-9]+|\d+)$/;

function valueMask(v: string): number {
  if (ZERO_TEXT.test(v)) return Z;
  if (ERRNO_TEXT.test(v)) return E | N;
  if (/^(\d+|true)$/.test(v)) return P;
  return ALL;
}

export function relationMask(rel: Relation, value?: string): number {
  switch (rel) {
    case 'true':
    case 'nonzero':
    case 'nonnull':
      return P | E | N;
    case 'false':
    case 'zero':
    case 'null':
      return Z;
    case 'negative':
      return E | N;
    case 'nonnegative':
      return Z | P;
    case 'is-err':
      return E;
    case 'not-err':
      return Z | P | N;
    case 'eq':
      return valueMask(value ?? '');
    case 'ne': {
      const m = valueMask(value ?? '');
      return m === Z ? P | E | N : ALL;
    }
  }
}

export function negate(rel: Relation): Relation {
  switch (rel) {
    case 'true': return 'false';
    case 'false': return 'true';
    case 'zero': return 'nonzero';
    case 'nonzero': return 'zero';
    case 'null': return 'nonnull';
    case 'nonnull': return 'null';
    case 'negative': return 'nonnegative';
    case 'nonnegative': return 'negative';
    case 'is-err': return 'not-err';
    case 'not-err': return 'is-err';
    case 'eq': return 'ne';
    case 'ne': return 'eq';
  }
}

/** Accumulated knowledge about one call result on one path. */
export interface ValueState {
  mask: number;
  eq: string | null;
  ne: string[];
}

/** The values `IS_ERR_OR_NULL(x)` is true for: an ERR_PTR or NULL. */
export const ERR_OR_NULL = Z | E;
/** The values `x <= 0` is true for: zero, an errno, another negative value. */
export const NOT_POSITIVE = Z | E | N;

/** Restrict to a set of values (no fact to report); null when none is left. */
export function restrict(s: ValueState, mask: number): ValueState | null {
  const m = s.mask & mask;
  return m === 0 ? null : { ...s, mask: m };
}

export function freshValue(): ValueState {
  return { mask: ALL, eq: null, ne: [] };
}

/** Add a fact; returns the new state, or null when the facts contradict each other. */
export function addFact(s: ValueState, rel: Relation, value?: string): ValueState | null {
  const mask = s.mask & relationMask(rel, value);
  if (mask === 0) return null;
  let eq = s.eq;
  let ne = s.ne;
  if (rel === 'eq' && value !== undefined) {
    if ((eq !== null && eq !== value) || ne.includes(value)) return null;
    eq = value;
  } else if (rel === 'ne' && value !== undefined) {
    if (eq === value) return null;
    if (!ne.includes(value)) ne = [...ne, value];
  }
  return { mask, eq, ne };
}

export function describeRelation(rel: Relation, value?: string): string {
  switch (rel) {
    case 'eq': return `== ${value}`;
    case 'ne': return `!= ${value}`;
    default: return rel;
  }
}
