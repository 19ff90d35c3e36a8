/*
 * Worlds for cross-task checks built from the patch's own functions: the shared state that the
 * functions race on, and what each kernel call the world knows does to it. Plain data in, a
 * CrossWorld out. Locks met in the programs (spin_lock, mutex_lock and friends, keyed by their
 * argument text) are modelled too, so that a fix that serialises the race is seen to hold.
 */
import type { CallInfo } from '../types';
import type { CrossWorld } from './program';

const LOCKS = new Map<string, 'acquire' | 'release'>([
  ['spin_lock', 'acquire'], ['spin_lock_irq', 'acquire'], ['spin_lock_irqsave', 'acquire'], ['spin_lock_bh', 'acquire'],
  ['mutex_lock', 'acquire'], ['down_write', 'acquire'], ['down_read', 'acquire'],
  ['spin_unlock', 'release'], ['spin_unlock_irq', 'release'], ['spin_unlock_irqrestore', 'release'], ['spin_unlock_bh', 'release'],
  ['mutex_unlock', 'release'], ['up_write', 'release'], ['up_read', 'release'],
]);

const norm = (a: string | undefined) => (a ?? '').replace(/\s+/g, '');

/** The i_wt_count / AS_STABLE_WRITES pair of the writethrough RFC (kernel-model.md §10.3). */
export function stableWritesWorld(calls: CallInfo[], init: { count: number; stable: boolean }): CrossWorld {
  const slots = ['AS_STABLE_WRITES', 'i_wt_count'];
  const lockSlot = new Map<string, number>();
  for (const c of calls) {
    if (LOCKS.has(c.name) && !lockSlot.has(norm(c.args[0]))) {
      lockSlot.set(norm(c.args[0]), slots.length);
      slots.push(`lock ${c.args[0]}`);
    }
  }
  const S = 0, C = 1;
  const isCount = (c: CallInfo) => /\bi_wt_count\b/.test(c.args[0] ?? '');
  const lockBit = (i: number) => 1 << Math.min(i, 30);
  return {
    slots,
    init: [init.stable ? 1 : 0, init.count, ...new Array(slots.length - 2).fill(0)],
    op(call) {
      const lk = LOCKS.get(call.name);
      if (lk) {
        const i = lockSlot.get(norm(call.args[0]))!;
        return {
          footprint: lockBit(i),
          apply: (s: number[], t: number) => {
            if (lk === 'acquire') {
              if (s[i] !== 0) return { blocked: `${call.name}(${call.args[0]})`, owner: s[i] - 1 };
              s[i] = t + 1;
            } else s[i] = 0;
            return 0;
          },
        };
      }
      switch (call.name) {
        case 'mapping_set_stable_writes': return { footprint: 1, apply: (s) => { s[S] = 1; return 0; } };
        case 'mapping_clear_stable_writes': return { footprint: 1, apply: (s) => { s[S] = 0; return 0; } };
        case 'atomic_inc':
          return isCount(call) ? { footprint: 2, apply: (s) => { s[C]++; return 0; } } : null;
        case 'atomic_inc_return':
          return isCount(call) ? { footprint: 2, apply: (s) => ++s[C] } : null;
        case 'atomic_dec':
          return isCount(call) ? { footprint: 2, apply: (s) => { s[C] = Math.max(0, s[C] - 1); return 0; } } : null;
        case 'atomic_dec_and_test':
          return isCount(call) ? { footprint: 2, apply: (s) => { s[C] = Math.max(0, s[C] - 1); return s[C] === 0 ? 1 : 0; } } : null;
        case 'atomic_dec_return':
          return isCount(call) ? { footprint: 2, apply: (s) => { s[C] = Math.max(0, s[C] - 1); return s[C]; } } : null;
        default: return null;
      }
    },
    invariants: [{
      name: 'count > 0 implies stable writes',
      check: (s) => (s[C] > 0 && s[S] === 0
        ? `i_wt_count is ${s[C]} but AS_STABLE_WRITES is clear: writers and write faults stop waiting for the writethrough's writeback, so the data can change under I/O`
        : null),
    }],
    display: (s) => {
      const d: Record<string, string> = { 'i_wt_count': String(s[C]), 'stable writes': s[S] ? 'set' : 'clear' };
      for (const [name, i] of lockSlot) d[`lock ${name}`] = s[i] ? `held by task ${s[i]}` : 'free';
      return d;
    },
  };
}
