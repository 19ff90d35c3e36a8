/*
 * folio-lock — folio lock balance (kernel-model.md §2, §3, §13; rules R1, R2).
 *
 * Kernel rule: a folio lock taken on a path (folio_lock, a successful folio_trylock or
 * folio_lock_killable, __filemap_get_folio with FGP_LOCK, writeback_iter's folio, ...) is released
 * exactly once (folio_unlock, folio_end_read) or handed off (to a read request, to the fault core by
 * returning VM_FAULT_LOCKED, to a callee that consumes it) before the function returns, unless the
 * function's contract returns it locked. Nothing unlocks a folio it no longer owns.
 *
 * Why it matters: a folio left locked hangs every later folio_lock in folio_wait_bit_common; a double
 * folio_unlock is "kernel BUG at mm/filemap.c" (VM_BUG_ON_FOLIO(!folio_test_locked)) with DEBUG_VM,
 * and silently re-locks the folio without it (folio_unlock XORs PG_locked).
 *
 * Known false positives: ownership handed off through a callee the API table does not know is seen as
 * an opaque call; findings across code the patch does not show are softened.
 */
import type { Check } from './types';
import { findingsFromEvents } from './fromEvents';
import { ofResources } from './selectors';

export const folioLock: Check = {
  id: 'folio-lock',
  title: 'folio lock balance',
  rule: 'A folio locked on a path is unlocked or handed off exactly once before the return (R1, R2).',
  run: (ctx) => findingsFromEvents(ctx, ofResources('folio-lock')),
};
