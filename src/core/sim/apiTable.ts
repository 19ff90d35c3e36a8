/*
 * The API table, as data (in the spirit of Smatch's lock table): kernel function name → what it does
 * to the locks and states the simulator tracks. The path runner reads this table; it has no
 * per-function if/else. Sources: kernel-model.md §2–§13 (section in `ref`).
 *
 * Users extend it with JSON ({ "functions": [ApiEntry, ...] }) through loadApiTable(extra); bad entries
 * come back as problems with the JSON path of the mistake, never as exceptions.
 */
import type { CallFact, Problem } from '../types';

export type Relation = CallFact['relation'];

/** A condition on the call's result ("acquired iff the result is true"). */
export interface ResultCondition {
  rel: Relation;
  /** For eq/ne: the compared constant ("VM_FAULT_LOCKED"). */
  value?: string;
}

export type OpKind =
  | 'acquire' // the object becomes held by the running task
  | 'release' // the object is released (REL)
  | 'handoff' // the obligation to release moves elsewhere (XFER)
  | 'requires-held' // kernel assertion: the object must be held (VM_BUG_ON_FOLIO(!locked))
  | 'requires-released' // the object must no longer be held (writeback_iter's previous folio)
  | 'mark' // sets a state flag on the object (inode dirty; a folio's dirty bit cleared for I/O)
  | 'unmark'; // clears such a flag (the cleared folio was written or redirtied)

export const OP_KINDS: OpKind[] = ['acquire', 'release', 'handoff', 'requires-held', 'requires-released', 'mark', 'unmark'];

export interface ApiOp {
  kind: OpKind;
  /** Resource class: 'wb-lock', 'folio-lock', 'mutex', 'spinlock', 'bit-lock', 'rwsem', 'wb-iter', 'inode-dirty', 'writeback-bit', 'stable-writes', 'refcount', 'request', 'folio-cleared'. */
  resource: string;
  /** Which object: an argument index, the assigned result, or (handoff) whatever such resource is held. */
  obj: number | 'result' | 'held';
  /** With an argument index: a field of that argument (`->refs_lock`), from a callee summary. */
  path?: string;
  /**
   * The object is not an argument but one the whole kernel shares, named as sparse names it
   * (`RCU` for rcu_read_lock()'s read-side section, as in `__acquires(RCU)`); `obj` is then ignored.
   */
  global?: string;
  /** Conditional op: applies only when the result satisfies this (trylock: true; IS_ERR: not-err). */
  when?: ResultCondition;
  /** Applies only when the argument has exactly this text (writeback_iter(.., NULL, ..) starts an iteration). */
  guard?: { arg: number; equals: string };
  /** Handoff target, in words ("wreq", "collector", "fault core"). */
  to?: string;
  /** handoff only: needs a write request created on the path (or a contract that says so). */
  needsRequest?: boolean;
  /** Lock variety: 'bit' (netfs bit lock, hand-off capable) or 'mutex' (same-task release). */
  variety?: 'bit' | 'mutex';
  rule?: string;
  /** The kernel's own message for a broken assertion. */
  message?: string;
}

export interface ApiEntry {
  name: string;
  /** The entry applies only when an argument has this text (or ends with it). */
  match?: { arg: number; equals?: string; endsWith?: string; contains?: string[] };
  ops: ApiOp[];
  /** Conditional ops cannot fail when this argument is false (netfs_wb_begin(ictx, false)). */
  cannotFailWhenArgFalse?: number;
  /** SELF-DL: takes a folio lock inside (deadlocks when the caller holds that folio's lock). */
  takesFolioLock?: boolean;
  /** Reaches ->writepages with WB_SYNC_ALL (waits for the wb lock: WB6 when it is held). */
  reachesWriteback?: boolean;
  /** Waits for the wb lock (WB4: never while holding a folio lock) unless nowait. */
  waitsForWbLock?: boolean;
  maySleep?: boolean;
  /** The function implements a modeled primitive: its own body is not path-checked. */
  primitive?: boolean;
  /** What the result means, in words. */
  result?: string;
  /** The values the result can take: 'errno' (0 or -errno), 'bool', 'pointer' (valid or NULL), 'err-pointer' (valid or ERR_PTR). */
  domain?: 'errno' | 'bool' | 'pointer' | 'err-pointer';
  /** Page-cache lookups: the argument that is the folio index (for the ascending-order rule). */
  indexArg?: number;
  /** A plain unlock (folio_unlock): releasing a folio whose dirty bit was cleared for I/O drops its data (R5). */
  plainUnlock?: boolean;
  /**
   * On failure the out-parameter is set to NULL, and what takes the object accepts NULL (the SMB
   * client's finders: `*ret_file = NULL` first, `if (cfile) cifsFileInfo_put(cfile)` after): with the
   * result untested, the object is referenced or NULL, and the caller may pass it on and put it as if
   * referenced. The reference is then taken as certain, and ignoring the result is no finding.
   */
  nullsOnFailure?: boolean;
  /** Accepts NULL and ERR_PTR values for its object arguments (`p9_fid_put()`, `clone_fid()`): handing it an untested lookup result is testing it. */
  takesErr?: boolean;
  /** Calling it at all is wrong in code outside its subsystem (an internal helper): the rule and why. */
  misuse?: { resource: string; rule: string; message: string };
  /** kernel-model.md section. */
  ref?: string;
}

export interface ApiTable {
  /** name → entries (several when `match` distinguishes them), in table order. */
  byName: Record<string, ApiEntry[]>;
}

// ───────────────────────────── helpers to write the table compactly ─────────────────────────────

const acq = (resource: string, obj: ApiOp['obj'], when?: ResultCondition, extra: Partial<ApiOp> = {}): ApiOp => ({
  kind: 'acquire',
  resource,
  obj,
  ...(when ? { when } : {}),
  ...extra,
});
const rel = (resource: string, obj: ApiOp['obj'], when?: ResultCondition, extra: Partial<ApiOp> = {}): ApiOp => ({
  kind: 'release',
  resource,
  obj,
  ...(when ? { when } : {}),
  ...extra,
});
const needFolio = (obj: number, message: string): ApiOp => ({
  kind: 'requires-held',
  resource: 'folio-lock',
  obj,
  rule: 'R2',
  message,
});
const VM_BUG_LOCKED = 'VM_BUG_ON_FOLIO(!folio_test_locked(folio)) — kernel BUG at mm/filemap.c';

const FOLIO_DATA = [
  'flush_dcache_folio', 'folio_mark_uptodate', 'folio_clear_uptodate', 'folio_mark_accessed', 'copy_folio_from_iter_atomic',
  'copy_page_from_iter_atomic', 'folio_zero_segment', 'folio_zero_segments', 'folio_zero_range', 'folio_zero_tail',
  'folio_attach_private', 'folio_detach_private', 'folio_change_private', 'folio_test_private', 'offset_in_folio',
  'folio_address', 'kmap_local_folio', 'kunmap_local', 'folio_test_highmem', 'folio_set_error', 'folio_clear_error',
  'folio_test_error', 'folio_order', 'folio_shift', 'folio_test_large', 'folio_contains', 'folio_pgoff',
  'memcpy_from_folio', 'memcpy_to_folio', 'folio_fill_tail', 'folio_test_swapcache', 'folio_inode', 'folio_file_mapping',
  // page-flags.h flag helpers that no lock, reference or writeback rule reads
  'folio_test_referenced', 'folio_set_referenced', '__folio_set_referenced', 'folio_test_idle', 'folio_clear_idle',
  'folio_set_idle', 'folio_test_workingset', 'folio_test_mappedtodisk', 'folio_set_mappedtodisk', 'folio_clear_mappedtodisk',
];

