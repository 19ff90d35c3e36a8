/*
 * Function contracts, as data: the entry state a function is run from (per variant) and what each
 * return class may leave held. Chosen by function name, then by role (->writepages implementations),
 * else the default: nothing held on entry, nothing held at any return.
 */
import type { FunctionAnalysis } from '../types';
import type { Env, ReturnClass } from './conditions';
import type { PatchExit } from '../patchIntent';
import { builtinApiTable, lookupApi } from './apiTable';

export interface EntryHeld {
  resource: string;
  /** '*' = the function's own instance, whatever the code calls it (bound at first use). */
  object: string;
  /** 'task': held by the running task; 'request': owned by the request the function collects. */
  owner: 'task' | 'request';
  variety?: 'bit' | 'mutex';
  /** Held only by the patch's word (patchIntent.ts): what a finding about it rests on. */
  assumed?: string;
  /** Unseen labels that, by the patch's word, do not release it. */
  assumedLabels?: string[];
  /** Shown lines after which, by the patch's word, the code past the last shown line does not release it. */
  assumedExits?: PatchExit[];
  /** Calls (`name(args)`) that, by the patch's word, leave it held. */
  assumedKeptBy?: string[];
  /** Not held at all, by the patch's word (it removes a release): a release of it is a stray one. */
  assumedFree?: true;
  /** An ownership predicate that must be asked before releasing it (patchIntent.ts); not held by this entry. */
  askFirst?: string;
  /** Taken by this call (`keptKey`), not on entry (patchIntent.ts acquiredBy). */
  assumedAcquiredBy?: string;
  /** Not held on entry: only which calls left it held (patchIntent.ts keepOnly). */
  keepOnly?: true;
}

export interface ContractVariant {
  name: string;
  env: Env;
  entryHeld: EntryHeld[];
  /** Words for the timeline ("wbc->sync_mode == WB_SYNC_NONE"). */
  description: string;
  /** Resources the variant knows are NOT held on entry, even if code the patch does not show comes first. */
  knownFree?: string[];
  /** Names that are one object from the start (the read_folio folio and its unseen page). */
  aliases?: string[][];
}

export interface FunctionContract {
  role: 'writepages' | 'writeback-single' | 'begin-writethrough' | 'end-writethrough' | 'write-collector' | 'page-mkwrite' | 'read-folio' | 'default';
  variants: ContractVariant[];
  /** Resources a return of this class may leave held (returned to the caller). */
  heldAtReturn: { resource: string; classes: ReturnClass[] }[];
  /** netfs_end_issue_write / ALL_QUEUED hand the wb lock to the request even if its creation is not shown. */
  handoffWithoutRequest: boolean;
  /** Single-object writeback: the VFS un-dirtied the inode; returning 1 (skipped) must re-dirty it. */
  inodeDirtyRule: boolean;
  /** Trace lane. */
  task: string;
  /** Set when the function implements a modeled primitive (not path-checked). */
  skipped: string | null;
}

const SYNC_VARIANTS: ContractVariant[] = [
  { name: 'WB_SYNC_NONE', env: { sync_mode: 'WB_SYNC_NONE' }, entryHeld: [], description: 'wbc->sync_mode == WB_SYNC_NONE' },
  { name: 'WB_SYNC_ALL', env: { sync_mode: 'WB_SYNC_ALL' }, entryHeld: [], description: 'wbc->sync_mode == WB_SYNC_ALL' },
];

/** Request origins that own the wb lock when they reach the collector (handed from the issuer). */
export const WB_OWNING_ORIGINS = ['NETFS_WRITEBACK', 'NETFS_WRITEBACK_SINGLE', 'NETFS_WRITETHROUGH'];
export const WB_FREE_ORIGINS = ['NETFS_DIO_WRITE', 'NETFS_UNBUFFERED_WRITE', 'NETFS_PGPRIV2_COPY_TO_CACHE'];

const base = (over: Partial<FunctionContract>): FunctionContract => ({
  role: 'default',
  variants: [{ name: 'default', env: {}, entryHeld: [], description: 'nothing held on entry' }],
  heldAtReturn: [],
  handoffWithoutRequest: false,
  inodeDirtyRule: false,
  task: 'caller',
  skipped: null,
  ...over,
});

