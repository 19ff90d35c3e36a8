/*
 * The API table's entries in words, for hovers ("acquires the wb-lock of argument 1 when the result
 * is true; may sleep"). No vscode; deterministic.
 */
import type { ApiEntry, ApiOp } from '../core/sim/apiTable';

function objWords(obj: ApiOp['obj']): string {
  if (obj === 'result') return 'the object it returns';
  if (obj === 'held') return 'whatever the caller holds';
  return `argument ${obj + 1}`;
}

function relWords(rel: string, value?: string): string {
  const words: Record<string, string> = {
    true: 'true', false: 'false', zero: '0', nonzero: 'non-zero', negative: 'negative', nonnegative: '≥ 0',
    'is-err': 'an ERR_PTR', 'not-err': 'not an ERR_PTR', null: 'NULL', nonnull: 'not NULL', eq: `${value}`, ne: `not ${value}`,
  };
  return words[rel] ?? rel;
}

export function opWords(op: ApiOp): string {
  const when = op.when ? ` when the result is ${relWords(op.when.rel, op.when.value)}` : '';
  const guard = op.guard ? ` (only when argument ${op.guard.arg + 1} is \`${op.guard.equals}\`)` : '';
  const of = `${op.resource} of ${objWords(op.obj)}`;
  switch (op.kind) {
    case 'acquire':
      return `acquires the ${of}${when}${guard}${op.variety === 'bit' ? ' — a bit lock: another task may end it' : ''}`;
    case 'release':
      return `releases the ${of}${when}${guard}${op.message ? `; without it held: \`${op.message}\`` : ''}`;
    case 'handoff':
      return `hands the ${op.resource} over to ${op.to ?? 'another owner'}${op.needsRequest ? ' (needs a write request created on the path)' : ''}, which releases it later`;
    case 'requires-held':
      return `requires the ${of} to be held${op.message ? `, else \`${op.message}\`` : ''}`;
    case 'requires-released':
      return `requires the ${of} to be released first${op.message ? `, else \`${op.message}\`` : ''}`;
    case 'mark':
      return `marks ${op.resource} on ${objWords(op.obj)}${when}`;
  }
  return `${op.kind} ${of}`;
}

/** The argument test of an entry, in words; unknown test kinds are named, never dropped. */
function matchWords(m: Record<string, unknown>): string {
  const list = (v: unknown) => (Array.isArray(v) ? v : [v]).map((x) => `\`${String(x)}\``).join(' or ');
  const parts: string[] = [];
  if (m.equals !== undefined) parts.push(`is ${list(m.equals)}`);
  if (m.endsWith !== undefined) parts.push(`ends with ${list(m.endsWith)}`);
  if (m.contains !== undefined) parts.push(`contains ${list(m.contains)}`);
  for (const k of Object.keys(m).sort()) if (!['arg', 'equals', 'endsWith', 'contains'].includes(k)) parts.push(`${k} ${list(m[k])}`);
  return parts.length ? parts.join(' and ') : 'matches';
}

/** Markdown lines describing one entry. */
export function entryWords(e: ApiEntry): string[] {
  const lines: string[] = [];
  const prefix = e.match ? `When argument ${e.match.arg + 1} ${matchWords(e.match as unknown as Record<string, unknown>)}: ` : '';
  const ops = e.ops.map(opWords);
  lines.push(`${prefix}${ops.length ? ops.join('; ') : 'no effect on the tracked locks and states'}.`);
  const notes: string[] = [];
  if (e.result) notes.push(`result: ${e.result}`);
  if (e.cannotFailWhenArgFalse !== undefined) notes.push(`cannot fail when argument ${e.cannotFailWhenArgFalse + 1} is false`);
  if (e.waitsForWbLock) notes.push('waits for the wb lock unless asked not to (never wait for it while holding a folio lock)');
  if (e.takesFolioLock) notes.push("takes a folio lock inside: deadlocks when the caller holds that folio's lock");
  if (e.reachesWriteback) notes.push('reaches ->writepages with WB_SYNC_ALL');
  if (e.maySleep) notes.push('may sleep');
  if (e.primitive) notes.push('a modeled primitive: its own body is not path-checked');
  if (e.ref) notes.push(`kernel model ${e.ref}`);
  if (notes.length) lines.push(notes.map((n) => `*${n}*`).join(' · '));
  return lines;
}
