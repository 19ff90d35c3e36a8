/*
 * Messages → series: title (cover letter, else first patch), newest version wins (older kept),
 * missing patches of the newest version reported.
 */
import type { MailMessage, ParsedInput } from '../types';
import { type Ctx, problem } from './context';

export function seriesOf(messages: MailMessage[], ctx: Ctx): ParsedInput['series'] {
  const patches = messages.filter((m) => m.kind === 'patch' || m.kind === 'cover' || m.kind === 'series-entry');
  if (!patches.length) return null;
  const newest = Math.max(...patches.map((m) => m.version ?? 1));
  const cur = patches.filter((m) => (m.version ?? 1) === newest);
  for (const m of patches) if ((m.version ?? 1) < newest) m.superseded = true;
  const versions = new Set(patches.map((m) => m.version ?? 1));
  if (versions.size > 1) {
    problem(ctx, 'several-versions', `several versions of the series (${[...versions].sort((a, b) => a - b).map((v) => 'v' + v).join(', ')}); v${newest} is used, older ones are kept`);
  }
  const cover = cur.find((m) => m.kind === 'cover' || m.index === 0);
  const total = cur.find((m) => m.total !== null)?.total ?? null;
  const first = cover ?? [...cur].sort((a, b) => (a.index ?? 0) - (b.index ?? 0))[0];
  if (total !== null && total > 1 && cur.length > 1) {
    const have = new Set(cur.map((m) => m.index));
    const missing: number[] = [];
    for (let i = 1; i <= total && missing.length < 100; i++) if (!have.has(i)) missing.push(i);
    if (missing.length) problem(ctx, 'missing-patches', `series v${newest} declares ${total} patches; missing: ${missing.join(', ')}`);
  }
  return { title: first.subject, version: newest, total };
}