/** Functions modeled as having no lock effect (so they are not reported as opaque). */
const NEUTRAL = [
  'netfs_stat', '_enter', '_leave', '_debug', 'kenter', 'kleave', 'folio_pos', 'folio_size', 'folio_index',
  'folio_nr_pages', 'folio_next_index', 'folio_get_private', 'folio_test_dirty',
  'folio_test_writeback', 'folio_test_locked', 'folio_test_uptodate', 'folio_mapping', 'kfree', 'kzalloc', 'kmalloc',
  'netfs_put_request', 'netfs_get_request', 'netfs_wake_collector', 'netfs_wake_rreq_flag', 'netfs_inode',
  'file_inode', 'i_size_read', 'WARN_ON_ONCE', 'WARN_ON', 'WARN_ONCE', 'BUG_ON', 'smp_wmb', 'smp_rmb', 'smp_mb',
  'wake_up_process', 'get_task_struct', 'put_task_struct', 'test_bit', 'clear_bit', 'iov_iter_is_folioq',
  'trace_netfs_write', 'trace_netfs_rreq', 'trace_netfs_folio', 'netfs_see_request', 'PTR_ERR', 'IS_ERR', 'ERR_PTR',
  'min', 'max', 'min_t', 'max_t', 'list_add_tail', 'list_del', 'list_del_init', 'list_first_entry_or_null',
  'netfs_free_folioq_buffer', 'cond_resched', 'mapping_set_error', 'folio_batch_release',
  'netfs_update_i_size', 'inode_dio_end', 'netfs_wait_for_write', 'netfs_prepare_write', 'netfs_issue_write',
  'netfs_reissue_write', 'netfs_do_write_single', 'netfs_folio_written_back', 'iov_iter_count', 'page_folio',
  'sb_start_pagefault', 'sb_end_pagefault', 'file_update_time', 'tag_pages_for_writeback', 'folio_batch_init',
  'wbc_end', 'folio_batch_count', 'filemap_get_folios_tag',
  // Accessors that read a field of what they are given (fs/smb/client/cifsglob.h, fs/ceph/super.h):
  // they keep nothing.
  'tlink_tcon', 'CIFS_SB', 'CIFS_I', 'cifs_dbg', 'ceph_inode', 'ceph_sb_to_fs_client', 'ceph_inode_to_fs_client',
];

const SPIN_LOCKS = ['spin_lock', 'spin_lock_irq', 'spin_lock_irqsave', 'spin_lock_bh', 'raw_spin_lock', 'raw_spin_lock_irq', 'raw_spin_lock_irqsave', 'write_lock', 'read_lock'];
const SPIN_UNLOCKS = ['spin_unlock', 'spin_unlock_irq', 'spin_unlock_irqrestore', 'spin_unlock_bh', 'raw_spin_unlock', 'raw_spin_unlock_irq', 'raw_spin_unlock_irqrestore', 'write_unlock', 'read_unlock'];

/** RCU read-side flavours: lock, unlock, and the kernel-wide object as sparse names it. */
export const RCU_FLAVOURS: readonly (readonly [string, string, string])[] = [
  ['rcu_read_lock', 'rcu_read_unlock', 'RCU'], ['rcu_read_lock_bh', 'rcu_read_unlock_bh', 'RCU_BH'], ['rcu_read_lock_sched', 'rcu_read_unlock_sched', 'RCU_SCHED'],
];

