/*
 * Draws a TimelineModel: one lane per task with each step as an event, bars for the lock/folio state
 * after each step, a strip for counters and flags, the violating step highlighted with its message,
 * and a details pane for the selected step. Text only (textContent): mail data is never parsed as HTML.
 */
import type { TraceStep } from '../core/types';
import type { TimelineModel } from '../shared/protocol';
import { clear, el } from './dom';
import { stateRows, type RowGroup } from './stateRows';

export interface Handlers {
  select(index: number, reveal: boolean): void;
  togglePlay(): void;
}

const GROUP_TITLES: Record<RowGroup, string> = { locks: 'Locks', folios: 'Folio state', counters: 'Counters and flags' };

export function violationIndex(model: TimelineModel): number {
  return model.trace.steps.findIndex((s) => !!s.violation);
}

export function render(root: HTMLElement, model: TimelineModel, handlers: Handlers): void {
  clear(root);
  const { trace } = model;
  const steps = trace.steps;
  const tasks = trace.tasks.length ? trace.tasks : unique(steps.map((s) => s.task));

  const badgeClass = model.severity === 'error' ? 'badge bad' : model.severity === 'warning' ? 'badge warn' : 'badge ok';
  const header = el(
    'header',
    { class: 'head' },
    el('h1', {}, model.title),
    el('span', { class: badgeClass, role: 'status' }, model.outcome),
    trace.summary && !sameGist(trace.summary, model.outcome) ? el('p', { class: 'summary' }, trace.summary) : null,
    model.documentName ? el('p', { class: 'meta' }, `${model.kind === 'scenario' ? 'Scenario' : 'Path'} from ${model.documentName}`) : null,
  );
  if (model.assumptions.length) {
    const list = el('ol', { class: 'assumptions' });
    for (const a of model.assumptions) list.append(el('li', {}, a));
    header.append(el('details', {}, el('summary', {}, `Branches taken (${model.assumptions.length})`), list));
  }
  root.append(header);

  const toolbar = el(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': 'Step through the path' },
    button('prev', '◀ Back', 'Previous step (←)'),
    el('span', { class: 'position', id: 'position', 'aria-live': 'polite' }, ''),
    button('next', 'Forward ▶', 'Next step (→)'),
    violationIndex(model) >= 0 ? button('jump', '⚠ Go to violation', 'Jump to the violating step') : null,
    model.kind === 'scenario' ? button('play', '▶ Play', 'Play the steps one after another (Space)') : null,
    el('span', { class: 'hint' }, model.kind === 'scenario' ? '← → step · Home/End · Space plays' : '← → step · Home/End · Enter reveals the line in the patch'),
  );
  root.append(toolbar);

  if (steps.length === 0) {
    root.append(el('p', { class: 'empty' }, 'This path has no simulated steps.'));
    return;
  }

  const grid = el('div', { class: 'grid', role: 'grid', 'aria-label': `Timeline of ${steps.length} steps on ${tasks.length} lanes` });
  grid.style.gridTemplateColumns = `var(--ls-label-w) repeat(${steps.length}, minmax(8.5em, 1fr))`;

  // Step numbers.
  grid.append(el('div', { class: 'corner', role: 'columnheader' }, 'Step'));
  steps.forEach((s, i) => grid.append(el('div', { class: `stepno${s.violation ? ' violation' : ''}`, 'data-step': String(i), role: 'columnheader' }, String(i + 1))));

  // Lanes.
  tasks.forEach((task, lane) => {
    grid.append(el('div', { class: 'lane-label', role: 'rowheader' }, task));
    steps.forEach((s, i) => {
      const cell = el('div', { class: `cell lane-${lane % 6}`, 'data-step': String(i), role: 'gridcell' });
      if (s.task === task) cell.append(eventButton(s, i, handlers));
      grid.append(cell);
    });
  });

  // State bars, grouped.
  const rows = stateRows(steps);
  let group: RowGroup | null = null;
  for (const row of rows) {
    if (row.group !== group) {
      group = row.group;
      grid.append(el('div', { class: 'group-label', role: 'rowheader' }, GROUP_TITLES[group]));
      const rule = el('div', { class: 'group-rule', 'aria-hidden': 'true' });
      rule.style.gridColumn = `2 / span ${steps.length}`;
      grid.append(rule);
    }
    grid.append(el('div', { class: 'state-label', role: 'rowheader', title: row.key }, el('span', {}, row.key)));
    for (const seg of row.segments) {
      // The value stays readable while the bar is scrolled (a sticky label inside the bar).
      const bar = el('div', { class: `bar tone-${seg.tone}`, role: 'gridcell', title: `${row.key}: ${seg.value || '—'} (steps ${seg.start + 1}–${seg.end + 1})` }, el('span', { class: 'bar-text' }, seg.value || '—'));
      bar.style.gridColumn = `${seg.start + 2} / ${seg.end + 3}`;
      grid.append(bar);
    }
  }
  root.append(el('div', { class: 'scroller' }, grid));
  root.append(el('section', { class: 'details', id: 'details', 'aria-live': 'polite', 'aria-label': 'Selected step' }));

  root.querySelector<HTMLButtonElement>('button[data-action=prev]')!.addEventListener('click', () => handlers.select(current(root) - 1, false));
  root.querySelector<HTMLButtonElement>('button[data-action=next]')!.addEventListener('click', () => handlers.select(current(root) + 1, false));
  root.querySelector<HTMLButtonElement>('button[data-action=jump]')?.addEventListener('click', () => handlers.select(violationIndex(model), false));
  root.querySelector<HTMLButtonElement>('button[data-action=play]')?.addEventListener('click', () => handlers.togglePlay());
}

