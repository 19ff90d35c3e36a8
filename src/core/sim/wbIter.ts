/*
 * writeback_iter() as the scenarios run it (kernel-model.md §5): INIT tags TOWRITE for WB_SYNC_ALL,
 * NEXT stops early for WB_SYNC_NONE when *error is set, writeback_get_folio locks the next tagged
 * folio (blocking, even for WB_SYNC_NONE), folio_prepare_writeback skips clean folios, skips
 * (NONE) or waits for (ALL, holding the lock) folios under writeback, then clears the dirty bit.
 * One call is one step unless it has to wait for a folio lock or for writeback.
 */
import type { Move } from './explorer';
import { folioClearDirtyForIo, type FolioSlots } from './world';

export interface IterRegs {
  /** 0 not started, 1 iterating, 2 finished (returned NULL). */
  PH: number;
  /** Next folio index to look at. */
  IDX: number;
  /** Folio returned (index + 1), 0 = NULL. */
  CUR: number;
  /** 0 = in no call; f + 1 = waiting for writeback of folio f while holding its lock. */
  WAIT: number;
  /** *error != 0. */
  ERR: number;
  /** Optional: wbc->nr_to_write (pages left); WB_SYNC_NONE stops when it reaches 0. */
  NR?: number;
}

export interface IterCtx {
  t: number;
  regs: IterRegs;
  folios: FolioSlots[];
  syncAll: boolean;
  /** Footprint bit of each folio. */
  fbit: (f: number) => number;
  tasks: string[];
  /** Task index that ends writeback (for wait-for edges), -1 if unknown. */
  writebackEnder: number;
  /** pc to go to after the call (the caller tests CUR). */
  setPc: (x: number[]) => void;
  location: string;
  /** wbc->range_cyclic with mapping->writeback_index in this slot (start there; never wrap within a call). */
  cyclicIndexSlot?: number;
}

const tagged = (s: readonly number[], f: FolioSlots, all: boolean) => (all ? s[f.TOWRITE] !== 0 : s[f.DIRTY] !== 0);

