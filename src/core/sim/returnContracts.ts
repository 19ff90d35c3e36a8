/*
 * Return contracts: which locks a function may return holding, decided over all of its paths at once.
 * Kernel functions that acquire for their caller say so in one of two ways:
 *  - sparse's context annotations on the definition: `__acquires(x)` (held at exit, not at entry) and
 *    `__must_hold(x)` (held at entry and exit), Documentation/dev-tools/sparse.rst;
 *  - consistency: every path that returns a given class leaves the caller's lock held
 *    (netfs_start_io_write() returns 0 with inode->i_rwsem held, a *_seq_start() returns with the list
 *    lock held, a lookup returns its folio locked). Smatch's check_locking calls a lock held on some
 *    returns of a class and released on others "inconsistent returns"; one held on all of them is the
 *    function's contract (Engler et al., "Bugs as deviant behavior", SOSP 2001: the majority is the rule).
 * A leak reported at a return is the function's contract, and not a finding, when:
 *  - an __acquires/__must_hold annotation names the lock; or
 *  - the return is not a failure return, the object is the caller's (a parameter or what it points to,
 *    a global, the returned object, or stored on the path into one of those), and every path of the
 *    same return class that touched the lock leaves it held (or, within the class, the held paths all
 *    return one literal value that no releasing path returns: `return 1` = locked, `return 0` = not).
 * Failure returns never hand a lock to the caller by inference: an error path that keeps a lock is
 * the classic bug, and only an annotation can say otherwise. A leak that is inconsistent with other
 * paths of its class says so, with the counts; when the object is the one returned and a good share of
 * the paths return it held too, the split is said as a note (no majority to infer a rule from).
 */
import type { FunctionAnalysis, Path, SimEvent } from '../types';
import { returnLiteral } from './conditions';
import { isGlobalName, objectKey, rootOf, type PathRun } from './pathModel';

/** Resources a function may legitimately return holding (the wb lock and iteration state have their own contracts). */
const RETURNABLE = new Set(['folio-lock', 'mutex', 'spinlock', 'bit-lock', 'rwsem', 'rcu', 'refcount']);

export interface RunOfPath { path: Path; run: PathRun }

export type ReturnVerdict =
  | { kind: 'contract'; why: string }
  | { kind: 'inconsistent'; released: number; total: number }
  /** The returned object itself, held on a good share of the returns of its class: a note, not a verdict. */
  | { kind: 'split'; held: number; total: number }
  | null;

/**
 * A returned object held on at least this share of the paths of its class that touch it is not a
 * deviant minority (Engler et al. rank deviations by how rare they are): whether a lookup returns its
 * folio locked is often an argument's choice (`__filemap_get_folio()` locks only under FGP_LOCK, and
 * unlocks a new folio again under FGP_FOR_MMAP), which the search cannot tell from the paths.
 */
const SPLIT_SHARE = 0.25;

const norm = (t: string): string => t.replace(/\s+/g, '');

function endLiteral(p: Path): string | null {
  const i = p.steps.length - 1;
  const s = p.steps[i];
  if (!s || s.kind !== 'return') return null;
  return returnLiteral(p, i, s.expr);
}

/** Is the object behind `key` the caller's on this path (so that returning it held can be a contract)? */
function callersObject(fn: FunctionAnalysis, p: Path, resource: string, key: string): boolean {
  const root = rootOf(key);
  if (!root) return false;
  const params = fn.params ?? [];
  if (params.includes(root)) return true;
  if (p.returnExpr !== null && objectKey(resource, p.returnExpr) === key) return true;
  const isCallers = (name: string | null): boolean => name !== null && (params.includes(name) || isGlobalName(fn, name));
  for (const s of p.steps) {
    if (s.kind === 'assign' && objectKey(resource, s.rhs) === key && isCallers(rootOf(s.lhs))) return true;
  }
  return isGlobalName(fn, root);
}

/** The state of the latest instance of a lock on a path (a lock dropped and taken again is held). */
function lastState(run: PathRun, resource: string, key: string): string | undefined {
  const f = run.final ?? [];
  for (let i = f.length - 1; i >= 0; i--) if (f[i].resource === resource && f[i].key === key) return f[i].status;
  return undefined;
}

/**
 * A return of a variable the path has just found non-zero (`if (ret) return ret;`, `if (err < 0)
 * return err;`), in a function where some success return gives back the same variable.
 */