/** The built-in table. Order matters only between entries of one name (first match wins). */
export function builtinEntries(): ApiEntry[] {
  const e: ApiEntry[] = [];
  const add = (x: ApiEntry) => e.push(x);

  // §6.2 netfs writeback bit lock.
  add({
    name: 'netfs_wb_begin',
    ops: [acq('wb-lock', 0, { rel: 'true' }, { variety: 'bit' })],
    cannotFailWhenArgFalse: 1,
    waitsForWbLock: true,
    maySleep: true,
    primitive: true,
    result: 'true ⇒ wb lock held; false only when nowait (contended)',
    ref: '§6.2',
  });
  add({ name: 'netfs_wb_begin_wait', ops: [acq('wb-lock', 0, undefined, { variety: 'bit' })], waitsForWbLock: true, maySleep: true, primitive: true, ref: '§6.2' });
  add({
    name: 'netfs_wb_end',
    ops: [rel('wb-lock', 0, undefined, { variety: 'bit', rule: 'WB2', message: 'WARN_ON_ONCE(!test_bit(NETFS_ICTX_WB_LOCK, &ictx->flags))' })],
    primitive: true,
    ref: '§6.2',
  });
  // Hand-off of the wb lock to the write request (the collector ends it, once).
  // Submission: the wb lock and the collection's request reference go to the collector.
  const submit = (reqArg: number): ApiOp[] => [
    { kind: 'handoff', resource: 'wb-lock', obj: 'held', to: 'wreq', needsRequest: true, variety: 'bit' },
    { kind: 'handoff', resource: 'refcount', obj: reqArg, to: 'collector' },
  ];
  add({ name: 'netfs_end_issue_write', ops: submit(0), ref: '§6.2 WB1' });
  add({ name: 'set_bit', match: { arg: 0, equals: 'NETFS_RREQ_ALL_QUEUED' }, ops: submit(1), ref: '§6.2 WB1' });
  for (const n of ['netfs_unbuffered_write', 'netfs_begin_read', 'netfs_read_single', 'netfs_dispatch_unbuffered_reads'])
    add({ name: n, ops: [{ kind: 'handoff', resource: 'refcount', obj: 0, to: 'collector' }], ref: '§1.4' });
  // A new request holds two refs (the caller's and the collection's); until I/O is submitted the
  // second must go with netfs_put_failed_request (netfs_put_request leaks it).
  for (const n of ['netfs_create_write_req', 'netfs_alloc_request'])
    add({ name: n, ops: [acq('request', 'result', { rel: 'not-err' }), acq('refcount', 'result', { rel: 'not-err' }, { rule: 'R9' })], domain: 'err-pointer', result: 'ERR_PTR on failure', ref: '§1.4' });
  add({ name: 'netfs_put_failed_request', ops: [rel('refcount', 0, undefined, { rule: 'R9', message: 'WARN_ON_ONCE(refcount != 2) in netfs_put_failed_request' })], ref: '§1.4' });
  // The bit lock spelled out (kernel code that implements it, or open-coded users).
  add({ name: 'test_and_set_bit_lock', match: { arg: 0, equals: 'NETFS_ICTX_WB_LOCK' }, ops: [acq('wb-lock', 1, { rel: 'false' }, { variety: 'bit' })], ref: '§6.2' });
  add({ name: 'clear_bit_unlock', match: { arg: 0, equals: 'NETFS_ICTX_WB_LOCK' }, ops: [rel('wb-lock', 1, undefined, { variety: 'bit' })], ref: '§6.2' });
  add({ name: 'test_and_set_bit_lock', ops: [acq('bit-lock', 1, { rel: 'false' })], result: 'false (old bit clear) ⇒ locked' });
  // RCU read-side critical sections (include/linux/rcupdate.h: "rcu_read_lock() ... Marks the
  // beginning of an RCU read-side critical section", ended by the matching rcu_read_unlock(); the
  // _bh and _sched flavours end only with their own unlock). Sparse names them RCU, RCU_BH, RCU_SCHED.
  for (const [lock, unlock, name] of RCU_FLAVOURS) {
    add({ name: lock, ops: [acq('rcu', 0, undefined, { global: name })], ref: 'include/linux/rcupdate.h' });
    add({ name: unlock, ops: [rel('rcu', 0, undefined, { global: name, rule: 'LK2' })], ref: 'include/linux/rcupdate.h' });
  }
  add({ name: 'clear_bit_unlock', ops: [rel('bit-lock', 1)] });

  // Mutexes (a mutex named *wb_lock is the pre-bit-lock netfs writeback lock: resource 'wb-lock').
  for (const n of ['mutex_lock', 'mutex_lock_nested', 'mutex_lock_io']) add({ name: n, ops: [acq('mutex', 0)], maySleep: true });
  add({ name: 'mutex_trylock', ops: [acq('mutex', 0, { rel: 'true' })], domain: 'bool' });
  add({ name: 'mutex_unlock', ops: [rel('mutex', 0)] });
  for (const n of SPIN_LOCKS) add({ name: n, ops: [acq('spinlock', 0)] });
  for (const n of SPIN_UNLOCKS) add({ name: n, ops: [rel('spinlock', 0)] });
  for (const n of ['spin_trylock', 'raw_spin_trylock', 'spin_trylock_irq']) add({ name: n, ops: [acq('spinlock', 0, { rel: 'true' })], domain: 'bool' });
  for (const n of ['spin_lock_nested', 'spin_lock_irqsave_nested']) add({ name: n, ops: [acq('spinlock', 0)] });
  for (const n of ['down_write_trylock', 'down_read_trylock']) add({ name: n, ops: [acq('rwsem', 0, { rel: 'true' })], domain: 'bool' });
  for (const n of ['down_write_killable', 'down_read_killable', 'down_read_interruptible']) add({ name: n, ops: [acq('rwsem', 0, { rel: 'zero' })], domain: 'errno', maySleep: true });
  add({ name: 'downgrade_write', ops: [] });
  for (const n of ['down_write', 'down_read']) add({ name: n, ops: [acq('rwsem', 0)], maySleep: true });
  for (const n of ['up_write', 'up_read']) add({ name: n, ops: [rel('rwsem', 0)] });
  add({ name: 'inode_lock', ops: [acq('rwsem', 0)], maySleep: true });
  add({ name: 'inode_unlock', ops: [rel('rwsem', 0)] });
  add({ name: 'filemap_invalidate_lock', ops: [acq('rwsem', 0)], maySleep: true });
  add({ name: 'filemap_invalidate_unlock', ops: [rel('rwsem', 0)] });

  // §2 folio lock primitives.
  add({ name: 'folio_trylock', ops: [acq('folio-lock', 0, { rel: 'true' })], domain: 'bool', primitive: true, ref: '§2' });
  add({ name: 'trylock_page', ops: [acq('folio-lock', 0, { rel: 'true' })], primitive: true, ref: '§2' });
  for (const n of ['folio_lock', '__folio_lock', 'lock_page']) add({ name: n, ops: [acq('folio-lock', 0)], takesFolioLock: true, maySleep: true, primitive: true, ref: '§2' });
  for (const n of ['folio_lock_killable', '__folio_lock_killable', '__folio_lock_or_retry', '__folio_lock_async'])
    add({ name: n, ops: [acq('folio-lock', 0, { rel: 'zero' })], ...(n === '__folio_lock_or_retry' ? {} : { domain: 'errno' as const }), takesFolioLock: true, maySleep: true, primitive: true, ref: '§2' });
  add({ name: 'mutex_lock_interruptible', ops: [acq('mutex', 0, { rel: 'zero' })], domain: 'errno', maySleep: true });
  add({ name: 'mutex_lock_killable', ops: [acq('mutex', 0, { rel: 'zero' })], domain: 'errno', maySleep: true });
  for (const n of ['folio_unlock', 'unlock_page'])
    add({ name: n, ops: [rel('folio-lock', 0, undefined, { rule: 'R2', message: VM_BUG_LOCKED })], plainUnlock: true, primitive: true, ref: '§2' });
  add({
    name: 'folio_end_read',
    ops: [rel('folio-lock', 0, undefined, { rule: 'R2', message: 'VM_BUG_ON_FOLIO(!folio_test_locked(folio)) in folio_end_read' })],
    primitive: true,
    ref: '§2',
  });
  // Generic ->read_folio bodies a filesystem's own read_folio returns into (`return
  // block_read_full_folio(folio, ext4_get_block)`): each takes over the locked folio and unlocks it,
  // at once or from the read's completion, whatever it returns (fs/buffer.c block_read_full_folio(),
  // fs/mpage.c mpage_read_folio(), fs/iomap/buffered-io.c iomap_read_folio(), fs/netfs/buffered_read.c
  // netfs_read_folio(); Documentation/filesystems/locking.rst: "->read_folio() unlocks the folio,
  // either synchronously or via I/O completion").
  for (const [n, arg] of [['block_read_full_folio', 0], ['mpage_read_folio', 0], ['iomap_read_folio', 0], ['netfs_read_folio', 1]] as const)
    add({ name: n, ops: [{ kind: 'handoff', resource: 'folio-lock', obj: arg, to: "the read's completion" }], maySleep: true, domain: 'errno', result: 'the folio is unlocked by the read, whatever it returns', ref: 'Documentation/filesystems/locking.rst' });
  add({ name: 'folio_wait_locked', ops: [], takesFolioLock: true, maySleep: true, ref: '§2' });
  add({ name: 'folio_put_wait_locked', ops: [rel('refcount', 0)], takesFolioLock: true, maySleep: true, result: 'drops the ref and waits: the caller must not touch the folio afterwards', ref: '§2' });
  // readahead: the folio comes locked; the read path must unlock it (folio_end_read) or hand it to I/O.
  for (const n of ['readahead_folio', '__readahead_folio'])
    add({ name: n, ops: [acq('folio-lock', 'result', { rel: 'nonnull' })], domain: 'pointer', ref: '§3' });
  add({
    name: 'folio_write_one',
    ops: [needFolio(0, 'BUG_ON(!folio_test_locked(folio)) in folio_write_one'), rel('folio-lock', 0), { kind: 'unmark', resource: 'folio-cleared', obj: 0 }],
    maySleep: true,
    result: 'needs the folio locked; returns it unlocked',
    ref: '§12',
  });

  // §3 page-cache lookups returning locked folios.
  // __filemap_get_folio locks only with FGP_LOCK (FGP_WRITEBEGIN includes it); a new FGP_FOR_MMAP folio is unlocked.
  add({
    name: '__filemap_get_folio',
    match: { arg: 2, contains: ['FGP_LOCK', 'FGP_WRITEBEGIN'] },
    ops: [acq('folio-lock', 'result', { rel: 'not-err' }), acq('refcount', 'result', { rel: 'not-err' })],
    domain: 'err-pointer',
    indexArg: 1,
    takesFolioLock: true,
    maySleep: true,
    result: 'locked folio + ref, or ERR_PTR',
    ref: '§3',
  });
  add({ name: '__filemap_get_folio', ops: [acq('refcount', 'result', { rel: 'not-err' })], domain: 'err-pointer', maySleep: true, result: 'folio + ref (not locked without FGP_LOCK), or ERR_PTR', ref: '§3' });
  // include/linux/pagemap.h: filemap_get_folio() is __filemap_get_folio(mapping, index, 0, 0): "Return: A
  // folio or ERR_PTR(-ENOENT) if there is no folio in the cache for this index", with a reference, unlocked.
  add({ name: 'filemap_get_folio', ops: [acq('refcount', 'result', { rel: 'not-err' })], domain: 'err-pointer', result: 'folio + ref (not locked), or ERR_PTR(-ENOENT)', ref: 'include/linux/pagemap.h' });
  for (const n of ['filemap_lock_folio', 'filemap_grab_folio', 'grab_cache_page_write_begin', 'netfs_grab_folio_for_write'])
    add({
      name: n,
      ops: [acq('folio-lock', 'result', { rel: 'not-err' }), acq('refcount', 'result', { rel: 'not-err' })],
      domain: 'err-pointer',
      indexArg: 1,
      takesFolioLock: true,
      maySleep: true,
      result: 'locked folio + ref, or ERR_PTR',
      ref: '§3',
    });
  // filemap_add_folio() (mm/filemap.c) sets the folio locked before inserting it and clears the lock
  // again when the insert fails: on success (0) the caller holds the lock of the new folio, which it
  // unlocks or hands to the read (page_cache_ra_unbounded(), __filemap_get_folio()).
  for (const n of ['filemap_add_folio', 'add_to_page_cache_lru'])
    add({ name: n, ops: [acq('folio-lock', n === 'filemap_add_folio' ? 1 : 0, { rel: 'zero' })], domain: 'errno', maySleep: true, result: 'the new folio, locked, in the page cache (0), or an errno with the folio unlocked', ref: '§3' });
  add({ name: 'iomap_get_folio', ops: [acq('folio-lock', 'result', { rel: 'not-err' }), acq('refcount', 'result', { rel: 'not-err' })], domain: 'err-pointer', takesFolioLock: true, maySleep: true, ref: '§10.1' });
  // 9p fids (fs/9p/fid.h, net/9p/client.c): the lookups and walks return a referenced fid or an
  // ERR_PTR; p9_fid_put() drops a reference (clunking the fid at the last one; NULL is allowed) and
  // p9_client_clunk() did the same before fids were refcounted.
  // (p9_client_walk() and p9_client_attach() are left out: a non-cloning walk returns the fid it was
  // given, and fs/9p/fid.c juggles such fids in ways only an alias-aware model could follow.)
  // clone_fid() passes an ERR_PTR through, and p9_fid_put() ignores NULL and ERR_PTR fids.
  for (const n of ['v9fs_fid_lookup', 'v9fs_parent_fid', 'clone_fid'])
    add({ name: n, ops: [acq('refcount', 'result', { rel: 'not-err' })], domain: 'err-pointer', maySleep: true, ...(n === 'clone_fid' ? { takesErr: true } : {}), result: 'a referenced fid, or an ERR_PTR', ref: 'fs/9p/fid.h' });
  add({ name: 'p9_fid_put', ops: [rel('refcount', 0, undefined, { rule: 'R9' })], maySleep: true, takesErr: true, ref: 'include/net/9p/client.h' });
  add({ name: 'p9_client_clunk', ops: [rel('refcount', 0, undefined, { rule: 'R9' })], maySleep: true, ref: 'include/net/9p/client.h' });
  // SMB client open files (fs/smb/client/file.c, cifsglob.h): cifsFileInfo_get() takes a reference,
  // cifsFileInfo_put() drops one (closing the handle at the last); the finders return a referenced
  // cifsFileInfo through their out-parameter when they return 0 (cifs_get_writable_file() takes it
  // with cifsFileInfo_get()), or a referenced one or NULL (find_readable_file/find_writable_file).
  // smb2_compound_op() consumes the cfile it is given on every path (it ends with
  // `if (cfile) cifsFileInfo_put(cfile);`, fs/smb/client/smb2inode.c): a caller that retries must take
  // a new reference first.
  add({ name: 'cifsFileInfo_get', ops: [acq('refcount', 0)], result: 'the same cfile, with one more reference', ref: 'fs/smb/client/file.c' });
  for (const n of ['cifsFileInfo_put', '_cifsFileInfo_put'])
    add({ name: n, ops: [rel('refcount', 0, undefined, { rule: 'R9' })], maySleep: true, ref: 'fs/smb/client/file.c' });
  add({ name: 'cifs_get_writable_path', ops: [acq('refcount', 3, { rel: 'zero' })], domain: 'errno', nullsOnFailure: true, result: '0 ⇒ *ret_file referenced', ref: 'fs/smb/client/file.c' });
  add({ name: 'cifs_get_readable_path', ops: [acq('refcount', 2, { rel: 'zero' })], domain: 'errno', nullsOnFailure: true, result: '0 ⇒ *ret_file referenced', ref: 'fs/smb/client/file.c' });
  add({ name: 'cifs_get_writable_file', ops: [acq('refcount', 2, { rel: 'zero' })], domain: 'errno', nullsOnFailure: true, result: '0 ⇒ *ret_file referenced', ref: 'fs/smb/client/file.c' });
  for (const n of ['find_readable_file', 'find_writable_file'])
    add({ name: n, ops: [acq('refcount', 'result', { rel: 'nonnull' })], domain: 'pointer', result: 'a referenced cfile or NULL', ref: 'fs/smb/client/file.c' });
  // SMB client tree connections (fs/smb/client/connect.c): "REMEMBER to call cifs_put_tlink() after
  // successful calls to cifs_sb_tlink"; cifs_sb_tlink() returns a referenced tcon_link or an ERR_PTR,
  // and cifs_put_tlink() ignores NULL and ERR_PTR links.
  add({ name: 'cifs_sb_tlink', ops: [acq('refcount', 'result', { rel: 'not-err' })], domain: 'err-pointer', result: 'a referenced tcon_link, or an ERR_PTR', ref: 'fs/smb/client/connect.c' });
  add({ name: 'cifs_put_tlink', ops: [rel('refcount', 0, undefined, { rule: 'R9' })], takesErr: true, ref: 'fs/smb/client/connect.c' });
  add({ name: 'smb2_compound_op', ops: [rel('refcount', 8, undefined, { rule: 'R9' })], maySleep: true, domain: 'errno', result: 'puts the cfile it was given, whatever it returns', ref: 'fs/smb/client/smb2inode.c' });
  // mbcache entries (fs/mbcache.c, include/linux/mbcache.h): the finders "grab a reference to the
  // entry found" (NULL when none); mb_cache_entry_find_next() "drops reference to @entry and returns
  // with a reference to the found entry"; mb_cache_entry_put() drops one.
  for (const n of ['mb_cache_entry_find_first', 'mb_cache_entry_get'])
    add({ name: n, ops: [acq('refcount', 'result', { rel: 'nonnull' })], domain: 'pointer', result: 'a referenced entry, or NULL', ref: 'fs/mbcache.c' });
  add({ name: 'mb_cache_entry_find_next', ops: [rel('refcount', 1, undefined, { rule: 'R9' }), acq('refcount', 'result', { rel: 'nonnull' })], domain: 'pointer', result: 'puts @entry; the next referenced entry, or NULL', ref: 'fs/mbcache.c' });
  add({ name: 'mb_cache_entry_put', ops: [rel('refcount', 1, undefined, { rule: 'R9' })], ref: 'include/linux/mbcache.h' });
  // btrfs "double reader-writer exclusion" locks (fs/btrfs/locking.c): the write side is taken by
  // btrfs_drew_write_lock() or a true btrfs_drew_try_write_lock() and ended by btrfs_drew_write_unlock();
  // the read side by btrfs_drew_read_lock()/btrfs_drew_read_unlock().
  add({ name: 'btrfs_drew_write_lock', ops: [acq('rwsem', 0)], maySleep: true, ref: 'fs/btrfs/locking.c' });
  add({ name: 'btrfs_drew_try_write_lock', ops: [acq('rwsem', 0, { rel: 'true' })], domain: 'bool', result: 'true ⇒ write side held', ref: 'fs/btrfs/locking.c' });
  add({ name: 'btrfs_drew_write_unlock', ops: [rel('rwsem', 0, undefined, { rule: 'LK2' })], ref: 'fs/btrfs/locking.c' });
  add({ name: 'btrfs_drew_read_lock', ops: [acq('rwsem', 0)], maySleep: true, ref: 'fs/btrfs/locking.c' });
  add({ name: 'btrfs_drew_read_unlock', ops: [rel('rwsem', 0, undefined, { rule: 'LK2' })], ref: 'fs/btrfs/locking.c' });
  // btrfs extent buffers (fs/btrfs/extent_io.c, extent-tree.c, locking.c): btrfs_alloc_tree_block()
  // returns a new tree block referenced and write-locked (btrfs_tree_lock) or an ERR_PTR; the readers
  // return it referenced only; btrfs_lock_root_node()/btrfs_read_lock_root_node() return the root node
  // referenced and locked. free_extent_buffer() (NULL allowed) and free_extent_buffer_stale() drop a
  // reference; btrfs_tree_unlock()/btrfs_tree_read_unlock() drop the lock, which is an rw semaphore.
  add({ name: 'btrfs_alloc_tree_block', ops: [acq('refcount', 'result', { rel: 'not-err' }, { rule: 'R9' }), acq('rwsem', 'result', { rel: 'not-err' })], domain: 'err-pointer', maySleep: true, result: 'a new tree block, referenced and write-locked, or an ERR_PTR', ref: 'fs/btrfs/extent-tree.c' });
  for (const n of ['read_tree_block', 'btrfs_read_node_slot', 'btrfs_find_create_tree_block', 'alloc_extent_buffer'])
    add({ name: n, ops: [acq('refcount', 'result', { rel: 'not-err' }, { rule: 'R9' })], domain: 'err-pointer', maySleep: true, result: 'an extent buffer with a reference, or an ERR_PTR', ref: 'fs/btrfs/extent_io.c' });
  add({ name: 'btrfs_root_node', ops: [acq('refcount', 'result', undefined, { rule: 'R9' })], result: 'the root node with a reference', ref: 'fs/btrfs/ctree.c' });
  for (const n of ['btrfs_lock_root_node', 'btrfs_read_lock_root_node'])
    add({ name: n, ops: [acq('refcount', 'result', undefined, { rule: 'R9' }), acq('rwsem', 'result')], maySleep: true, result: 'the root node, referenced and locked', ref: 'fs/btrfs/ctree.c' });
  for (const n of ['free_extent_buffer', 'free_extent_buffer_stale'])
    add({ name: n, ops: [rel('refcount', 0, undefined, { rule: 'R9' })], ref: 'fs/btrfs/extent_io.c' });
  for (const n of ['btrfs_tree_lock', 'btrfs_tree_read_lock', 'btrfs_tree_lock_nested', 'btrfs_tree_read_lock_nested'])
    add({ name: n, ops: [acq('rwsem', 0)], maySleep: true, ref: 'fs/btrfs/locking.c' });
  for (const n of ['btrfs_try_tree_write_lock', 'btrfs_try_tree_read_lock'])
    add({ name: n, ops: [acq('rwsem', 0, { rel: 'true' })], domain: 'bool', ref: 'fs/btrfs/locking.c' });
  for (const n of ['btrfs_tree_unlock', 'btrfs_tree_read_unlock'])
    add({ name: n, ops: [rel('rwsem', 0)], ref: 'fs/btrfs/locking.c' });
  // btrfs chunk maps (fs/btrfs/volumes.c): btrfs_alloc_chunk_map() returns a map with one reference
  // (NULL on failure), the lookups a referenced map (NULL, or an ERR_PTR from btrfs_get_chunk_map());
  // btrfs_add_chunk_map() keeps the caller's reference in the mapping tree when it returns 0 and leaves
  // it with the caller on error; btrfs_free_chunk_map() drops a reference (NULL allowed).
  add({ name: 'btrfs_alloc_chunk_map', ops: [acq('refcount', 'result', { rel: 'nonnull' }, { rule: 'R9' })], domain: 'pointer', result: 'a chunk map with a reference, or NULL', ref: 'fs/btrfs/volumes.c' });
  add({ name: 'btrfs_find_chunk_map', ops: [acq('refcount', 'result', { rel: 'nonnull' }, { rule: 'R9' })], domain: 'pointer', result: 'a referenced chunk map, or NULL', ref: 'fs/btrfs/volumes.c' });
  add({ name: 'btrfs_get_chunk_map', ops: [acq('refcount', 'result', { rel: 'not-err' }, { rule: 'R9' })], domain: 'err-pointer', result: 'a referenced chunk map, or an ERR_PTR', ref: 'fs/btrfs/volumes.c' });
  add({ name: 'btrfs_add_chunk_map', ops: [{ kind: 'handoff', resource: 'refcount', obj: 1, when: { rel: 'zero' }, to: 'the mapping tree' }], domain: 'errno', result: '0: the tree keeps the reference; an errno: the caller still holds it', ref: 'fs/btrfs/volumes.c' });
  add({ name: 'btrfs_free_chunk_map', ops: [rel('refcount', 0, undefined, { rule: 'R9' })], ref: 'fs/btrfs/volumes.c' });
  // __folio_put() (mm/swap.c) frees the folio outright: folio_put() calls it only once
  // folio_put_testzero() has dropped the last reference. Called directly, it frees a folio that
  // others (the page cache, another array) still reference.
  for (const n of ['__folio_put', '__put_page'])
    add({ name: n, ops: [], misuse: { resource: 'refcount', rule: 'R9', message: `${n}() frees the folio whatever its reference count: it is what folio_put() calls once the last reference is gone; drop a reference with folio_put()` }, ref: '§1.1' });
  // nfs_netfs_folio_unlock() (fs/nfs/fscache.h) says who unlocks a read folio: true, the caller; false,
  // netfs, because fscache is enabled and netfs will unlock it.
  add({ name: 'nfs_netfs_folio_unlock', ops: [{ kind: 'handoff', resource: 'folio-lock', obj: 0, when: { rel: 'false' }, to: 'netfs (fscache)' }], domain: 'bool', result: 'true: the caller unlocks the folio; false: netfs will', ref: 'fs/nfs/fscache.h' });
  add({ name: 'folio_get', ops: [acq('refcount', 0)], ref: '§1.1' });
  add({ name: 'folio_put', ops: [rel('refcount', 0, undefined, { rule: 'R9' })], ref: '§1.1' });
  // Buffer heads (include/linux/buffer_head.h, fs/buffer.c): __getblk()/__bread() and their sb_
  // wrappers return the buffer with a reference held (NULL when none could be had), which the caller
  // drops with brelse()/put_bh() (or bforget()), brelse(NULL) being allowed; get_bh() takes another.
  // ext4's bitmap and directory-block readers return the buffer or an ERR_PTR.
  for (const n of ['sb_bread', 'sb_bread_unmovable', '__bread', '__bread_gfp', 'sb_getblk', 'sb_getblk_gfp', '__getblk', '__getblk_gfp', 'bdev_getblk', 'sb_find_get_block'])
    add({ name: n, ops: [acq('refcount', 'result', { rel: 'nonnull' }, { rule: 'R9' })], domain: 'pointer', result: 'buffer head with a reference, or NULL', ref: 'buffer_head.h' });
  for (const n of ['ext4_read_inode_bitmap', 'ext4_read_block_bitmap', 'ext4_append', 'ext4_sb_bread'])
    add({ name: n, ops: [acq('refcount', 'result', { rel: 'not-err' }, { rule: 'R9' })], domain: 'err-pointer', result: 'buffer head with a reference, or ERR_PTR', ref: 'buffer_head.h' });
  add({ name: 'get_bh', ops: [acq('refcount', 0)], ref: 'buffer_head.h' });
  for (const n of ['brelse', '__brelse', 'put_bh', 'bforget', '__bforget'])
    add({ name: n, ops: [rel('refcount', 0, undefined, { rule: 'R9' })], ref: 'buffer_head.h' });
  add({ name: 'find_lock_entries', ops: [], ref: '§3 (trylock; skips)' });

  // §4 dirty / writeback / stable primitives.
  add({
    name: 'folio_clear_dirty_for_io',
    ops: [needFolio(0, 'VM_BUG_ON_FOLIO(!folio_test_locked(folio)) in folio_clear_dirty_for_io'), { kind: 'mark', resource: 'folio-cleared', obj: 0, when: { rel: 'true' } }],
    domain: 'bool',
    result: 'true: it was dirty (now cleared: write it or redirty it)',
    ref: '§4',
  });
  for (const n of ['folio_start_writeback', '__folio_start_writeback'])
    add({
      name: n,
      ops: [needFolio(0, 'VM_BUG_ON_FOLIO(!folio_test_locked(folio)) in __folio_start_writeback'), acq('writeback-bit', 0), { kind: 'unmark', resource: 'folio-cleared', obj: 0 }],
      ref: '§4',
    });
  add({ name: 'folio_end_writeback', ops: [rel('writeback-bit', 0, undefined, { rule: 'R7', message: 'VM_BUG_ON_FOLIO(!folio_test_writeback(folio)) in folio_end_writeback' })], ref: '§4' });
  add({ name: 'folio_redirty_for_writepage', ops: [{ kind: 'unmark', resource: 'folio-cleared', obj: 1 }], ref: '§4' });
  for (const n of ['folio_mark_dirty', 'filemap_dirty_folio', 'folio_mark_dirty_lock']) add({ name: n, ops: [{ kind: 'unmark', resource: 'folio-cleared', obj: n === 'filemap_dirty_folio' ? 1 : 0 }], ref: '§4' });
  for (const n of ['folio_wait_writeback', 'folio_wait_stable', 'folio_wait_writeback_killable']) add({ name: n, ops: [], maySleep: true, ref: '§4' });
  add({ name: 'mapping_set_stable_writes', ops: [{ kind: 'mark', resource: 'stable-writes', obj: 0 }], ref: '§1.2' });
  add({ name: 'mapping_clear_stable_writes', ops: [], ref: '§1.2' });
  add({ name: 'inode_writethrough_begin', ops: [acq('stable-writes', 0)], ref: '§10.3 (RFC)' });
  add({ name: 'inode_writethrough_end', ops: [rel('stable-writes', 0, undefined, { rule: 'ST1' })], ref: '§10.3 (RFC)' });

  // §5 writeback_iter: folio ACQ on non-NULL; the iteration is open until it returns NULL.
  add({
    name: 'writeback_iter',
    ops: [
      { kind: 'requires-released', resource: 'folio-lock', obj: 2, rule: 'R4', message: 'writeback_iter() called with the previous folio still locked (caller must unlock it first)' },
      acq('wb-iter', 1, undefined, { rule: 'R4' }),
      acq('folio-lock', 'result', { rel: 'nonnull' }),
      { kind: 'mark', resource: 'folio-cleared', obj: 'result', when: { rel: 'nonnull' } },
      rel('wb-iter', 1, { rel: 'null' }),
    ],
    domain: 'pointer',
    takesFolioLock: true,
    maySleep: true,
    primitive: true,
    result: 'locked folio (dirty already cleared) or NULL at the end',
    ref: '§5',
  });
  // writeback_iter's iteration starts on the first call (folio NULL): the acquire op above is guarded below.
  const wi = e[e.length - 1];
  wi.ops[1] = { ...wi.ops[1], guard: { arg: 2, equals: 'NULL' } };

  // The iterator's insides, as called by pre-iterator write_cache_pages: a locked folio, dirty cleared.
  add({
    name: 'writeback_get_folio',
    ops: [acq('folio-lock', 'result', { rel: 'nonnull' }), { kind: 'mark', resource: 'folio-cleared', obj: 'result', when: { rel: 'nonnull' } }],
    domain: 'pointer',
    takesFolioLock: true,
    maySleep: true,
    ref: '§5',
  });
  // Writeback entry points that reach writeback_iter (SELF-DL with a folio lock; WB6 with the wb lock).
  for (const n of ['do_writepages', 'filemap_write_and_wait_range', 'filemap_write_and_wait', 'filemap_fdatawrite', 'filemap_fdatawrite_range', 'filemap_fdatawrite_wbc', 'filemap_flush', 'write_inode_now', 'sync_inode_metadata', 'netfs_writepages', 'iomap_writepages'])
    add({ name: n, ops: [], takesFolioLock: true, reachesWriteback: true, maySleep: true, ref: '§12' });
  for (const n of ['truncate_inode_pages', 'truncate_inode_pages_range', 'truncate_pagecache', 'invalidate_inode_pages2_range', 'iomap_zero_range', 'iomap_truncate_page', 'iomap_file_unshare', 'set_page_dirty_lock', 'filemap_fault'])
    add({ name: n, ops: [], takesFolioLock: true, maySleep: true, ref: '§12' });

  // §7 netfs write paths: callee conventions.
  add({ name: 'netfs_write_folio', ops: [rel('folio-lock', 2, { rel: 'nonnegative' }), { kind: 'unmark', resource: 'folio-cleared', obj: 2 }], domain: 'errno', result: '0: folio unlocked; -ENOMEM (pre-fix): still locked', ref: '§7.2' });
  // writepage_t callbacks (write_cache_pages): the callee unlocks the folio unless it returns AOP_WRITEPAGE_ACTIVATE.
  add({ name: 'writepage', ops: [rel('folio-lock', 0, { rel: 'ne', value: 'AOP_WRITEPAGE_ACTIVATE' }), { kind: 'unmark', resource: 'folio-cleared', obj: 0 }], result: 'AOP_WRITEPAGE_ACTIVATE ⇒ folio still locked', ref: '§5 (iv)' });
  // include/linux/pagevec.h: a folio added to a batch is the batch's (its reference, and its lock when
  // the batch is returned locked, as find_lock_entries() does); the batch's owner releases them
  // (folio_batch_release(), or unlocks each folio).
  add({ name: 'folio_batch_add', ops: [{ kind: 'handoff', resource: 'folio-lock', obj: 1, to: 'folio batch' }, { kind: 'handoff', resource: 'refcount', obj: 1, to: 'folio batch' }], ref: 'pagevec.h' });
  add({ name: 'netfs_kill_dirty_pages', ops: [rel('folio-lock', 2), rel('wb-iter', 1), { kind: 'unmark', resource: 'folio-cleared', obj: 2 }], takesFolioLock: true, ref: '§7.1' });
  add({ name: 'netfs_advance_writethrough', ops: [rel('folio-lock', 2)], ref: '§7.3 (post-fix: always unlocks)' });
  add({ name: 'netfs_end_writethrough', ops: [{ kind: 'handoff', resource: 'wb-lock', obj: 'held', to: 'wreq', variety: 'bit' }], takesFolioLock: true, ref: '§7.3' });
  add({ name: 'netfs_begin_writethrough', ops: [acq('wb-lock', 'result', { rel: 'not-err' }, { variety: 'bit' })], domain: 'err-pointer', waitsForWbLock: true, maySleep: true, ref: '§7.3' });
  add({ name: 'netfs_write_begin', ops: [acq('folio-lock', 5, { rel: 'zero' })], domain: 'errno', takesFolioLock: true, maySleep: true, result: '0 ⇒ *foliop locked (XFER to caller)', ref: '§9' });
  add({ name: 'netfs_prefetch_for_write', ops: [needFolio(1, 'netfs_prefetch_for_write() needs the folio locked')], ref: '§9' });
  add({ name: 'netfs_page_mkwrite', ops: [], takesFolioLock: true, maySleep: true, result: 'VM_FAULT_LOCKED ⇒ folio locked, XFER to the fault core', ref: '§7.4' });
  add({ name: 'netfs_writeback_single', ops: [], maySleep: true, waitsForWbLock: true, result: '0 ok, 1 skipped (inode re-dirtied), <0 error', ref: '§7.5' });
  add({ name: 'netfs_write_collection', ops: [], ref: '§8' });
  add({ name: 'netfs_single_mark_inode_dirty', ops: [{ kind: 'mark', resource: 'inode-dirty', obj: 0 }], ref: '§7.5' });
  for (const n of ['mark_inode_dirty', 'mark_inode_dirty_sync', '__mark_inode_dirty']) add({ name: n, ops: [{ kind: 'mark', resource: 'inode-dirty', obj: 0 }] });

  // §10 iomap.
  // iomap_write_begin(iter, write_ops, &folio, &offset, &len) (6.16 on): 0 with the folio locked.
  // The older iomap_write_begin(iter, pos, len, &folio) also returns 0 without a folio when it marks
  // the mapping stale (IOMAP_F_STALE, tested by the caller after): no entry, its body decides.
  add({ name: 'iomap_write_begin', match: { arg: 2, contains: ['&'] }, ops: [acq('folio-lock', 2, { rel: 'zero' })], takesFolioLock: true, maySleep: true, ref: '§10.1' });
  add({ name: '__iomap_put_folio', ops: [rel('folio-lock', 3, undefined, { rule: 'R2', message: VM_BUG_LOCKED })], ref: '§10.1' });
  add({ name: 'iomap_page_mkwrite', ops: [], takesFolioLock: true, maySleep: true, ref: '§10.1' });
  add({ name: 'iomap_writeback_folio', ops: [needFolio(1, 'WARN_ON_ONCE(!folio_test_locked(folio)) in iomap_writeback_folio'), { kind: 'unmark', resource: 'folio-cleared', obj: 1 }], ref: '§10.2' });

  for (const n of NEUTRAL) add({ name: n, ops: [] });
  // Folio data and flag helpers (include/linux/pagemap.h, highmem.h, page-flags.h): they copy, zero,
  // map or flag the folio's contents and never take or drop its lock or the caller's reference.
  // folio_attach_private() takes a reference that belongs to the private data and
  // folio_detach_private() drops that one again: a pair of their own, not the caller's.
  for (const n of FOLIO_DATA) add({ name: n, ops: [], ref: 'pagemap.h' });
  return e;
}

