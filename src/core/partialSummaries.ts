/*
 * Summaries of partial functions, from what the patch shows. The simulator summarises only complete
 * functions; a function the patch shows in pieces still tells its callers something when its visible
 * tail — the statements after the last unseen stretch, up to the closing brace — takes a resource on
 * a parameter on every path that reaches that brace (folio_prepare_writethrough() ending in
 * inode_writethrough_begin(inode), say). Only such unconditional acquisitions are kept; releases and
 * hand-offs are not inferred from a part of a function.
 */
import type { FunctionAnalysis, Step } from './types';
import { builtinApiTable, lookupApi, type ApiTable, type FunctionSummary, type SummaryEffect } from './sim/index';

const TRACKED = new Set(['wb-lock', 'stable-writes', 'mutex', 'spinlock', 'bit-lock', 'rwsem']);

function tail(steps: Step[]): Step[] {
  let last = -1;
  steps.forEach((s, i) => { if (s.kind === 'gap') last = i; });
  return steps.slice(last + 1);
}

export function partialSummaries(
  fns: FunctionAnalysis[], have: Record<string, FunctionSummary>, table: ApiTable = builtinApiTable(),
): Record<string, FunctionSummary> {
  const out: Record<string, FunctionSummary> = {};
  for (const fn of fns) {
    if (fn.complete || fn.notAnalysed || !fn.params || Object.prototype.hasOwnProperty.call(have, fn.name)) continue;
    if (Object.prototype.hasOwnProperty.call(out, fn.name)) continue;
    const ends = fn.paths.filter((p) => p.end === 'return' || p.end === 'fallthrough');
    if (ends.length === 0) continue;
    let common: Map<string, SummaryEffect> | null = null;
    for (const p of ends) {
      const effects = new Map<string, SummaryEffect>();
      for (const s of tail(p.steps)) {
        if (s.kind !== 'call') continue;
        const entry = lookupApi(table, s.call.name, s.call.args);
        for (const op of entry?.ops ?? []) {
          if (op.kind !== 'acquire' || op.when || typeof op.obj !== 'number' || !TRACKED.has(op.resource)) continue;
          const idx = fn.params.indexOf((s.call.args[op.obj] ?? '').trim());
          if (idx < 0) continue;
          const e: SummaryEffect = { kind: 'acquire', resource: op.resource, obj: idx, ...(op.variety ? { variety: op.variety } : {}) };
          effects.set(`${e.resource}|${idx}`, e);
        }
      }
      if (common === null) common = effects;
      else for (const k of [...common.keys()]) if (!effects.has(k)) common.delete(k);
    }
    if (common && common.size > 0) {
      const effects = [...common.keys()].sort().map((k) => common!.get(k)!);
      out[fn.name] = { name: fn.name, byClass: { success: effects, unknown: effects } };
    }
  }
  return out;
}
