// Event selection shared by the checks: which rules belong to lock-order rather than to the
// balance check of the resource involved, so that one problem is reported by one check.
import type { SimEvent } from '../types';

export const ORDER_RULES = new Set(['R12', 'WB4', 'WB6', 'SELF-DL', 'LK2', 'SLEEP']);

export function ofResources(...resources: string[]): (e: SimEvent) => boolean {
  const set = new Set(resources);
  return (e) => set.has(e.resource) && !ORDER_RULES.has(e.rule ?? '');
}