function indexEntries(entries: ApiEntry[]): ApiTable {
  const byName: Record<string, ApiEntry[]> = {};
  for (const x of entries) {
    if (!Object.prototype.hasOwnProperty.call(byName, x.name)) byName[x.name] = [];
    byName[x.name].push(x);
  }
  return { byName };
}

let builtinCache: ApiTable | null = null;
/** The built-in table (shared, treat as read-only). */
export function builtinApiTable(): ApiTable {
  if (!builtinCache) builtinCache = indexEntries(builtinEntries());
  return builtinCache;
}

/**
 * Tracepoints (`trace_<event>()`, generated by TRACE_EVENT; include/linux/tracepoint.h) only record
 * their arguments into the trace buffer: they take, drop and hand over nothing.
 */
const TRACEPOINT: ApiEntry = { name: 'trace_*', ops: [], result: 'none (a tracepoint records its arguments)' };

/** Finds the entry for a call (first entry whose `match` fits the arguments; a tracepoint is neutral). */
export function lookupApi(table: ApiTable, name: string, args: string[]): ApiEntry | null {
  if (!Object.prototype.hasOwnProperty.call(table.byName, name) && /^trace_[a-z0-9_]+$/.test(name)) return TRACEPOINT;
  if (!Object.prototype.hasOwnProperty.call(table.byName, name)) {
    // Indirect calls ("mapping->a_ops->writepage", "(*writepage)"): try the member / pointer name.
    const m = /(?:->|\.|\(\s*\*\s*)([A-Za-z_][A-Za-z0-9_]*)\s*\)?\s*$/.exec(name);
    if (!m || m[1] === name || !Object.prototype.hasOwnProperty.call(table.byName, m[1])) return null;
    name = m[1];
  }
  for (const x of table.byName[name]) {
    if (!x.match) return x;
    const a = (args[x.match.arg] ?? '').trim();
    if (x.match.equals !== undefined && a === x.match.equals) return x;
    if (x.match.endsWith !== undefined && a.endsWith(x.match.endsWith)) return x;
    if (x.match.contains !== undefined && x.match.contains.some((c) => a.includes(c))) return x;
  }
  return null;
}

