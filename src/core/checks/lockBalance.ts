/*
 * lock-balance — mutexes, spinlocks and bit locks other than the netfs wb lock.
 *
 * Kernel rule: a lock taken on a path (mutex_lock, a successful mutex_trylock, spin_lock*,
 * test_and_set_bit_lock, ...) is released once by the same task before the function returns, unless
 * the function's contract returns it held; nothing is released twice or without being held. The
 * same holds for an RCU read-side critical section (include/linux/rcupdate.h: rcu_read_lock() marks
 * its beginning, the matching rcu_read_unlock() its end; each flavour ends only with its own unlock).
 *
 * Why it matters: a leaked mutex or spinlock hangs the next taker (or the CPU, for a spinlock); an
 * unlock without ownership corrupts the lock.
 *
 * Known false positives: locks that a function documents as returned held but the API table does not
 * list ("must be called with … held" contracts) are flagged until the table says so.
 */
import type { Check } from './types';
import { findingsFromEvents } from './fromEvents';
import { ofResources } from './selectors';

export const lockBalance: Check = {
  id: 'lock-balance',
  title: 'mutex, spinlock and bit-lock balance',
  rule: 'Every lock taken on a path is released once, by the same task, before the return.',
  run: (ctx) => findingsFromEvents(ctx, ofResources('mutex', 'spinlock', 'bit-lock', 'rwsem', 'rcu')),
};
