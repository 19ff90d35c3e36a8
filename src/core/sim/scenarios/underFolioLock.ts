/*
 * writeback-under-folio-lock (seed 002, LKML 2007 "Write-back from inside FS"): a filesystem starts
 * writeback of its own mapping (filemap_write_and_wait_range → do_writepages → ->writepages →
 * writeback_iter, WB_SYNC_ALL) from ->write_begin, i.e. holding the lock of a dirty folio of that
 * mapping: writeback_iter's folio_lock waits on the task itself. Other tasks are flushers
 * (WB_SYNC_NONE writeback of the same mapping).
 *
 * As posted (default): the caller holds the folio lock. --fixed: it holds only the inode mutex
 * (i_rwsem), which writeback does not take ("writepage under i_mutex is commonly done").
 */
import type { Model, Move } from '../explorer';
import { Layout, folioSlots, folioStartWriteback, folioUnlock, folioEndWriteback, folioWords, type FolioSlots } from '../world';
import { writebackIterMove, type IterRegs } from '../wbIter';
import type { ScenarioDef } from './types';

const LOC_CALLER = 'fs (->write_begin) calling filemap_write_and_wait_range';
const LOC_ITER = 'mm/page-writeback.c writeback_iter';
const LOC_WP = '->writepages';

export function buildUnderFolioLock(n: number, fixed: boolean): Model {
  const l = new Layout();
  const folios: FolioSlots[] = [folioSlots(l, 'folio0'), folioSlots(l, 'folio1')];
  const IMUTEX = l.slot('i_rwsem');
  const PC = l.slots('pc', n);
  const regs: IterRegs[] = Array.from({ length: n }, (_, t) => ({ PH: l.slot(`ph${t}`), IDX: l.slot(`idx${t}`), CUR: l.slot(`cur${t}`), WAIT: l.slot(`wait${t}`), ERR: l.slot(`err${t}`) }));
  const tasks = ['write_begin', ...Array.from({ length: n - 1 }, (_, i) => `flusher${i + 1}`)];
  const init = new Array<number>(l.size).fill(0);
  for (const f of folios) init[f.DIRTY] = 1;
  const fbit = (f: number) => 1 << f;
  const F_IMUTEX = 4;

  // Caller pcs: 0 take lock, 1 writeback_iter, 2 write folio, 3 filemap_fdatawait, 4 release, 5 done.
  // Flusher pcs: 1 writeback_iter, 2 write folio, 5 done.
  function next(s: readonly number[], t: number): Move {
    const pc = s[PC[t]];
    const r = regs[t];
    const caller = t === 0;
    switch (pc) {
      case 0:
        if (fixed) {
          if (s[IMUTEX]) return { kind: 'blocked', on: 'i_rwsem', owner: s[IMUTEX] - 1 };
          return { kind: 'step', op: 'inode_lock(inode) (i_mutex)', location: LOC_CALLER, footprint: F_IMUTEX, apply: (x) => { x[IMUTEX] = t + 1; x[PC[t]] = 1; } };
        }
        if (s[folios[0].LOCK]) return { kind: 'blocked', on: 'the folio lock of folio0', owner: s[folios[0].LOCK] - 1 };
        return { kind: 'step', op: '->write_begin: folio_lock(folio0) (a dirty folio of the mapping)', location: LOC_CALLER, footprint: fbit(0), apply: (x) => { x[folios[0].LOCK] = t + 1; x[PC[t]] = 1; } };
      case 1:
        return writebackIterMove(s, {
          t,
          regs: r,
          folios,
          syncAll: caller,
          fbit,
          tasks,
          writebackEnder: -1,
          location: LOC_ITER,
          setPc: (x) => { x[PC[t]] = x[r.CUR] ? 2 : caller ? 3 : 5; },
        });
      case 2: {
        const idx = s[r.CUR] - 1;
        const f = folios[idx];
        return {
          kind: 'step',
          op: `->writepages: folio_start_writeback(${f.name}); folio_unlock(${f.name}); I/O completes: folio_end_writeback(${f.name})`,
          location: LOC_WP,
          footprint: fbit(idx),
          apply: (x) => {
            const e = folioStartWriteback(x, f) ?? folioUnlock(x, f) ?? folioEndWriteback(x, f);
            if (e) return e;
            x[r.CUR] = 0;
            x[PC[t]] = 1;
            return undefined;
          },
        };
      }
      case 3:
        return { kind: 'step', op: 'filemap_fdatawait_range: no folio under writeback', location: LOC_CALLER, footprint: fbit(0) | fbit(1), apply: (x) => { x[PC[t]] = 4; } };
      case 4:
        return fixed
          ? { kind: 'step', op: 'inode_unlock(inode)', location: LOC_CALLER, footprint: F_IMUTEX, apply: (x) => { x[IMUTEX] = 0; x[PC[t]] = 5; } }
          : { kind: 'step', op: '->write_end: folio_unlock(folio0)', location: LOC_CALLER, footprint: fbit(0), apply: (x) => { const e = folioUnlock(x, folios[0]); x[PC[t]] = 5; return e ?? undefined; } };
      default:
        return { kind: 'done' };
    }
  }
  for (let t = 1; t < n; t++) init[PC[t]] = 1;

  return {
    name: 'writeback-under-folio-lock',
    tasks,
    init,
    next,
    atQuiescence: [
      { name: 'no lock held at quiescence', check: (s) => (folios.some((f) => s[f.LOCK]) ? 'a folio is still locked' : s[IMUTEX] ? 'i_rwsem still held' : null) },
      { name: 'no dirty data silently dropped', check: (s) => (folios.some((f) => s[f.CLEARED]) ? 'a folio had its dirty bit cleared for I/O but was never written' : null) },
    ],
    display: (s) => {
      const d: Record<string, string> = {};
      for (const f of folios) d[f.name] = folioWords(s, f, tasks);
      if (fixed) d.i_rwsem = s[IMUTEX] ? `held by ${tasks[s[IMUTEX] - 1]}` : 'free';
      return d;
    },
  };
}

export const writebackUnderFolioLock: ScenarioDef = {
  name: 'writeback-under-folio-lock',
  description: 'Writeback of a mapping started while holding the lock of one of its dirty folios deadlocks on itself in writeback_iter; holding only the inode mutex does not (seed 002).',
  seed: '002',
  fixedDescription: 'the caller holds only the inode mutex (i_rwsem), not the folio lock',
  defaultTasks: 1,
  minTasks: 1,
  maxTasks: 4,
  build: ({ tasks, fixed }) => buildUnderFolioLock(tasks, fixed),
};
