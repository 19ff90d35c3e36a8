/*
 * wb-handoff (seed 000, "[PATCH v4 07/30] netfs: Replace wb_lock with a bit lock"): N writeback
 * tasks of both sync modes (->writepages, single-object writeback, and a DIO write whose request
 * goes through the same collector) on one netfs inode, plus the write collector.
 *
 * netfs_wb_begin / netfs_wb_begin_wait / netfs_wb_end follow kernel-model.md §6.2: a fast
 * test_and_set_bit_lock, a FIFO of waiters under ictx->lock, hand-off to the first waiter (the bit
 * stays set) or clear_bit_unlock. The spinlocked sections are single steps (the spinlock serialises
 * them); the fast path is one atomic step.
 *
 * As posted (default): the collector calls netfs_wb_end() for every request, DIO included, and the
 * single-object skip path returns 1 without re-dirtying the inode.
 * --fixed: netfs_wb_end() only for WRITEBACK / WRITEBACK_SINGLE / WRITETHROUGH requests, and the skip
 * path calls netfs_single_mark_inode_dirty().
 */
import type { Model, Move } from '../explorer';
import { Layout } from '../world';
import type { ScenarioDef } from './types';

type Role = 'wp-none' | 'wp-all' | 'single-none' | 'single-all' | 'dio';
const ROLE_CYCLE: Role[] = ['wp-none', 'wp-all', 'single-none', 'dio', 'wp-all', 'wp-none', 'single-all', 'wp-all', 'wp-none', 'wp-all'];

// Program counters.
const P_VFS = 0, P_FAST = 1, P_WAITQ = 2, P_WAITING = 3, P_GRANTED = 4, P_HOLD = 5, P_WAITWB = 6, P_WRITE = 7, P_OUT = 8, P_DONE = 9, P_DIO = 10, P_ISSUE = 11, P_OUT2 = 12;
const OWNING = new Set([P_GRANTED, P_HOLD, P_WAITWB, P_WRITE, P_ISSUE, P_OUT, P_OUT2]);

// Footprint bits.
const F_BIT = 1, F_WQ = 2, F_CQ = 4, F_FOLIO = 8, F_INODE = 16;
const F_PC = (k: number) => 1 << (5 + k);

const LOC = {
  begin: 'fs/netfs/locking.c netfs_wb_begin',
  wait: 'fs/netfs/locking.c netfs_wb_begin_wait',
  end: 'fs/netfs/locking.c netfs_wb_end',
  writepages: 'fs/netfs/write_issue.c netfs_writepages',
  single: 'fs/netfs/write_issue.c netfs_writeback_single',
  iter: 'mm/page-writeback.c writeback_iter',
  collect: 'fs/netfs/write_collect.c netfs_write_collection',
  dio: 'fs/netfs/direct_write.c netfs_unbuffered_write',
  vfs: 'fs/fs-writeback.c __writeback_single_inode',
};