export function writebackIterMove(s: readonly number[], c: IterCtx): Move {
  const { regs: r, folios, t } = c;
  const me = t + 1;
  if (s[r.WAIT]) {
    const f = folios[s[r.WAIT] - 1];
    if (s[f.WB]) return { kind: 'blocked', on: `writeback of ${f.name} to end (folio_wait_writeback, holding its lock)`, owner: c.writebackEnder };
    return {
      kind: 'step',
      op: `writeback_iter: writeback of ${f.name} ended; folio_clear_dirty_for_io(${f.name}) → return ${f.name} (locked)`,
      location: c.location,
      footprint: c.fbit(s[r.WAIT] - 1),
      apply: (x) => {
        const idx = x[r.WAIT] - 1;
        x[r.WAIT] = 0;
        if (x[f.WB]) return `kernel BUG: BUG_ON(folio_test_writeback(folio)) in folio_prepare_writeback (${f.name})`;
        const [was, err] = folioClearDirtyForIo(x, f);
        if (err) return err;
        if (!was) { x[f.LOCK] = 0; x[r.IDX] = idx + 1; return undefined; } // cleaned meanwhile: next call continues
        x[r.CUR] = idx + 1;
        x[r.IDX] = idx + 1;
        c.setPc(x);
        return undefined;
      },
    };
  }
  // Decide the whole call now; block only on a folio lock.
  const starting = s[r.PH] === 0;
  // NEXT: wbc->nr_to_write -= folio_nr_pages(previous folio), then WB_SYNC_NONE stops on an error or at <= 0.
  const nrLeft = r.NR !== undefined ? s[r.NR] - 1 : 1;
  if (!starting && !c.syncAll && (s[r.ERR] || nrLeft <= 0)) {
    const wbi = c.cyclicIndexSlot;
    return {
      kind: 'step',
      op: s[r.ERR] ? 'writeback_iter: *error is set and WB_SYNC_NONE: stop (done) → NULL' : 'writeback_iter: nr_to_write used up and WB_SYNC_NONE: stop (done) → NULL',
      location: c.location,
      footprint: wbi !== undefined ? undefined : 0,
      // done: mapping->writeback_index = the next index (range_cyclic resumes there)
      apply: (x) => { if (r.NR !== undefined) x[r.NR]--; if (wbi !== undefined) x[wbi] = x[r.IDX]; x[r.PH] = 2; x[r.CUR] = 0; c.setPc(x); },
    };
  }
  // Which folios will be tagged when we look (INIT tags TOWRITE for ALL).
  const isTagged = (f: FolioSlots) => (starting && c.syncAll ? s[f.DIRTY] !== 0 || s[f.TOWRITE] !== 0 : tagged(s, f, c.syncAll));
  let fp = 0;
  const from = starting ? (c.cyclicIndexSlot !== undefined ? s[c.cyclicIndexSlot] : 0) : s[r.IDX];
  for (let i = from; i < folios.length; i++) {
    const f = folios[i];
    fp |= c.fbit(i);
    if (!isTagged(f)) continue;
    if (s[f.LOCK] && s[f.LOCK] !== me) return { kind: 'blocked', on: `the folio lock of ${f.name} (writeback_iter → folio_lock)`, owner: s[f.LOCK] - 1 };
    if (s[f.LOCK] === me) return { kind: 'blocked', on: `the folio lock of ${f.name}, which it holds itself (writeback_iter → folio_lock)`, owner: t };
    // Locked by us now: prepare.
    if (!s[f.DIRTY]) continue; // unlock and skip
    if (s[f.WB] && !c.syncAll) continue; // WB_SYNC_NONE skips folios under writeback
    const idx = i;
    const waitWb = s[f.WB] !== 0;
    const prefix = starting ? `writeback_iter(NULL)${c.syncAll ? ': tag TOWRITE' : ''}; ` : 'writeback_iter: ';
    return {
      kind: 'step',
      op: waitWb
        ? `${prefix}folio_lock(${f.name}); under writeback: WB_SYNC_ALL waits (folio_wait_writeback)`
        : `${prefix}folio_lock(${f.name}); folio_clear_dirty_for_io → return ${f.name} (locked, dirty cleared)`,
      location: c.location,
      footprint: c.cyclicIndexSlot !== undefined ? undefined : fp,
      apply: (x) => {
        if (starting) {
          x[r.PH] = 1;
          if (c.syncAll) for (const g of folios) if (x[g.DIRTY]) x[g.TOWRITE] = 1;
        } else if (r.NR !== undefined) x[r.NR]--; // wbc->nr_to_write -= folio_nr_pages(previous folio)
        x[f.LOCK] = me;
        if (waitWb) { x[r.WAIT] = idx + 1; return undefined; }
        const [, err] = folioClearDirtyForIo(x, f);
        if (err) return err;
        x[r.CUR] = idx + 1;
        x[r.IDX] = idx + 1;
        c.setPc(x);
        return undefined;
      },
    };
  }
  return {
    kind: 'step',
    op: starting ? 'writeback_iter(NULL): nothing tagged → NULL' : 'writeback_iter: no more tagged folios → NULL (*error = saved error)',
    location: c.location,
    footprint: c.cyclicIndexSlot !== undefined ? undefined : fp,
    apply: (x) => {
      if (starting && c.syncAll) for (const g of folios) if (x[g.DIRTY]) x[g.TOWRITE] = 1;
      if (!starting && r.NR !== undefined) x[r.NR]--;
      if (c.cyclicIndexSlot !== undefined) x[c.cyclicIndexSlot] = 0; // END: never wrap within one call
      x[r.PH] = 2;
      x[r.CUR] = 0;
      c.setPc(x);
    },
  };
}
