// How findings name things: resources, call results, places. One place, so every check speaks alike.
import type { Step } from '../types';

const RESOURCE_NOUN: Record<string, string> = {
  'wb-lock': 'wb lock',
  'folio-lock': 'folio lock',
  'writeback-bit': 'writeback bit',
  'stable-writes': 'stable-write count (i_wt_count)',
  'inode-dirty': 'inode dirty state',
  'wb-iter': 'writeback_iter() iteration',
  refcount: 'reference',
  'use-after-put': 'reference',
  request: 'request reference',
  mutex: 'mutex',
  spinlock: 'spinlock',
  'bit-lock': 'bit lock',
  rwsem: 'rw semaphore',
  rcu: 'RCU read-side critical section',
};

export function resourceNoun(resource: string): string {
  return RESOURCE_NOUN[resource] ?? resource;
}

/** Counters are "raised", locks "held". */
export function heldWord(resource: string): string {
  return resource === 'stable-writes' || resource === 'refcount' || resource === 'request' ? 'raised' : 'held';
}

/** Allocators: "== 0" of their result is failure (NULL). */
export const ALLOCATOR = /^(kmalloc|kzalloc|kcalloc|kvmalloc|kvzalloc|kvcalloc|vmalloc|vzalloc|kmalloc_array|kmem_cache_z?alloc|kstrdup|kmemdup|mempool_alloc|__get_free_pages?|alloc_\w+|\w+_alloc)$/;

const RELATION_WORDS: Record<string, string> = {
  true: 'returns true', false: 'returns false', zero: 'returns 0', nonzero: 'returns non-zero',
  negative: 'returns an error', nonnegative: 'returns >= 0', 'is-err': 'returns an error pointer',
  'not-err': 'returns a valid pointer', null: 'returns NULL', nonnull: 'returns non-NULL',
};

/** "kmalloc() returns NULL", "netfs_wb_begin() returns true". */
export function resultWords(callee: string, relation: string, value?: string): string {
  if (relation === 'eq') return `returns ${value}`;
  if (relation === 'ne') return `does not return ${value}`;
  if (ALLOCATOR.test(callee) && (relation === 'zero' || relation === 'nonzero')) return relation === 'zero' ? 'returns NULL' : 'returns non-NULL';
  return RELATION_WORDS[relation] ?? relation;
}

/**
 * The simulator names places by path step ("acquired at step 4"); users read source lines: "acquired
 * at line 30". A step with no source line becomes `unknown` ("an earlier step"), or stays as it was.
 */
export function stepsToLines(message: string, steps: Step[], unknown: 'an earlier step' | 'keep' = 'an earlier step'): string {
  return message.replace(/\bat step (\d+)\b|\bstep (\d+)\b/g, (m, a: string, b: string) => {
    const line = steps[Number(a ?? b)]?.ref.sourceLine;
    const at = m.startsWith('at ') ? 'at ' : '';
    if (line != null) return `${at}line ${line}`;
    return unknown === 'keep' ? m : `${at}an earlier step`;
  });
}