export function buildWbHandoff(n: number, fixed: boolean): Model {
  const roles: Role[] = Array.from({ length: n }, (_, i) => ROLE_CYCLE[i % ROLE_CYCLE.length]);
  const l = new Layout();
  const BIT = l.slot('bit');
  const INODE_DIRTY = l.slot('inode.dirty');
  const INODE_PENDING = l.slot('inode.pending');
  const PAGE_DIRTY = l.slot('folio.dirty');
  const FOLIO_LOCK = l.slot('folio.lock');
  const FOLIO_WB = l.slot('folio.wb');
  const COLPC = l.slot('collector.pc');
  const WQ = l.slots('wq', n);
  const CQ = l.slots('cq', n);
  const PC = l.slots('pc', n);
  const REQFOLIO = l.slots('reqfolio', n);
  const COLLECTOR = n;
  const tasks = [
    ...roles.map((r, i) => {
      const k = i + 1;
      switch (r) {
        case 'wp-none': return `wb${k} (NONE)`;
        case 'wp-all': return `wb${k} (ALL)`;
        case 'single-none': return `single${k} (NONE)`;
        case 'single-all': return `single${k} (ALL)`;
        case 'dio': return `dio${k}`;
      }
    }),
    'collector',
  ];

  const init = new Array<number>(l.size).fill(0);
  init[INODE_DIRTY] = 1;
  init[INODE_PENDING] = 1;
  init[PAGE_DIRTY] = 1;
  roles.forEach((r, i) => { init[PC[i]] = r === 'dio' ? P_DIO : r.startsWith('single') ? P_VFS : P_FAST; });

  const isNone = (k: number) => roles[k].endsWith('none');
  const isSingle = (k: number) => roles[k].startsWith('single');
  const owningReq = (k: number) => roles[k] !== 'dio';

  const qLen = (s: readonly number[], base: number[]) => { let c = 0; while (c < n && s[base[c]] !== 0) c++; return c; };
  const push = (s: number[], base: number[], v: number) => { const c = qLen(s, base); s[base[c]] = v; };
  const shift = (s: number[], base: number[]) => { for (let i = 0; i < n - 1; i++) s[base[i]] = s[base[i + 1]]; s[base[n - 1]] = 0; };

  /** netfs_wb_end(), first part (outside the spinlock): the kernel's assertion. */
  const wbEndCheck = (s: number[]): string | undefined =>
    s[BIT] === 0 ? 'WARN_ON_ONCE(!test_bit(NETFS_ICTX_WB_LOCK, &ictx->flags)) in netfs_wb_end: the wb lock is not held' : undefined;
  /** netfs_wb_end(), under ictx->lock: hand to the first waiter (the bit stays set) or clear the bit. */
  const wbEnd = (s: number[]): string | undefined => {
    if (s[WQ[0]] !== 0) {
      const w = s[WQ[0]] - 1;
      shift(s, WQ);
      s[PC[w]] = P_GRANTED; // smp_store_release(&waiter->waiter, NULL); wake_up_process()
    } else s[BIT] = 0;
    return undefined;
  };
  const wbEndFootprint = (s: readonly number[]) => F_BIT | F_WQ | (s[WQ[0]] ? F_PC(s[WQ[0]] - 1) : 0);

  function writerMove(s: readonly number[], k: number): Move {
    const pc = s[PC[k]];
    const me = k + 1;
    switch (pc) {
      case P_VFS:
        return {
          kind: 'step',
          op: s[INODE_DIRTY] ? 'VFS un-dirties the inode (I_DIRTY cleared) and calls netfs_writeback_single()' : 'inode is clean: nothing to write back',
          location: LOC.vfs,
          footprint: F_INODE,
          apply: (x) => { if (x[INODE_DIRTY]) { x[INODE_DIRTY] = 0; x[PC[k]] = P_FAST; } else x[PC[k]] = P_DONE; },
        };
      case P_FAST: {
        const nowait = isNone(k);
        return {
          kind: 'step',
          op: () => `netfs_wb_begin(ictx, nowait=${nowait}): test_and_set_bit_lock(NETFS_ICTX_WB_LOCK) → ${s[BIT] ? 'already set' : 'acquired'}${s[BIT] && nowait ? (isSingle(k) ? (fixed ? '; skip: netfs_single_mark_inode_dirty(), return 1' : '; skip: return 1 (inode not re-dirtied)') : '; skip: return 0 (folios stay dirty)') : ''}`,
          location: LOC.begin,
          footprint: F_BIT | (s[BIT] && nowait && isSingle(k) ? F_INODE : 0),
          apply: (x) => {
            if (!x[BIT]) { x[BIT] = 1; x[PC[k]] = P_HOLD; return; }
            if (nowait) {
              if (isSingle(k) && fixed) x[INODE_DIRTY] = 1;
              x[PC[k]] = P_DONE;
              return;
            }
            x[PC[k]] = P_WAITQ;
          },
        };
      }
      case P_WAITQ:
        return {
          kind: 'step',
          op: () => `netfs_wb_begin_wait(ictx): under ictx->lock, ${s[BIT] ? 'bit set: queue on ictx->wb_queue and sleep' : 'bit clear: acquired'}`,
          location: LOC.wait,
          footprint: F_BIT | F_WQ,
          apply: (x) => { if (!x[BIT]) { x[BIT] = 1; x[PC[k]] = P_HOLD; } else { push(x, WQ, me); x[PC[k]] = P_WAITING; } },
        };
      case P_WAITING:
        return { kind: 'blocked', on: 'the wb lock (queued in netfs_wb_begin_wait; stranded unless an owner ends it)', owner: -1 };
      case P_GRANTED:
      case P_HOLD: {
        const woke = pc === P_GRANTED ? 'wakes owning the wb lock (handed over); ' : '';
        if (isSingle(k)) {
          return {
            kind: 'step',
            op: () => `${woke}netfs_create_write_req(NETFS_WRITEBACK_SINGLE), write the buffer, set ALL_QUEUED: wb lock handed to the wreq`,
            location: LOC.single,
            footprint: F_INODE | F_CQ,
            apply: (x) => { x[INODE_PENDING] = 0; push(x, CQ, me); x[PC[k]] = P_DONE; },
          };
        }
        // writeback_iter(): the folio is tagged dirty → lock it (blocking) and prepare it.
        if (!s[PAGE_DIRTY]) {
          return { kind: 'step', op: () => `${woke}writeback_iter() → NULL (nothing dirty): goto out`, location: LOC.iter, footprint: F_FOLIO, apply: (x) => { x[PC[k]] = P_OUT; } };
        }
        if (s[FOLIO_LOCK]) return { kind: 'blocked', on: 'the folio lock (writeback_iter → folio_lock)', owner: s[FOLIO_LOCK] - 1 };
        if (s[FOLIO_WB] && isNone(k)) {
          return { kind: 'step', op: () => `${woke}writeback_iter(): folio under writeback, WB_SYNC_NONE skips it → NULL: goto out`, location: LOC.iter, footprint: F_FOLIO, apply: (x) => { x[PC[k]] = P_OUT; } };
        }
        if (s[FOLIO_WB]) {
          return { kind: 'step', op: () => `${woke}writeback_iter(): folio_lock(folio); under writeback, WB_SYNC_ALL waits for it (holding the folio lock)`, location: LOC.iter, footprint: F_FOLIO, apply: (x) => { x[FOLIO_LOCK] = me; x[PC[k]] = P_WAITWB; } };
        }
        return {
          kind: 'step',
          op: () => `${woke}writeback_iter() → folio: folio_lock, folio_clear_dirty_for_io (locked, dirty cleared)`,
          location: LOC.iter,
          footprint: F_FOLIO,
          apply: (x) => { x[FOLIO_LOCK] = me; x[PAGE_DIRTY] = 0; x[PC[k]] = P_WRITE; },
        };
      }
      case P_WRITE:
        return {
          kind: 'step',
          op: 'netfs_create_write_req(NETFS_WRITEBACK); netfs_write_folio(): folio_start_writeback(folio), folio_unlock(folio)',
          location: LOC.writepages,
          footprint: F_FOLIO,
          apply: (x) => {
            if (x[FOLIO_WB]) return 'kernel BUG: VM_BUG_ON_FOLIO(folio_test_writeback(folio)) in __folio_start_writeback';
            if (x[FOLIO_LOCK] !== me) return 'kernel BUG: VM_BUG_ON_FOLIO(!folio_test_locked(folio)) in __folio_start_writeback';
            x[FOLIO_WB] = 1; x[FOLIO_LOCK] = 0; x[REQFOLIO[k]] = 1; x[PC[k]] = P_ISSUE;
            return undefined;
          },
        };
      case P_ISSUE:
        return {
          kind: 'step',
          op: 'writeback_iter() → NULL; netfs_end_issue_write(wreq): ALL_QUEUED, the wb lock now belongs to the wreq (the collector ends it)',
          location: LOC.writepages,
          footprint: F_FOLIO | F_CQ,
          apply: (x) => { push(x, CQ, me); x[PC[k]] = P_DONE; },
        };
      case P_WAITWB:
        if (s[FOLIO_WB]) return { kind: 'blocked', on: 'folio writeback to end (folio_wait_writeback)', owner: COLLECTOR };
        return {
          kind: 'step',
          op: s[PAGE_DIRTY] ? 'writeback ended: BUG_ON(folio_test_writeback); folio_clear_dirty_for_io → folio (locked, dirty cleared)' : 'writeback ended; folio no longer dirty: folio_unlock, writeback_iter() → NULL: goto out',
          location: LOC.iter,
          footprint: F_FOLIO,
          apply: (x) => {
            if (!x[PAGE_DIRTY]) { x[FOLIO_LOCK] = 0; x[PC[k]] = P_OUT; return; }
            x[PAGE_DIRTY] = 0; x[PC[k]] = P_WRITE;
          },
        };
      case P_OUT:
        return { kind: 'step', op: 'out: netfs_wb_end(ictx): WARN_ON_ONCE(!test_bit(NETFS_ICTX_WB_LOCK))', location: LOC.end, footprint: F_BIT, apply: (x) => { x[PC[k]] = P_OUT2; return wbEndCheck(x); } };
      case P_OUT2:
        return { kind: 'step', op: () => `netfs_wb_end(ictx): under ictx->lock, ${s[WQ[0]] ? `hand the lock to ${tasks[s[WQ[0]] - 1]} (bit stays set)` : 'no waiter: clear_bit_unlock'}`, location: LOC.end, footprint: wbEndFootprint(s), apply: (x) => { x[PC[k]] = P_DONE; return wbEnd(x); } };
      case P_DIO:
        return {
          kind: 'step',
          op: 'netfs_unbuffered_write(): DIO write request (NETFS_DIO_WRITE) issued without the wb lock; ALL_QUEUED',
          location: LOC.dio,
          footprint: F_CQ,
          apply: (x) => { push(x, CQ, me); x[PC[k]] = P_DONE; },
        };
      default:
        return { kind: 'done' };
    }
  }

  function collectorMove(s: readonly number[]): Move {
    if (s[CQ[0]] === 0) return { kind: 'idle' };
    const h = s[CQ[0]] - 1;
    const origin = roles[h] === 'dio' ? 'NETFS_DIO_WRITE' : isSingle(h) ? 'NETFS_WRITEBACK_SINGLE' : 'NETFS_WRITEBACK';
    if (s[COLPC] === 0 && s[REQFOLIO[h]]) {
      return {
        kind: 'step',
        op: () => `netfs_write_collection(wreq of ${tasks[h]}): netfs_writeback_unlock_folios → folio_end_writeback(folio)`,
        location: LOC.collect,
        footprint: F_FOLIO,
        apply: (x) => {
          if (!x[FOLIO_WB]) return 'WARN_ONCE "folio is not under writeback" in netfs_writeback_unlock_folios';
          x[FOLIO_WB] = 0; x[COLPC] = 1;
          return undefined;
        },
      };
    }
    const doEnd = !fixed || owningReq(h);
    if (s[COLPC] <= 1)
      return {
        kind: 'step',
        op: () => `netfs_write_collection(wreq of ${tasks[h]}, origin ${origin}): netfs_wake_rreq_flag(IN_PROGRESS)${doEnd ? '' : '; origin does not own the wb lock: no netfs_wb_end'}`,
        location: LOC.collect,
        footprint: F_CQ,
        apply: (x) => {
          if (doEnd) x[COLPC] = 2;
          else { shift(x, CQ); x[COLPC] = 0; }
        },
      };
    if (s[COLPC] === 2)
      return { kind: 'step', op: 'netfs_write_collection: netfs_wb_end(ictx): WARN_ON_ONCE(!test_bit(NETFS_ICTX_WB_LOCK))', location: LOC.end, footprint: F_BIT, apply: (x) => { x[COLPC] = 3; return wbEndCheck(x); } };
    return {
      kind: 'step',
      op: () => `netfs_write_collection: netfs_wb_end(ictx): under ictx->lock, ${s[WQ[0]] ? `hand the lock to ${tasks[s[WQ[0]] - 1]} (bit stays set)` : 'no waiter: clear_bit_unlock'}`,
      location: LOC.end,
      footprint: F_CQ | wbEndFootprint(s),
      apply: (x) => {
        shift(x, CQ);
        x[COLPC] = 0;
        return wbEnd(x);
      },
    };
  }

  const ownerCount = (s: readonly number[]): number => {
    let c = 0;
    for (let k = 0; k < n; k++) if (OWNING.has(s[PC[k]])) c++;
    for (let i = 0; i < n && s[CQ[i]]; i++) if (owningReq(s[CQ[i]] - 1)) c++;
    return c;
  };
  const owners = (s: readonly number[]): string[] => {
    const o: string[] = [];
    for (let k = 0; k < n; k++) if (OWNING.has(s[PC[k]])) o.push(tasks[k]);
    for (let i = 0; i < n && s[CQ[i]]; i++) if (owningReq(s[CQ[i]] - 1)) o.push(`wreq of ${tasks[s[CQ[i]] - 1]}`);
    return o;
  };

  return {
    name: 'wb-handoff',
    tasks,
    init,
    next: (s, t) => (t === COLLECTOR ? collectorMove(s) : writerMove(s, t)),
    invariants: [
      { name: 'at most one wb-lock owner', check: (s) => (ownerCount(s) > 1 ? `${owners(s).join(' and ')} all own the wb lock` : null) },
      { name: 'wb lock bit set while owned', check: (s) => (!s[BIT] && ownerCount(s) > 0 ? `${owners(s)[0]} owns the wb lock but NETFS_ICTX_WB_LOCK is clear: the next netfs_wb_begin() barges in` : null) },
      { name: 'no barging past queued waiters', check: (s) => (s[WQ[0]] && !s[BIT] ? 'waiters are queued but the bit is clear' : null) },
    ],
    atQuiescence: [
      { name: 'no waiter stranded at quiescence', check: (s) => (s[WQ[0]] ? `${tasks[s[WQ[0]] - 1]} still queued on ictx->wb_queue` : null) },
      { name: 'no lock held at quiescence', check: (s) => (s[BIT] ? 'NETFS_ICTX_WB_LOCK still set with every task finished' : s[FOLIO_LOCK] ? 'the folio is still locked' : null) },
      { name: 'no dirty data silently dropped', check: (s) => (s[INODE_PENDING] && !s[INODE_DIRTY] ? 'the single-object writeback was skipped without re-dirtying the inode: its data is never written' : s[PAGE_DIRTY] ? null : null) },
    ],
    display: (s) => {
      const o = owners(s);
      const wq: string[] = [];
      for (let i = 0; i < n && s[WQ[i]]; i++) wq.push(tasks[s[WQ[i]] - 1]);
      const cq: string[] = [];
      for (let i = 0; i < n && s[CQ[i]]; i++) cq.push(`wreq of ${tasks[s[CQ[i]] - 1]}`);
      return {
        'wb lock': `${s[BIT] ? 'set' : 'clear'}${o.length ? `, owner ${o.join(' + ')}` : ''}`,
        'wb_queue': wq.length ? wq.join(' → ') : 'empty',
        folio: `${s[FOLIO_LOCK] ? `locked by ${tasks[s[FOLIO_LOCK] - 1]}` : 'unlocked'}${s[PAGE_DIRTY] ? ', dirty' : ''}${s[FOLIO_WB] ? ', writeback' : ''}`,
        inode: `${s[INODE_DIRTY] ? 'dirty' : 'clean'}${s[INODE_PENDING] ? ', data not yet written' : ''}`,
        collector: cq.length ? cq.join(', ') : 'idle',
      };
    },
  };
}

export const wbHandoff: ScenarioDef = {
  name: 'wb-handoff',
  description: 'N netfs writebacks (both sync modes, single-object and DIO) and the write collector on one inode: exclusion, FIFO hand-off, no stranded waiter, dirty state on the skip path (seed 000).',
  seed: '000',
  fixedDescription: 'netfs_wb_end() in the collector only for WRITEBACK/WRITEBACK_SINGLE/WRITETHROUGH origins; the single-object skip path re-dirties the inode',
  defaultTasks: 4,
  minTasks: 1,
  maxTasks: 10,
  build: ({ tasks, fixed }) => buildWbHandoff(tasks, fixed),
};
