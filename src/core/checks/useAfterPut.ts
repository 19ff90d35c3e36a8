/*
 * use-after-put — an object used after the path put the only reference it holds (rule UAF1).
 *
 * Kernel rule: include/linux/mm.h, folio_put(): "If the folio's reference count reaches zero, the
 * memory will be released back to the page allocator and may be used by another allocation
 * immediately. Do not access the memory or the struct folio after calling folio_put() unless you can
 * be sure that it wasn't the last reference." The same holds for every reference the API table pairs
 * (put_page, brelse, p9_fid_put, netfs_put_request, ...): the put may be the last one.
 *
 * What counts: the path itself took the reference together with the object (a lookup's or a
 * constructor's result, or an out-parameter it filled), put it, holds no other reference to it, and
 * then dereferences it (`folio->index`), passes it to a callee (`folio_unlock(folio)`, a tracepoint,
 * a second put), or tests a field of it. Callees that look only at the pointer (IS_ERR, PTR_ERR,
 * WARN_ON) are not uses; an object held on entry (the caller's reference) is never claimed.
 *
 * Why it matters: unlocking or reading a folio after dropping its reference races with reclaim and
 * truncation; the struct may already belong to another allocation (KASAN: use-after-free).
 *
 * Known limits: a reference taken by a callee Lockstep has no model of between the get and the put
 * keeps the object alive; such a call drops the finding (the callee may have taken one).
 */
import type { Check } from './types';
import { findingsFromEvents } from './fromEvents';
import { ofResources } from './selectors';

export const useAfterPut: Check = {
  id: 'use-after-put',
  title: 'use after the last reference was put',
  rule: 'Nothing reads or passes on an object after the path put the only reference it held to it (UAF1).',
  run: (ctx) => findingsFromEvents(ctx, ofResources('use-after-put')),
};
