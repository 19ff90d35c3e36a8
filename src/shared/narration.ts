/*
 * Narration for a replayed scenario: one short sentence per step saying what the task does, what
 * changes in the observable state, and, at the violating step, what breaks and why it matters.
 * No vscode, no DOM; deterministic.
 */
import type { Trace } from '../core/types';

export function narrate(trace: Trace, whyItMatters: string): string[] {
  return trace.steps.map((s, i) => {
    const prev = i > 0 ? trace.steps[i - 1].state ?? {} : {};
    const changes = Object.entries(s.state ?? {})
      .filter(([k, v]) => prev[k] !== v)
      .map(([k, v]) => (i === 0 || prev[k] === undefined ? `${k} is ${v}` : `${k}: ${prev[k]} → ${v}`));
    const parts: string[] = [];
    parts.push(`${capital(s.task)} runs ${s.op.replace(/[.\s]+$/, '')}.`);
    if (changes.length) parts.push(`${i === 0 ? 'At the start' : 'Now'}: ${changes.join('; ')}.`);
    else if (i > 0) parts.push('Nothing the other tasks can see changes yet.');
    if (s.violation) parts.push(`Here it breaks: ${s.violation.replace(/[.\s]+$/, '')}.${whyItMatters ? ` Why it matters: ${whyItMatters}` : ''}`);
    return parts.join(' ');
  });
}

function capital(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
