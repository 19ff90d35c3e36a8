/*
 * refcount — references and counters paired on error paths (kernel-model.md §1.4, §15; rule R9).
 *
 * Kernel rule: for the pairs the API table names (folio_get/folio_put, request references from
 * netfs_alloc_request / netfs_create_write_req with netfs_put_request or, before any I/O was
 * submitted, netfs_put_failed_request; folio batch references; iomap pending-byte counters), every
 * get on a path meets its put, including on error returns.
 *
 * Why it matters: a leaked request keeps netfs_inode::io_count raised, so netfs_wait_for_outstanding_io
 * hangs; a leaked folio reference pins memory; an extra put is a use-after-free.
 *
 * Known false positives: references stored into structures (ownership moves to the structure) that the
 * API table does not describe.
 */
import type { Check } from './types';
import { findingsFromEvents } from './fromEvents';
import { ofResources } from './selectors';

export const refcount: Check = {
  id: 'refcount',
  title: 'reference and counter pairing',
  rule: 'Every get the API table names meets its put on every path, error paths included (R9).',
  run: (ctx) => findingsFromEvents(ctx, ofResources('refcount', 'request')),
};