function current(root: HTMLElement): number {
  return Number(root.dataset.selected ?? '0');
}

function button(action: string, label: string, title: string): HTMLButtonElement {
  return el('button', { type: 'button', 'data-action': action, title, 'aria-label': title }, label);
}

/** A step's look: code the patch does not show, a branch decision, or an operation. */
export function stepKind(op: string): 'gap' | 'branch' | 'op' {
  if (op.startsWith('…') || op.startsWith('...')) return 'gap';
  if (/^branch\b/i.test(op)) return 'branch';
  return 'op';
}

function eventButton(s: TraceStep, i: number, handlers: Handlers): HTMLButtonElement {
  const where = s.location?.inputLine ? `patch line ${s.location.inputLine}` : 'not shown in the patch';
  const b = el(
    'button',
    {
      type: 'button',
      class: `event kind-${stepKind(s.op)}${s.violation ? ' violation' : ''}`,
      'data-step': String(i),
      tabindex: '-1',
      title: s.violation ? `${s.op}\n⚠ ${s.violation}` : s.op,
      'aria-label': `Step ${i + 1}, ${s.task}: ${s.op}${s.violation ? `. Violation: ${s.violation}` : ''}. ${where}`,
    },
    el('span', { class: 'op' }, s.op),
  );
  if (s.violation) b.append(el('span', { class: 'violation-msg' }, s.violation));
  b.addEventListener('click', () => handlers.select(i, true));
  return b;
}

/** Marks step `index` as selected: column highlight, focus, details pane. */
export function selectStep(root: HTMLElement, model: TimelineModel, index: number, focus: boolean): void {
  const steps = model.trace.steps;
  root.dataset.selected = String(index);
  for (const e of root.querySelectorAll('[data-step]')) e.classList.toggle('selected', e.getAttribute('data-step') === String(index));
  const pos = root.querySelector('#position');
  if (pos) pos.textContent = steps.length ? `Step ${index + 1} of ${steps.length}` : '';
  const prev = root.querySelector<HTMLButtonElement>('button[data-action=prev]');
  const next = root.querySelector<HTMLButtonElement>('button[data-action=next]');
  if (prev) prev.disabled = index <= 0;
  if (next) next.disabled = index >= steps.length - 1;
  for (const b of root.querySelectorAll<HTMLButtonElement>('button.event')) b.tabIndex = b.dataset.step === String(index) ? 0 : -1;
  const btn = root.querySelector<HTMLButtonElement>(`button.event[data-step="${index}"]`);
  if (btn) {
    if (focus) btn.focus();
    btn.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }
  const details = root.querySelector('#details');
  const s = steps[index];
  if (!details || !s) return;
  clear(details);
  details.append(el('h2', {}, `Step ${index + 1} · ${s.task}`), el('p', { class: 'op' }, s.op));
  if (s.violation) details.append(el('p', { class: 'violation-msg', role: 'alert' }, `⚠ ${s.violation}`));
  const narration = model.narration?.[index];
  if (narration) details.append(el('p', { class: 'narration' }, narration));
  const loc = s.location;
  const where: string[] = [];
  if (loc?.inputLine) where.push(`patch line ${loc.inputLine}`);
  if (loc?.sourceLine) where.push(`${loc.file ?? 'source'} line ${loc.sourceLine}`);
  if (!where.length && loc?.file) where.push(loc.file);
  details.append(el('p', { class: 'meta' }, where.length ? where.join(' · ') : 'Not shown in the patch'));
  const entries = Object.entries(s.state ?? {});
  if (entries.length) {
    const table = el('table', { class: 'state' }, el('caption', {}, 'State after this step'));
    for (const [k, v] of entries) table.append(el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, v)));
    details.append(table);
  }
}

/** True when two sentences say the same up to line/step numbers ("acquired at line 20" / "at step 2"). */
function sameGist(a: string, b: string): boolean {
  const norm = (x: string) => x.replace(/\b(line|step)s? \d+/g, '').replace(/\s+/g, ' ').trim().slice(0, 60);
  return norm(a) === norm(b);
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