// ───────────────────────────── user extensions (JSON) ─────────────────────────────

const RELATIONS: Relation[] = ['true', 'false', 'zero', 'nonzero', 'negative', 'nonnegative', 'is-err', 'not-err', 'null', 'nonnull', 'eq', 'ne'];

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function validateOp(x: unknown, where: string, problems: Problem[]): ApiOp | null {
  if (!isObj(x)) {
    problems.push({ kind: 'api-table', message: `${where}: expected an object like {"kind":"acquire","resource":"mutex","obj":0}` });
    return null;
  }
  let ok = true;
  const bad = (m: string) => {
    problems.push({ kind: 'api-table', message: `${where}.${m}` });
    ok = false;
  };
  if (typeof x.kind !== 'string' || !OP_KINDS.includes(x.kind as OpKind)) bad(`kind: expected one of ${OP_KINDS.join(', ')}, got ${JSON.stringify(x.kind)}`);
  if (typeof x.resource !== 'string' || x.resource === '') bad(`resource: expected a non-empty string such as "mutex" or "folio-lock", got ${JSON.stringify(x.resource)}`);
  const obj = x.obj;
  if (!(typeof obj === 'number' && Number.isInteger(obj) && obj >= 0) && obj !== 'result' && obj !== 'held')
    bad(`obj: expected an argument index (0, 1, ...), "result" or "held", got ${JSON.stringify(obj)}`);
  if (x.when !== undefined) {
    if (!isObj(x.when) || typeof x.when.rel !== 'string' || !RELATIONS.includes(x.when.rel as Relation))
      bad(`when.rel: expected one of ${RELATIONS.join(', ')}, got ${JSON.stringify(isObj(x.when) ? x.when.rel : x.when)}`);
    else if ((x.when.rel === 'eq' || x.when.rel === 'ne') && typeof x.when.value !== 'string') bad(`when.value: "${x.when.rel}" needs a "value" string`);
  }
  if (x.guard !== undefined && !(isObj(x.guard) && typeof x.guard.arg === 'number' && typeof x.guard.equals === 'string'))
    bad('guard: expected {"arg": <index>, "equals": "<text>"}');
  if (x.variety !== undefined && x.variety !== 'bit' && x.variety !== 'mutex') bad(`variety: expected "bit" or "mutex", got ${JSON.stringify(x.variety)}`);
  for (const k of ['to', 'rule', 'message', 'global']) if (x[k] !== undefined && typeof x[k] !== 'string') bad(`${k}: expected a string`);
  if (x.needsRequest !== undefined && typeof x.needsRequest !== 'boolean') bad('needsRequest: expected true or false');
  const known = new Set(['kind', 'resource', 'obj', 'when', 'guard', 'to', 'needsRequest', 'variety', 'rule', 'message', 'global']);
  for (const k of Object.keys(x).sort()) if (!known.has(k)) bad(`${k}: unknown field (known: ${[...known].join(', ')})`);
  return ok ? (JSON.parse(JSON.stringify(x)) as ApiOp) : null;
}

