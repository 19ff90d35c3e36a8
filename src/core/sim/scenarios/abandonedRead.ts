/*
 * abandoned-read-double-unlock (seed 004, netfs read fixes 2026): netfs_write_begin locks a folio
 * that is not uptodate, reads it with a NETFS_READ_FOR_WRITE request marked NO_UNLOCK_FOLIO, and the
 * read fails. The read collector skips the no-unlock folio in netfs_read_unlock_folios, wakes the
 * waiter (clears IN_PROGRESS), then netfs_unlock_abandoned_read_pages unlocks the abandoned folios;
 * netfs_write_begin's error path unlocks the folio too. Extra tasks lock and unlock the same folio
 * (another writer).
 *
 * As posted (default): netfs_unlock_abandoned_read_pages ignores NO_UNLOCK_FOLIO → double unlock
 * ("kernel BUG at mm/filemap.c" in folio_unlock). --fixed: it honours NO_UNLOCK_FOLIO.
 */
import type { Model, Move } from '../explorer';
import { Layout, folioSlots, folioUnlock, folioWords } from '../world';
import type { ScenarioDef } from './types';

const LOC_WB = 'fs/netfs/buffered_read.c netfs_write_begin';
const LOC_RC = 'fs/netfs/read_collect.c netfs_read_collection';
const LOC_RR = 'fs/netfs/read_retry.c netfs_unlock_abandoned_read_pages';

export function buildAbandonedRead(n: number, fixed: boolean): Model {
  const l = new Layout();
  const P = folioSlots(l, 'folio');
  const UPTODATE = l.slot('uptodate');
  const INPROG = l.slot('rreq.in_progress');
  const SUBMITTED = l.slot('rreq.submitted');
  const PC = l.slots('pc', n);
  const COLLECTOR = 1;
  const tasks = ['write_begin', 'read collector', ...Array.from({ length: n - 2 }, (_, i) => `writer${i + 2}`)];
  const init = new Array<number>(l.size).fill(0);
  const F_FOLIO = 1, F_RREQ = 2;

  function writeBegin(s: readonly number[], t: number): Move {
    switch (s[PC[t]]) {
      case 0:
        if (s[P.LOCK]) return { kind: 'blocked', on: 'the folio lock (__filemap_get_folio FGP_WRITEBEGIN)', owner: s[P.LOCK] - 1 };
        return { kind: 'step', op: '__filemap_get_folio(FGP_WRITEBEGIN) → folio locked', location: LOC_WB, footprint: F_FOLIO, apply: (x) => { x[P.LOCK] = t + 1; x[PC[t]] = 1; } };
      case 1:
        return {
          kind: 'step',
          op: 'folio not uptodate: netfs_alloc_request(NETFS_READ_FOR_WRITE); rreq->no_unlock_folio = folio; set NO_UNLOCK_FOLIO; submit the read',
          location: LOC_WB,
          footprint: F_RREQ,
          apply: (x) => { x[INPROG] = 1; x[SUBMITTED] = 1; x[PC[t]] = 2; },
        };
      case 2:
        if (s[INPROG]) return { kind: 'blocked', on: 'the read (netfs_wait_for_read: IN_PROGRESS)', owner: COLLECTOR };
        return { kind: 'step', op: 'netfs_wait_for_read → -EIO; netfs_put_request', location: LOC_WB, footprint: F_RREQ, apply: (x) => { x[PC[t]] = 3; } };
      case 3:
        return { kind: 'step', op: 'error: folio_unlock(folio); folio_put(folio)', location: LOC_WB, footprint: F_FOLIO, apply: (x) => { x[PC[t]] = 4; return folioUnlock(x, P) ?? undefined; } };
      default:
        return { kind: 'done' };
    }
  }

  function collector(s: readonly number[]): Move {
    const pc = s[PC[COLLECTOR]];
    if (pc === 0) {
      if (!s[SUBMITTED]) return { kind: 'idle' };
      return { kind: 'step', op: 'read subrequest fails (-EIO), folio abandoned; netfs_read_unlock_folios: folio is the NO_UNLOCK folio: not unlocked', location: LOC_RC, footprint: F_RREQ, apply: (x) => { x[PC[COLLECTOR]] = 1; } };
    }
    if (pc === 1) return { kind: 'step', op: 'netfs_wake_rreq_flag(rreq, NETFS_RREQ_IN_PROGRESS): waiter woken', location: LOC_RC, footprint: F_RREQ, apply: (x) => { x[INPROG] = 0; x[PC[COLLECTOR]] = 2; } };
    if (pc === 2) {
      if (fixed)
        return { kind: 'step', op: 'netfs_unlock_abandoned_read_pages: skips the NO_UNLOCK_FOLIO folio', location: LOC_RR, footprint: 0, apply: (x) => { x[PC[COLLECTOR]] = 3; } };
      return { kind: 'step', op: 'netfs_unlock_abandoned_read_pages: folio_unlock(folio) (NO_UNLOCK_FOLIO ignored)', location: LOC_RR, footprint: F_FOLIO, apply: (x) => { x[PC[COLLECTOR]] = 3; return folioUnlock(x, P) ?? undefined; } };
    }
    return { kind: 'done' };
  }

  function writer(s: readonly number[], t: number): Move {
    switch (s[PC[t]]) {
      case 0:
        if (s[P.LOCK]) return { kind: 'blocked', on: 'the folio lock', owner: s[P.LOCK] - 1 };
        return { kind: 'step', op: 'folio_lock(folio)', location: 'another writer', footprint: F_FOLIO, apply: (x) => { x[P.LOCK] = t + 1; x[PC[t]] = 1; } };
      case 1:
        return { kind: 'step', op: 'folio_unlock(folio)', location: 'another writer', footprint: F_FOLIO, apply: (x) => { x[PC[t]] = 2; return folioUnlock(x, P) ?? undefined; } };
      default:
        return { kind: 'done' };
    }
  }

  return {
    name: 'abandoned-read-double-unlock',
    tasks,
    init,
    next: (s, t) => (t === 0 ? writeBegin(s, t) : t === COLLECTOR ? collector(s) : writer(s, t)),
    atQuiescence: [{ name: 'no lock held at quiescence', check: (s) => (s[P.LOCK] ? `the folio is still locked by ${tasks[s[P.LOCK] - 1]}` : null) }],
    display: (s) => ({ folio: `${folioWords(s, P, tasks)}${s[UPTODATE] ? ', uptodate' : ''}`, rreq: s[SUBMITTED] ? (s[INPROG] ? 'IN_PROGRESS, NO_UNLOCK_FOLIO' : 'done (failed), NO_UNLOCK_FOLIO') : 'none' }),
  };
}

export const abandonedReadDoubleUnlock: ScenarioDef = {
  name: 'abandoned-read-double-unlock',
  description: 'The read collector and the netfs_write_begin error path both unlock the folio of a failed read-for-write (the kernel BUG in folio_unlock); the fixed collector honours NO_UNLOCK_FOLIO (seed 004).',
  seed: '004',
  fixedDescription: 'netfs_unlock_abandoned_read_pages skips the NO_UNLOCK_FOLIO folio',
  defaultTasks: 2,
  minTasks: 2,
  maxTasks: 5,
  build: ({ tasks, fixed }) => buildAbandonedRead(tasks, fixed),
};
