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

function show(m: TimelineModel, first?: number): void {
  model = m;
  render(root, m, { select: (i, reveal) => select(i, reveal, true) });
  const v = violationIndex(m);
  select(first ?? (v >= 0 ? v : 0), false, false);
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
  switch (e.key) {
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