function validateEntry(x: unknown, where: string, problems: Problem[]): ApiEntry | null {
  if (!isObj(x)) {
    problems.push({ kind: 'api-table', message: `${where}: expected an object like {"name":"my_lock","ops":[...]}` });
    return null;
  }
  const before = problems.length;
  if (typeof x.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(x.name))
    problems.push({ kind: 'api-table', message: `${where}.name: expected a C function name, got ${JSON.stringify(x.name)}` });
  if (!Array.isArray(x.ops)) problems.push({ kind: 'api-table', message: `${where}.ops: expected an array of operations (may be empty)` });
  const ops: ApiOp[] = [];
  if (Array.isArray(x.ops)) x.ops.forEach((o, i) => { const v = validateOp(o, `${where}.ops[${i}]`, problems); if (v) ops.push(v); });
  for (const k of ['takesFolioLock', 'reachesWriteback', 'waitsForWbLock', 'maySleep', 'primitive', 'takesErr', 'nullsOnFailure', 'plainUnlock'])
    if (x[k] !== undefined && typeof x[k] !== 'boolean') problems.push({ kind: 'api-table', message: `${where}.${k}: expected true or false` });
  if (x.cannotFailWhenArgFalse !== undefined && typeof x.cannotFailWhenArgFalse !== 'number')
    problems.push({ kind: 'api-table', message: `${where}.cannotFailWhenArgFalse: expected an argument index` });
  if (x.match !== undefined && !(isObj(x.match) && typeof x.match.arg === 'number' && (typeof x.match.equals === 'string' || typeof x.match.endsWith === 'string' || (Array.isArray(x.match.contains) && x.match.contains.every((c) => typeof c === 'string')))))
    problems.push({ kind: 'api-table', message: `${where}.match: expected {"arg": <index>, "equals"|"endsWith": "<text>"} or {"arg": <index>, "contains": ["<text>", ...]}` });
  if (x.domain !== undefined && !['errno', 'bool', 'pointer', 'err-pointer'].includes(x.domain as string))
    problems.push({ kind: 'api-table', message: `${where}.domain: expected one of errno, bool, pointer, err-pointer, got ${JSON.stringify(x.domain)}` });
  for (const k of ['indexArg']) if (x[k] !== undefined && typeof x[k] !== 'number') problems.push({ kind: 'api-table', message: `${where}.${k}: expected an argument index` });
  if (x.plainUnlock !== undefined && typeof x.plainUnlock !== 'boolean') problems.push({ kind: 'api-table', message: `${where}.plainUnlock: expected true or false` });
  if (x.misuse !== undefined && !(isObj(x.misuse) && typeof x.misuse.resource === 'string' && typeof x.misuse.rule === 'string' && typeof x.misuse.message === 'string'))
    problems.push({ kind: 'api-table', message: `${where}.misuse: expected { "resource", "rule", "message" } strings` });
  const known = new Set(['name', 'match', 'ops', 'cannotFailWhenArgFalse', 'takesFolioLock', 'reachesWriteback', 'waitsForWbLock', 'maySleep', 'primitive', 'result', 'ref', 'domain', 'indexArg', 'plainUnlock', 'misuse', 'takesErr', 'nullsOnFailure']);
  for (const k of Object.keys(x).sort()) if (!known.has(k)) problems.push({ kind: 'api-table', message: `${where}.${k}: unknown field (known: ${[...known].join(', ')})` });
  if (problems.length !== before) return null;
  const out = JSON.parse(JSON.stringify(x)) as ApiEntry;
  out.ops = ops;
  return out;
}

/**
 * The built-in table extended by user entries. `extra` is parsed JSON: `{ "functions": [...] }` or a
 * bare array of entries. User entries for a name come before the built-in ones (they win).
 */
export function loadApiTable(extra?: unknown): { table: ApiTable; problems: Problem[] } {
  const problems: Problem[] = [];
  const user: ApiEntry[] = [];
  if (extra !== undefined && extra !== null) {
    let list: unknown = extra;
    let base = 'functions';
    if (isObj(extra)) {
      list = extra.functions;
      for (const k of Object.keys(extra).sort())
        if (k !== 'functions' && k !== '$schema' && k !== 'comment') problems.push({ kind: 'api-table', message: `${k}: unknown top-level field (expected "functions")` });
    } else base = '';
    if (!Array.isArray(list)) problems.push({ kind: 'api-table', message: `${base || '(top level)'}: expected an array of function entries` });
    else list.forEach((x, i) => { const v = validateEntry(x, `${base}[${i}]`, problems); if (v) user.push(v); });
  }
  if (user.length === 0) return { table: builtinApiTable(), problems };
  return { table: indexEntries([...user, ...builtinEntries()]), problems };
}
