// Turns the per-step state snapshots into rows of bars: consecutive equal values become one segment.
import type { TraceStep } from '../core/types';

export type RowGroup = 'locks' | 'folios' | 'counters';

export interface Segment {
  start: number;
  end: number;
  value: string;
  tone: 'active' | 'idle' | 'bad' | 'neutral';
}

export interface StateRow {
  key: string;
  group: RowGroup;
  segments: Segment[];
}

export function groupOf(key: string, values: string[]): RowGroup {
  const k = key.toLowerCase();
  if (/count|stable|flag|_nr\b|nr_|refs?\b|pending/.test(k) || values.every((v) => v === '' || /^-?\d+$/.test(v.trim()))) return 'counters';
  if (/folio|page|dirty|writeback/.test(k)) return 'folios';
  return 'locks';
}

export function toneOf(value: string): Segment['tone'] {
  const v = value.toLowerCase().trim();
  if (v === '' || v === '-' || v === '—') return 'idle';
  if (/leak|double|violat|bug|deadlock|underflow|without/.test(v)) return 'bad';
  if (/^(free|unlocked|clear|cleared|no|false|none|0|off|released|idle|clean)\b/.test(v)) return 'idle';
  if (/held|locked|set|yes|true|dirty|writeback|owned|by |waiting|on\b|handed/.test(v)) return 'active';
  return 'neutral';
}

export function stateRows(steps: TraceStep[]): StateRow[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const s of steps) {
    for (const k of Object.keys(s.state ?? {})) {
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
  }
  const rows: StateRow[] = [];
  for (const key of keys) {
    // A state not reported at a step keeps its last value (snapshots may list only what changed).
    let last = '';
    const values = steps.map((s) => {
      const v = s.state?.[key];
      if (typeof v === 'string') last = v;
      return last;
    });
    const segments: Segment[] = [];
    values.forEach((value, i) => {
      const prev = segments[segments.length - 1];
      if (prev && prev.value === value) prev.end = i;
      else segments.push({ start: i, end: i, value, tone: toneOf(value) });
    });
    rows.push({ key, group: groupOf(key, values), segments });
  }
  const order: RowGroup[] = ['locks', 'folios', 'counters'];
  return rows.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
}
