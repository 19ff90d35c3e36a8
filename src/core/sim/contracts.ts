/*
 * Function contracts, as data: the entry state a function is run from (per variant) and what each
 * return class may leave held. Chosen by function name, then by role (->writepages implementations),
 * else the default: nothing held on entry, nothing held at any return.
 */
import type { FunctionAnalysis } from '../types';
import type { Env, ReturnClass } from './conditions';

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
}

export interface FunctionContract {
  role: 'writepages' | 'writeback-single' | 'begin-writethrough' | 'end-writethrough' | 'write-collector' | 'page-mkwrite' | 'default';
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

export function contractFor(fn: FunctionAnalysis): FunctionContract {
  const c = contractByRole(fn);
  if (!fn.assumedHeld?.length || c.skipped) return c;
  const extra: EntryHeld[] = fn.assumedHeld.map((a) => ({ resource: a.resource, object: a.object, owner: 'task', assumed: a.why, ...(a.labels ? { assumedLabels: a.labels } : {}), ...(a.keptBy ? { assumedKeptBy: a.keptBy } : {}), ...(a.free ? { assumedFree: true as const } : {}), ...(a.askFirst ? { askFirst: a.askFirst } : {}), ...(a.acquiredBy ? { assumedAcquiredBy: a.acquiredBy } : {}), ...(a.keepOnly ? { keepOnly: true as const } : {}) }));
  return { ...c, variants: c.variants.map((v) => ({ ...v, entryHeld: [...v.entryHeld, ...extra] })) };
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
  // ->page_mkwrite: returning VM_FAULT_LOCKED hands the locked folio to the fault core (§7.4).
  if (/_page_mkwrite$|_mkwrite$/.test(fn.name)) return base({ role: 'page-mkwrite' });
  return base({});
}
