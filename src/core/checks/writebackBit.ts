/*
 * writeback-bit — PG_writeback pairing (kernel-model.md §4, §8; rule R7).
 *
 * Kernel rule: every folio_start_writeback() reaches exactly one folio_end_writeback() on every path,
 * directly or through the I/O completion it hands the folio to (a write request's collector); starting
 * writeback needs the folio locked and not already under writeback.
 *
 * Why it matters: a folio left under writeback hangs truncate, fsync and every FGP_STABLE writer in
 * folio_wait_writeback; a second end is VM_BUG_ON_FOLIO(!folio_test_writeback) or, without DEBUG_VM,
 * sets the bit again (it is XORed) and hangs the same waiters.
 *
 * Known false positives: completion handed to an I/O path the API table does not name.
 */
import type { Check } from './types';
import { findingsFromEvents } from './fromEvents';
import { ofResources } from './selectors';

export const writebackBit: Check = {
  id: 'writeback-bit',
  title: 'writeback bit pairing',
  rule: 'Every folio_start_writeback() reaches exactly one folio_end_writeback() on every path (R7).',
  run: (ctx) => findingsFromEvents(ctx, ofResources('writeback-bit')),
};