/** Names of functions that implement modeled primitives. */
const PRIMITIVE_IMPLS: Record<string, string> = {
  netfs_wb_begin: 'implements the modeled primitive netfs_wb_begin (checked by the wb-handoff scenario)',
  netfs_wb_begin_wait: 'implements the modeled primitive netfs_wb_begin_wait (checked by the wb-handoff scenario)',
  netfs_wb_end: 'implements the modeled primitive netfs_wb_end (checked by the wb-handoff scenario)',
  folio_unlock: 'implements the modeled primitive folio_unlock',
  folio_lock: 'implements the modeled primitive folio_lock',
  __folio_lock: 'implements the modeled primitive __folio_lock',
  folio_trylock: 'implements the modeled primitive folio_trylock',
  writeback_iter: 'implements the modeled primitive writeback_iter',
  writeback_get_folio: 'part of the modeled primitive writeback_iter',
  folio_prepare_writeback: 'part of the modeled primitive writeback_iter',
};

/** Is this a ->writepages implementation? By name, or by signature when the C layer gives one. */
export function isWritepagesLike(fn: FunctionAnalysis): boolean {
  if (/_writepages$/.test(fn.name)) return true;
  const sig = (fn as FunctionAnalysis & { signature?: string }).signature;
  return typeof sig === 'string' && /\(\s*struct\s+address_space\s*\*\s*\w+\s*,\s*struct\s+writeback_control\s*\*\s*\w+\s*\)/.test(sig);
}

/**
 * In a ->read_folio whose declarations the patch does not show, a name it unlocks that no shown line
 * declares or assigns (`unlock_page(page)` after an unseen `struct page *page = &folio->page;`) is the
 * folio it was given: the only folio the page cache locked for it.
 */
function unseenPageNames(fn: FunctionAnalysis, param: string): string[] {
  const out = new Set<string>();
  const known = new Set([...(fn.params ?? []), ...(fn.locals ?? []), ...(fn.assignedNames ?? [])]);
  for (const s of fn.callSites ?? []) {
    // (An unlock as the API table says: a release of the folio lock of its first argument.)
    if (!(lookupApi(builtinApiTable(), s.call.name, s.call.args)?.ops ?? []).some((op) => op.kind === 'release' && op.resource === 'folio-lock' && op.obj === 0)) continue;
    const a = (s.call.args[0] ?? '').trim();
    if (a !== param && /^[A-Za-z_]\w*$/.test(a) && /page|folio/.test(a) && !known.has(a)) out.add(a);
  }
  return [...out];
}

/**
 * A ->read_folio implementation: `int x_read_folio(struct file *, struct folio *)` (by the name the
 * kernel's own implementations use and the prototype of address_space_operations::read_folio, or
 * `x_readpage(struct file *, struct page *)` before folios). Documentation/filesystems/vfs.rst: "The
 * folio will be locked when read_folio is called. The filesystem should unlock the folio once the
 * read has completed, whether it was successful or not"; locking.rst: "->read_folio() unlocks the
 * folio, either synchronously or via I/O completion" (and it is unlocked before AOP_TRUNCATED_PAGE
 * too). The folio parameter's name, or null for any other function. Helpers that share the contract
 * but not the prototype (block_read_full_folio(), iomap_read_folio()) are in the API table.
 */
export function readFolioParam(fn: FunctionAnalysis): string | null {
  if (!/(?:^|_)read_?folio$|_readpage$/.test(fn.name)) return null;
  const names = fn.params ?? [];
  const types = (fn.paramTypes ?? []).map((t) => t.replace(/\bconst\s+/g, '').replace(/\s+/g, ' ').trim());
  if (names.length !== 2 || types.length !== 2 || types[0] !== 'struct file *') return null;
  return types[1] === 'struct folio *' || (types[1] === 'struct page *' && /_readpage$/.test(fn.name)) ? names[1] : null;
}

