/*
 * stable-writes-race (seed 001, RFC "iomap: Enable stable writes for RWF_WRITETHROUGH inodes"):
 * one writethrough finishing (inode_writethrough_end) and N-1 starting (inode_writethrough_begin)
 * on one mapping with one writethrough in flight (i_wt_count = 1, AS_STABLE_WRITES set).
 *
 *   inode_writethrough_begin: mapping_set_stable_writes(); atomic_inc(&i_wt_count)
 *   inode_writethrough_end:   if (atomic_dec_and_test(&i_wt_count)) mapping_clear_stable_writes()
 *
 * As posted: E dec→0, B set, B inc→1, E clear leaves the count at 1 with stable writes clear (ST2).
 * --fixed: both sides run under one spinlock (the count and the bit change together).
 */
import type { Model, Move } from '../explorer';
import { Layout } from '../world';
import type { ScenarioDef } from './types';

const F_COUNT = 1, F_STABLE = 2, F_LOCK = 4;
const LOC_B = 'fs/iomap/buffered-io.c inode_writethrough_begin';
const LOC_E = 'fs/iomap/buffered-io.c inode_writethrough_end';

export function buildStableWrites(n: number, fixed: boolean): Model {
  const l = new Layout();
  const COUNT = l.slot('i_wt_count');
  const STABLE = l.slot('AS_STABLE_WRITES');
  const LOCK = l.slot('lock');
  const PC = l.slots('pc', n);
  const tasks = ['end', ...Array.from({ length: n - 1 }, (_, i) => `begin${i + 1}`)];
  const init = new Array<number>(l.size).fill(0);
  init[COUNT] = 1;
  init[STABLE] = 1;
  for (const p of PC) init[p] = fixed ? 0 : 1; // without the lock the body starts at once

  const lockStep = (t: number, loc: string, fn: string): Move =>
    ({ kind: 'step', op: `${fn}: spin_lock(&mapping->i_wt_lock)`, location: loc, footprint: F_LOCK, apply: (x) => { x[LOCK] = t + 1; x[PC[t]] = 1; } });

  function next(s: readonly number[], t: number): Move {
    const pc = s[PC[t]];
    // pc 0: (fixed) take the lock; steps 1..2 the body; 3 (fixed) unlock; 4 done.
    if (pc === 0) {
      if (s[LOCK]) return { kind: 'blocked', on: 'the i_wt lock', owner: s[LOCK] - 1 };
      return lockStep(t, t === 0 ? LOC_E : LOC_B, t === 0 ? 'inode_writethrough_end' : 'inode_writethrough_begin');
    }
    if (t === 0) {
      if (pc === 1)
        return {
          kind: 'step',
          op: `inode_writethrough_end: atomic_dec_and_test(&mapping->i_wt_count) → ${s[COUNT] - 1 === 0}`,
          location: LOC_E,
          footprint: F_COUNT,
          apply: (x) => { x[COUNT]--; x[PC[t]] = x[COUNT] === 0 ? 2 : 3; },
        };
      if (pc === 2)
        return { kind: 'step', op: 'inode_writethrough_end: mapping_clear_stable_writes(mapping)', location: LOC_E, footprint: F_STABLE, apply: (x) => { x[STABLE] = 0; x[PC[t]] = 3; } };
    } else {
      if (pc === 1)
        return { kind: 'step', op: 'inode_writethrough_begin: mapping_set_stable_writes(mapping)', location: LOC_B, footprint: F_STABLE, apply: (x) => { x[STABLE] = 1; x[PC[t]] = 2; } };
      if (pc === 2)
        return { kind: 'step', op: 'inode_writethrough_begin: atomic_inc(&mapping->i_wt_count)', location: LOC_B, footprint: F_COUNT, apply: (x) => { x[COUNT]++; x[PC[t]] = 3; } };
    }
    if (pc === 3) {
      if (!fixed) return { kind: 'done' };
      return { kind: 'step', op: 'spin_unlock(&mapping->i_wt_lock)', location: t === 0 ? LOC_E : LOC_B, footprint: F_LOCK, apply: (x) => { x[LOCK] = 0; x[PC[t]] = 4; } };
    }
    return { kind: 'done' };
  }

  return {
    name: 'stable-writes-race',
    tasks,
    init,
    next,
    invariants: [
      { name: 'count > 0 implies stable writes', check: (s) => (s[COUNT] > 0 && !s[STABLE] ? `i_wt_count is ${s[COUNT]} but AS_STABLE_WRITES is clear: writers and page faults no longer wait for the writethrough's writeback` : null) },
    ],
    atQuiescence: [{ name: 'no lock held at quiescence', check: (s) => (s[LOCK] ? 'the i_wt lock is still held' : null) }],
    display: (s) => ({ i_wt_count: String(s[COUNT]), AS_STABLE_WRITES: s[STABLE] ? 'set' : 'clear', ...(fixed ? { 'i_wt lock': s[LOCK] ? `held by ${tasks[s[LOCK] - 1]}` : 'free' } : {}) }),
  };
}

export const stableWritesRace: ScenarioDef = {
  name: 'stable-writes-race',
  description: 'A finishing and N-1 starting RWF_WRITETHROUGH writes race on i_wt_count and AS_STABLE_WRITES: finds the count left at 1 with stable writes cleared (seed 001).',
  seed: '001',
  fixedDescription: 'the count and the AS_STABLE_WRITES bit change together under one lock',
  defaultTasks: 2,
  minTasks: 2,
  maxTasks: 8,
  build: ({ tasks, fixed }) => buildStableWrites(tasks, fixed),
};
