/*
 * The netfs wb lock hand-off, from the patch's own functions (kernel-model.md §6.2): writeback issuers
 * take the lock (FIFO hand-off to waiters), hand it to their write request (netfs_end_issue_write, or
 * setting NETFS_RREQ_ALL_QUEUED), and the collector ends it once per request. Two issuers race, and a
 * collector task picks up each request they issue. Every interleaving must end it exactly once: no
 * netfs_wb_end without the lock (WARN_ON_ONCE) or by a task that does not own it (two owners), and
 * nothing held or stranded when all tasks are done.
 */
import type { CallInfo } from '../types';
import type { CrossWorld, OpResult } from './program';

const L = 0, OWN = 1, Q0 = 2, QN = 3, PEND = 5, INF = 6;
/** Owner code of a lock handed to a write request (tasks are t + 1). */
export const REQ = 200;

const isTrue = (a: string | undefined) => /^(true|1)$/.test((a ?? '').trim());

export function wbHandoffWorld(tasks: string[], collectors: Set<number>): CrossWorld {
  const ownerTask = (s: readonly number[]) => (s[OWN] > 0 && s[OWN] <= tasks.length ? s[OWN] - 1 : -1);
  const who = (s: readonly number[]) =>
    s[OWN] === REQ ? 'the write request (until its collection)' : s[OWN] > 0 ? tasks[s[OWN] - 1] ?? `task ${s[OWN]}` : 'nobody';
  const release = (s: number[]) => {
    if (s[Q0]) {
      s[OWN] = s[Q0];
      for (let i = Q0; i < Q0 + QN - 1; i++) s[i] = s[i + 1];
      s[Q0 + QN - 1] = 0;
    } else {
      s[L] = 0;
      s[OWN] = 0;
    }
  };
  const begin = (call: CallInfo) => ({
    footprint: 1,
    apply: (s: number[], t: number, ph: number): OpResult => {
      if (s[ph] === 1) {
        if (s[OWN] === t + 1) {
          s[ph] = 0;
          return 1;
        }
        return { blocked: `the wb lock (queued behind ${who(s)})`, owner: ownerTask(s) };
      }
      if (s[L] === 0) {
        s[L] = 1;
        s[OWN] = t + 1;
        return 1;
      }
      if (isTrue(call.args[1])) return 0;
      let i = Q0;
      while (i < Q0 + QN && s[i]) i++;
      if (i === Q0 + QN) return { blocked: 'the wb lock (waiter queue full in the model)', owner: ownerTask(s) };
      s[i] = t + 1;
      s[ph] = 1;
      return { again: true };
    },
  });
  const end = () => ({
    footprint: 1,
    apply: (s: number[], t: number): OpResult => {
      if (s[L] === 0) return { violation: 'WARN_ON_ONCE(!test_bit(NETFS_ICTX_WB_LOCK, &ictx->flags)) in netfs_wb_end: the wb lock is not held' };
      const owned = s[OWN] === t + 1 || (collectors.has(t) && s[OWN] === REQ);
      const holder = who(s);
      release(s);
      return owned ? 0 : { violation: `netfs_wb_end by ${tasks[t]}, which does not own the wb lock (held by ${holder}): the lock is passed on while its owner still runs — two owners` };
    },
  });
  const handoff = () => ({
    footprint: 1,
    apply: (s: number[], t: number): OpResult => {
      if (s[OWN] === t + 1) s[OWN] = REQ;
      s[PEND]++;
      return 0;
    },
  });
  return {
    slots: ['wb lock', 'owner', 'queue 1', 'queue 2', 'queue 3', 'requests to collect', 'infeasible'],
    init: [0, 0, 0, 0, 0, 0, 0],
    infeasible: INF,
    op(call) {
      switch (call.name) {
        case 'netfs_wb_begin': return begin(call);
        case 'netfs_wb_end': return end();
        case 'netfs_end_issue_write': return handoff();
        case 'set_bit': return /NETFS_RREQ_ALL_QUEUED/.test(call.args[0] ?? '') ? handoff() : null;
        default: return null;
      }
    },
    invariants: [],
    atQuiescence: [
      { name: 'no wb lock held at quiescence', check: (s) => (s[L] ? `every task has finished but the wb lock is still held by ${who(s)}: the next writeback of the inode waits forever` : null) },
      { name: 'no request left uncollected', check: (s) => (s[PEND] ? `${s[PEND]} write request(s) were never collected` : null) },
    ],
    display: (s) => ({
      'wb lock': s[L] ? `held by ${who(s)}` : 'free',
      'waiters': [s[Q0], s[Q0 + 1], s[Q0 + 2]].filter(Boolean).map((x) => tasks[x - 1] ?? `task ${x}`).join(', ') || 'none',
      'requests to collect': String(s[PEND]),
    }),
  };
}