function errnoReturn(p: Path, ended: RunOfPath[]): boolean {
  const x = p.returnExpr?.trim();
  if (!x || !/^[A-Za-z_]\w*$/.test(x)) return false;
  let nonzero = false;
  for (const st of p.steps) {
    if (st.kind === 'assign' && st.lhs.trim() === x) nonzero = false;
    if (st.kind === 'call' && st.assignTo?.trim() === x) nonzero = false;
    if (st.kind === 'assume') {
      const c = st.cond.replace(/\s+/g, '');
      if ((st.value && (c === x || c === `${x}<0` || c === `${x}!=0`)) || (!st.value && c === `!${x}`)) nonzero = true;
    }
  }
  return nonzero && ended.some((o) => o.path !== p && o.run.returnClass === 'success' && o.path.returnExpr?.trim() === x);
}

export function returnContracts(fn: FunctionAnalysis, runs: RunOfPath[]): (r: RunOfPath, e: SimEvent) => ReturnVerdict {
  const ann = fn.lockAnnotations;
  const annotated = new Set([...(ann?.acquires ?? []), ...(ann?.mustHold ?? [])].map(norm));
  const ended = runs.filter((r) => r.run.feasible && !r.run.skipped && (r.path.end === 'return' || r.path.end === 'fallthrough'));
  const literal = new Map<Path, string | null>();
  const litOf = (p: Path) => {
    if (!literal.has(p)) literal.set(p, endLiteral(p));
    return literal.get(p) ?? null;
  };
  // `if (ret) return ret;` where other paths return the same `ret` as their success: in the kernel's
  // errno convention the non-zero value is the error (a class the runner could not name is a failure).
  // Decided once per run, on first use.
  const classes = new Map<RunOfPath, string>();
  const classOf = (x: RunOfPath): string => {
    let c = classes.get(x);
    if (c === undefined) classes.set(x, (c = x.run.returnClass === 'unknown' && errnoReturn(x.path, ended) ? 'failure' : x.run.returnClass));
    return c;
  };
  return (r, e) => {
    if (e.kind !== 'leak' || !e.atReturn || !e.key || !RETURNABLE.has(e.resource)) return null;
    // The patch's own added release says the function must let it go: no contract to infer.
    if (e.byPatch) return null;
    // So does the function's role (->read_folio must unlock the folio it was given).
    if (e.byRole) return null;
    for (const a of annotated) {
      if (objectKey(e.resource, a) === e.key) return { kind: 'contract', why: `annotated __acquires(${a})` };
    }
    const cls = classOf(r);
    const touched = ended.filter((x) => classOf(x) === cls).map((x) => ({ x, st: lastState(x.run, e.resource, e.key!) }))
      .filter((t) => t.st !== undefined);
    const held = touched.filter((t) => t.st === 'held');
    const released = touched.filter((t) => t.st !== 'held');
    if (cls === 'failure') return released.length ? { kind: 'inconsistent', released: released.length, total: touched.length } : null;
    if (!callersObject(fn, r.path, e.resource, e.key)) return null;
    // An RCU read-side section is never handed to the caller by inference: a function that returns
    // inside one says so to sparse (`__acquires(RCU)`, as every seq_file ->start() that enters it does).
    // An annotation that names another lock still says the function returns holding one: code moved
    // from a lock to RCU often keeps its old annotation (`__acquires(cell->proc_lock)`).
    if (e.resource === 'rcu') {
      if ((ann?.acquires ?? []).length && released.length === 0) return { kind: 'contract', why: `annotated __acquires(${ann!.acquires![0]}): the function returns inside a section it entered, for its ->stop()` };
      return released.length ? { kind: 'inconsistent', released: released.length, total: touched.length } : null;
    }
    const paths = new Set(held.map((t) => t.x.path.id)).size;
    const what = `every ${cls === 'unknown' ? '' : `${cls} `}return that takes it (${paths} path${paths === 1 ? '' : 's'})`;
    if (released.length === 0) return { kind: 'contract', why: `returned held on ${what}: the function's contract, inferred` };
    const lit = litOf(r.path);
    if (lit !== null && held.every((t) => litOf(t.x.path) === lit) && released.every((t) => { const l = litOf(t.x.path); return l !== null && l !== lit; })) {
      return { kind: 'contract', why: `returned held whenever it returns ${lit} (${paths} path${paths === 1 ? '' : 's'}), released when it returns anything else: the function's contract, inferred` };
    }
    const total = new Set(touched.map((t) => t.x.path.id)).size;
    if (r.path.returnExpr !== null && objectKey(e.resource, r.path.returnExpr) === e.key && paths >= 2 && paths >= SPLIT_SHARE * total) return { kind: 'split', held: paths, total };
    return { kind: 'inconsistent', released: new Set(released.map((t) => t.x.path.id)).size, total };
  };
}
