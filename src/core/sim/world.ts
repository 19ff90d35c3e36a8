/*
 * The world of the scenarios: a flat int vector (cheap to copy, hash and compare), laid out by name,
 * and the kernel's folio primitives over it with the kernel's own assertions (kernel-model.md §1.1,
 * §2, §4). A primitive returns a violation message (the kernel's text) or null after mutating.
 *
 * Folio fields: LOCK (0 = unlocked, else owner task + 1), DIRTY (PG_dirty), WB (PG_writeback),
 * TOWRITE (xarray tag), CLEARED (dirty cleared for I/O but neither written nor redirtied yet).
 */

export class Layout {
  readonly names: string[] = [];
  private index = new Map<string, number>();
  slot(name: string): number {
    const i = this.names.length;
    this.names.push(name);
    this.index.set(name, i);
    return i;
  }
  slots(prefix: string, n: number): number[] {
    return Array.from({ length: n }, (_, i) => this.slot(`${prefix}${i}`));
  }
  get size(): number {
    return this.names.length;
  }
}

export interface FolioSlots {
  name: string;
  LOCK: number;
  DIRTY: number;
  WB: number;
  TOWRITE: number;
  CLEARED: number;
}

export function folioSlots(l: Layout, name: string): FolioSlots {
  return { name, LOCK: l.slot(`${name}.lock`), DIRTY: l.slot(`${name}.dirty`), WB: l.slot(`${name}.wb`), TOWRITE: l.slot(`${name}.towrite`), CLEARED: l.slot(`${name}.cleared`) };
}

export const VM_BUG_UNLOCK = 'kernel BUG at mm/filemap.c: VM_BUG_ON_FOLIO(!folio_test_locked(folio)) in folio_unlock';

export function folioLock(s: number[], f: FolioSlots, t: number): string | null {
  if (s[f.LOCK] !== 0) return `folio_lock(${f.name}) on a locked folio (the model only runs it when free)`;
  s[f.LOCK] = t + 1;
  return null;
}

export function folioUnlock(s: number[], f: FolioSlots): string | null {
  if (s[f.LOCK] === 0) return `${VM_BUG_UNLOCK} (${f.name} is not locked: double unlock)`;
  s[f.LOCK] = 0;
  return null;
}

export function folioStartWriteback(s: number[], f: FolioSlots): string | null {
  if (s[f.WB]) return `kernel BUG: VM_BUG_ON_FOLIO(folio_test_writeback(folio)) in __folio_start_writeback (${f.name})`;
  if (s[f.LOCK] === 0) return `kernel BUG: VM_BUG_ON_FOLIO(!folio_test_locked(folio)) in __folio_start_writeback (${f.name})`;
  s[f.WB] = 1;
  s[f.TOWRITE] = 0;
  s[f.CLEARED] = 0;
  return null;
}

export function folioEndWriteback(s: number[], f: FolioSlots): string | null {
  if (!s[f.WB]) return `kernel BUG: VM_BUG_ON_FOLIO(!folio_test_writeback(folio)) in folio_end_writeback (${f.name})`;
  s[f.WB] = 0;
  return null;
}

/** folio_clear_dirty_for_io: returns [wasDirty, violation]. */
export function folioClearDirtyForIo(s: number[], f: FolioSlots): [boolean, string | null] {
  if (s[f.LOCK] === 0) return [false, `kernel BUG: VM_BUG_ON_FOLIO(!folio_test_locked(folio)) in folio_clear_dirty_for_io (${f.name})`];
  if (!s[f.DIRTY]) return [false, null];
  s[f.DIRTY] = 0;
  s[f.CLEARED] = 1;
  return [true, null];
}

/** folio_redirty_for_writepage / folio_mark_dirty. */
export function folioRedirty(s: number[], f: FolioSlots): void {
  s[f.DIRTY] = 1;
  s[f.CLEARED] = 0;
}

export function folioWords(s: readonly number[], f: FolioSlots, tasks: string[]): string {
  const w: string[] = [];
  w.push(s[f.LOCK] ? `locked by ${tasks[s[f.LOCK] - 1] ?? '?'}` : 'unlocked');
  if (s[f.DIRTY]) w.push('dirty');
  if (s[f.CLEARED]) w.push('dirty cleared, unwritten');
  if (s[f.WB]) w.push('writeback');
  if (s[f.TOWRITE]) w.push('TOWRITE');
  return w.join(', ');
}
