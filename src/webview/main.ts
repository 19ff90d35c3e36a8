/*
 * The timeline webview's entry (dist/webview.js). Restores from its saved state, says 'ready', then
 * draws whatever the host sends. Keyboard: ←/→ (or j/k) step, Home/End, Enter reveals the line.
 */
import { isHostToWebview, type TimelineModel } from '../shared/protocol';
import { render, selectStep, violationIndex } from './render';
import { vscode } from './vscodeApi';

const root = document.getElementById('app') as HTMLElement;
let model: TimelineModel | null = null;
let selected = 0;
let timer: ReturnType<typeof setInterval> | undefined;

function show(m: TimelineModel, first?: number): void {
  stop();
  model = m;
  render(root, m, { select: (i, reveal) => select(i, reveal, true), togglePlay });
  const v = violationIndex(m);
  // A scenario replay starts at its beginning; a path opens on its violation.
  select(first ?? (m.kind === 'scenario' ? 0 : v >= 0 ? v : 0), false, false);
}

function setPlayLabel(playing: boolean): void {
  const b = root.querySelector<HTMLButtonElement>('button[data-action=play]');
  if (b) b.textContent = playing ? '❚❚ Pause' : '▶ Play';
}

function stop(): void {
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
  setPlayLabel(false);
}

function togglePlay(): void {
  if (!model) return;
  if (timer !== undefined) return stop();
  if (selected >= model.trace.steps.length - 1) select(0, false, false);
  setPlayLabel(true);
  timer = setInterval(() => {
    if (!model || selected >= model.trace.steps.length - 1) return stop();
    select(selected + 1, false, false);
  }, 1600);
}

function select(index: number, reveal: boolean, focus: boolean): void {
  if (!model || model.trace.steps.length === 0) return;
  selected = Math.max(0, Math.min(model.trace.steps.length - 1, index));
  selectStep(root, model, selected, focus);
  vscode.setState({ model, selected });
  vscode.postMessage({ type: 'selected', step: selected });
  if (reveal) {
    const s = model.trace.steps[selected];
    vscode.postMessage({
      type: 'reveal',
      step: selected,
      documentUri: model.documentUri,
      inputLine: s.location?.inputLine ?? null,
      sourceLine: s.location?.sourceLine ?? null,
      file: s.location?.file ?? null,
    });
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const m: unknown = e.data;
  if (!isHostToWebview(m)) return;
  if (m.type === 'show') show(m.model, m.selected);
  else if (m.type === 'select') select(m.index, false, true);
});

document.addEventListener('keydown', (e: KeyboardEvent) => {
  if (!model || e.altKey || e.ctrlKey || e.metaKey) return;
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === 'SUMMARY' || t.tagName === 'INPUT')) return;
  if (e.key !== ' ') stop();
  switch (e.key) {
    case ' ':
      if (t && t.tagName === 'BUTTON' && !t.classList.contains('event')) return;
      togglePlay();
      break;
    case 'ArrowRight':
    case 'ArrowDown':
    case 'j':
      select(selected + 1, false, true);
      break;
    case 'ArrowLeft':
    case 'ArrowUp':
    case 'k':
      select(selected - 1, false, true);
      break;
    case 'Home':
      select(0, false, true);
      break;
    case 'End':
      select(model.trace.steps.length - 1, false, true);
      break;
    case 'Enter':
      if (t && t.tagName === 'BUTTON' && !t.classList.contains('event')) return;
      select(selected, true, true);
      break;
    default:
      return;
  }
  e.preventDefault();
});

const saved = vscode.getState();
if (saved?.model) show(saved.model, saved.selected);
vscode.postMessage({ type: 'ready' });
