/*
 * lock-order — ordering and self-deadlock (kernel-model.md §11, §12; rules R12, WB4, WB6).
 *
 * Kernel rule: folios of one mapping are locked in ascending index order; the netfs wb lock comes
 * before folio locks and is never waited for with a folio locked; nothing that takes a folio lock
 * inside (writeback_iter, ->writepages, filemap_write_and_wait_range, truncate helpers, FGP_LOCK
 * lookups) is called while that folio is held, and nothing that waits for the wb lock or for
 * WB_SYNC_ALL writeback is called while holding the wb lock.
 *
 * Why it matters: each of these is an ABBA or self deadlock (the 2007 ->prepare_write writeback
 * deadlock is the classic instance): an unkillable hang.
 *
 * Known false positives: callees whose locking the API table does not describe are opaque, so a
 * deadlock through them is missed rather than invented.
 */
import type { Check } from './types';
import { findingsFromEvents } from './fromEvents';
import { ORDER_RULES } from './selectors';

export const lockOrder: Check = {
  id: 'lock-order',
  title: 'lock order and self-deadlock',
  rule: 'Ascending folio order, wb lock before folio locks, no writeback or folio-locking call under a held folio lock (R12, WB4, WB6).',
  run: (ctx) => findingsFromEvents(ctx, (e) => ORDER_RULES.has(e.rule ?? '')),
};
