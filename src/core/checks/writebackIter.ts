/*
 * writeback-iter — the writeback_iter() contract (kernel-model.md §5; rules R4, R5).
 *
 * Kernel rule: "callers should not manually break out of the loop using break or goto but must keep
 * calling writeback_iter() until it returns NULL". Each folio it returns is locked, with its dirty bit
 * already cleared; before the next call the caller releases it by starting writeback and unlocking,
 * or by redirtying (folio_redirty_for_writepage) and unlocking. *error stays <= 0.
 *
 * Why it matters: leaving the loop early leaves the current folio locked and clean (its data is never
 * written), leaks the batch references, and for WB_SYNC_ALL skips the TOWRITE-tagged rest (an
 * integrity violation). A folio unlocked without writeback or redirty silently drops its data.
 *
 * Known false positives: legacy write_cache_pages callers that rely on AOP_WRITEPAGE_ACTIVATE.
 */
import type { Check } from './types';
import { findingsFromEvents } from './fromEvents';
import { ofResources } from './selectors';

export const writebackIter: Check = {
  id: 'writeback-iter',
  title: 'writeback_iter loop contract',
  rule: 'Keep calling writeback_iter() until NULL; release each folio before the next call; never drop a cleared folio (R4, R5).',
  run: (ctx) => findingsFromEvents(ctx, ofResources('wb-iter', 'folio-dirty', 'folio-cleared')),
};
