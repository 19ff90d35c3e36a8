/*
 * stable-writes — the writethrough stable-write counter (kernel-model.md §10.3; rules ST1–ST3, R10).
 *
 * Kernel rule: inode_writethrough_begin() (set AS_STABLE_WRITES, then increment i_wt_count) is matched
 * by exactly one inode_writethrough_end() on every path, including the error returns after it; the
 * flag and the counter must not be updated so that "count > 0 implies stable writes" can break
 * (ST2, shown by the stable-writes-race scenario); clearing the flag must not drop a stable-writes
 * default that the device required (ST3).
 *
 * Why it matters: a counter left raised keeps the mapping in stable-writes mode forever, so every later
 * write and write fault waits for writeback; a cleared flag with writers in flight lets data change
 * under I/O.
 *
 * Known false positives: the end called from an I/O completion the API table does not name.
 */
import type { Check } from './types';
import { findingsFromEvents } from './fromEvents';
import { ofResources } from './selectors';

export const stableWrites: Check = {
  id: 'stable-writes',
  title: 'stable-write counter balance',
  rule: 'inode_writethrough_begin() meets exactly one inode_writethrough_end() on every path (ST1–ST3).',
  run: (ctx) => findingsFromEvents(ctx, ofResources('stable-writes')),
};
