// The check registry: one check per file, listed here.
import type { Check } from './types';
import { wbPairing } from './wbPairing';
import { folioLock } from './folioLock';
import { writebackIter } from './writebackIter';
import { writebackBit } from './writebackBit';
import { stableWrites } from './stableWrites';
import { lockOrder } from './lockOrder';
import { refcount } from './refcount';
import { lockBalance } from './lockBalance';
import { useAfterPut } from './useAfterPut';

export type { Check, CheckContext, RawFinding } from './types';

export const CHECKS: readonly Check[] = [
  wbPairing, folioLock, writebackIter, writebackBit, stableWrites, lockOrder, refcount, lockBalance, useAfterPut,
];

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
