/*
 * writeback-iter-break (seed 003, "netfs: Fix folio state after ENOMEM whilst under writeback
 * iteration"): netfs_writepages (pre-fix) breaks out of the writeback_iter loop when
 * netfs_write_folio returns -ENOMEM, which leaves the folio locked with its dirty bit already
 * cleared. Other tasks run a correct WB_SYNC_ALL writeback (fsync) of the same mapping.
 *
 * As posted (default): `if (error < 0) break;` with the folio still locked.
 * --fixed: on -ENOMEM, folio_redirty_for_writepage + folio_unlock, and keep calling writeback_iter
 * until it returns NULL (WB_SYNC_NONE stops at the next call because *error is set).
 */
import type { Model, Move } from '../explorer';
import { Layout, folioSlots, folioStartWriteback, folioUnlock, folioEndWriteback, folioRedirty, folioWords, type FolioSlots } from '../world';
import { writebackIterMove, type IterRegs } from '../wbIter';
import type { ScenarioDef } from './types';

const LOC_WP = 'fs/netfs/write_issue.c netfs_writepages';
const LOC_ITER = 'mm/page-writeback.c writeback_iter';
const LOC_FSYNC = 'fsync → ->writepages (WB_SYNC_ALL)';

export function buildIterBreak(n: number, fixed: boolean): Model {
  const l = new Layout();
  const folios: FolioSlots[] = [folioSlots(l, 'folio0'), folioSlots(l, 'folio1')];
  const ENOMEM_USED = l.slot('enomem');
  const PC = l.slots('pc', n);
  const regs: IterRegs[] = Array.from({ length: n }, (_, t) => ({ PH: l.slot(`ph${t}`), IDX: l.slot(`idx${t}`), CUR: l.slot(`cur${t}`), WAIT: l.slot(`wait${t}`), ERR: l.slot(`err${t}`) }));
  const tasks = ['flusher', ...Array.from({ length: n - 1 }, (_, i) => `fsync${i + 1}`)];
  const init = new Array<number>(l.size).fill(0);
  for (const f of folios) init[f.DIRTY] = 1;
  const fbit = (f: number) => 1 << f;
  const F_MEM = 4;

  // pcs: 0 writeback_iter, 1 write the folio, 2 after the loop (return), 3 done.
  function next(s: readonly number[], t: number): Move {
    const pc = s[PC[t]];
    const r = regs[t];
    const flusher = t === 0;
    if (pc === 0) {
      return writebackIterMove(s, {
        t, regs: r, folios, syncAll: !flusher, fbit, tasks, writebackEnder: -1,
        location: flusher ? LOC_ITER : LOC_FSYNC,
        setPc: (x) => { x[PC[t]] = x[r.CUR] ? 1 : 2; },
      });
    }
    if (pc === 1) {
      const idx = s[r.CUR] - 1;
      const f = folios[idx];
      if (flusher && !s[ENOMEM_USED]) {
        return {
          kind: 'step',
          op: fixed
            ? `netfs_write_folio(${f.name}) → -ENOMEM (rolling buffer full): folio_redirty_for_writepage; folio_unlock; continue the loop`
            : `netfs_write_folio(${f.name}) → -ENOMEM with the folio still locked; if (error < 0) break;`,
          location: LOC_WP,
          footprint: fbit(idx) | F_MEM,
          apply: (x) => {
            x[ENOMEM_USED] = 1;
            x[r.ERR] = 1;
            if (fixed) {
              folioRedirty(x, f);
              const e = folioUnlock(x, f);
              if (e) return e;
              x[r.CUR] = 0;
              x[PC[t]] = 0;
            } else {
              x[r.CUR] = 0;
              x[PC[t]] = 2;
            }
            return undefined;
          },
        };
      }
      return {
        kind: 'step',
        op: `netfs_write_folio(${f.name}): folio_start_writeback; folio_unlock; (I/O completes) folio_end_writeback`,
        location: flusher ? LOC_WP : LOC_FSYNC,
        footprint: fbit(idx) | (flusher ? F_MEM : 0),
        apply: (x) => {
          const e = folioStartWriteback(x, f) ?? folioUnlock(x, f) ?? folioEndWriteback(x, f);
          if (e) return e;
          x[r.CUR] = 0;
          x[PC[t]] = 0;
          return undefined;
        },
      };
    }
    if (pc === 2) {
      return { kind: 'step', op: flusher ? 'netfs_end_issue_write(wreq); return error' : 'return', location: flusher ? LOC_WP : LOC_FSYNC, footprint: 0, apply: (x) => { x[PC[t]] = 3; } };
    }
    return { kind: 'done' };
  }

  return {
    name: 'writeback-iter-break',
    tasks,
    init,
    next,
    atQuiescence: [
      { name: 'no lock held at quiescence', check: (s) => { const f = folios.find((g) => s[g.LOCK]); return f ? `${f.name} is still locked by ${tasks[s[f.LOCK] - 1]}, which has returned` : null; } },
      { name: 'no dirty data silently dropped', check: (s) => { const f = folios.find((g) => s[g.CLEARED]); return f ? `${f.name} had its dirty bit cleared by writeback_iter but was neither written nor redirtied` : null; } },
    ],
    display: (s) => Object.fromEntries(folios.map((f) => [f.name, folioWords(s, f, tasks)])),
  };
}

export const writebackIterBreak: ScenarioDef = {
  name: 'writeback-iter-break',
  description: 'Leaving the writeback_iter loop early (break on -ENOMEM) leaves a folio locked with its dirty bit already cleared; other writeback of the mapping then hangs (seed 003).',
  seed: '003',
  fixedDescription: 'on -ENOMEM the folio is redirtied and unlocked and writeback_iter is called until it returns NULL',
  defaultTasks: 2,
  minTasks: 1,
  maxTasks: 4,
  build: ({ tasks, fixed }) => buildIterBreak(tasks, fixed),
};