export function contractFor(fn: FunctionAnalysis): FunctionContract {
  const c = contractByRole(fn);
  if (!fn.assumedHeld?.length || c.skipped) return c;
  const extra: EntryHeld[] = fn.assumedHeld.map((a) => ({ resource: a.resource, object: a.object, owner: 'task', assumed: a.why, ...(a.labels ? { assumedLabels: a.labels } : {}), ...(a.exits ? { assumedExits: a.exits } : {}), ...(a.keptBy ? { assumedKeptBy: a.keptBy } : {}), ...(a.free ? { assumedFree: true as const } : {}), ...(a.askFirst ? { askFirst: a.askFirst } : {}), ...(a.acquiredBy ? { assumedAcquiredBy: a.acquiredBy } : {}), ...(a.keepOnly ? { keepOnly: true as const } : {}) }));
  // An object the role holds on entry that the patch's word also speaks of (the ->read_folio folio the
  // patch unlocks on an error path) is held once, as the patch says, with what it says of the labels.
  const same = (a: EntryHeld, b: EntryHeld) => a.resource === b.resource && a.object === b.object;
  return { ...c, variants: c.variants.map((v) => ({ ...v, entryHeld: [...v.entryHeld.filter((e) => !extra.some((x) => same(e, x))), ...extra] })) };
}

function contractByRole(fn: FunctionAnalysis): FunctionContract {
  const skip = Object.prototype.hasOwnProperty.call(PRIMITIVE_IMPLS, fn.name) ? PRIMITIVE_IMPLS[fn.name] : null;
  if (skip) return base({ skipped: skip });
  switch (fn.name) {
    case 'netfs_writeback_single':
      return base({ role: 'writeback-single', variants: SYNC_VARIANTS, handoffWithoutRequest: true, inodeDirtyRule: true });
    case 'netfs_begin_writethrough':
      return base({ role: 'begin-writethrough', heldAtReturn: [{ resource: 'wb-lock', classes: ['success', 'unknown'] }] });
    case 'netfs_end_writethrough':
      return base({
        role: 'end-writethrough',
        variants: [{ name: 'default', env: {}, entryHeld: [{ resource: 'wb-lock', object: '*', owner: 'task' }], description: 'wb lock held since netfs_begin_writethrough' }],
        handoffWithoutRequest: true,
      });
    case 'netfs_write_collection':
      return base({
        role: 'write-collector',
        task: 'collector',
        variants: [...WB_OWNING_ORIGINS, ...WB_FREE_ORIGINS].map((o) => ({
          name: o,
          env: { origin: o },
          entryHeld: WB_OWNING_ORIGINS.includes(o) ? [{ resource: 'wb-lock', object: '*', owner: 'request' as const, variety: 'bit' as const }] : [],
          // The collector never takes the wb lock itself (kernel-model §6.2 WB5): hidden code cannot have taken it.
          knownFree: WB_OWNING_ORIGINS.includes(o) ? [] : ['wb-lock'],
          description: `wreq->origin == ${o}${WB_OWNING_ORIGINS.includes(o) ? ' (the issuer handed the wb lock to the request)' : ' (never took the wb lock)'}`,
        })),
      });
  }
  // A filesystem's own write collector (`*_write_collection`): its requests come from its own issuers,
  // which handed it the wb lock; there is no origin to tell apart.
  if (/_write_collection$/.test(fn.name)) {
    return base({
      role: 'write-collector',
      task: 'collector',
      variants: [{
        name: 'handed', env: {},
        entryHeld: [{ resource: 'wb-lock', object: '*', owner: 'request' as const, variety: 'bit' as const }],
        description: 'the issuer handed the wb lock to the request',
      }],
    });
  }
  if (isWritepagesLike(fn)) return base({ role: 'writepages', variants: SYNC_VARIANTS, handoffWithoutRequest: true });
  const rf = readFolioParam(fn);
  if (rf) {
    return base({
      role: 'read-folio',
      variants: [{ name: 'default', env: {}, entryHeld: [{ resource: 'folio-lock', object: rf, owner: 'task' }], aliases: [[rf, ...unseenPageNames(fn, rf)]], description: `${rf} locked by the page cache before ->read_folio` }],
    });
  }
  // ->page_mkwrite: returning VM_FAULT_LOCKED hands the locked folio to the fault core (§7.4).
  if (/_page_mkwrite$|_mkwrite$/.test(fn.name)) return base({ role: 'page-mkwrite' });
  return base({});
}
