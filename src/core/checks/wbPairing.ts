/*
 * wb-pairing — the netfs writeback exclusion lock (kernel-model.md §6.2, rules WB1–WB3).
 *
 * Kernel rule: every successful netfs_wb_begin() is matched by exactly one netfs_wb_end() on every
 * path. Handing the obligation to a write request (netfs_end_issue_write(), or setting
 * NETFS_RREQ_ALL_QUEUED) counts as meeting it: the collector, netfs_write_collection(), ends it
 * later, once. netfs_wb_end() without the lock trips WARN_ON_ONCE and, worse, can hand the lock to
 * a waiter while another writer still owns it. netfs_wb_begin(ictx, true) may fail; a caller that
 * ignores the result may run writeback unlocked and must not end it. A writeback skip path must not
 * drop dirty state (a skipped single-object writeback re-dirties the inode and returns 1).
 * Before the bit lock the same exclusion was the wb_lock mutex; the simulator maps it to the same
 * resource, so a patch that converts one into the other is compared like for like.
 *
 * Why it matters: a leaked wb lock hangs every later writeback of the inode (TASK_UNINTERRUPTIBLE in
 * netfs_wb_begin_wait); a spurious end breaks exclusion; a dropped re-dirty loses data.
 *
 * Known false positives: code the patch does not show (a gap between hunks) may release or test what
 * the visible code does not; such findings are softened one severity level and say so. Functions that
 * implement the lock itself (netfs_wb_begin, netfs_wb_end, netfs_wb_begin_wait) are not path-checked;
 * the wb-handoff scenario of the explorer covers them.
 */
import type { Check, CheckContext, RawFinding } from './types';
import { findingsFromEvents } from './fromEvents';
import { ofResources } from './selectors';

export const wbPairing: Check = {
  id: 'wb-pairing',
  title: 'netfs writeback lock pairing',
  rule: 'Every successful netfs_wb_begin() meets exactly one netfs_wb_end() or hand-off on every path (WB1–WB3).',
  run(ctx: CheckContext): RawFinding[] {
    return findingsFromEvents(ctx, ofResources('wb-lock', 'inode-dirty'));
  },
};
