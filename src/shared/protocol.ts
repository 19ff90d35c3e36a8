/*
 * The typed messages between the extension host (src/vscode/timelinePanel.ts) and the timeline
 * webview (src/webview/). No vscode, no DOM: plain data that survives postMessage.
 *
 * Handshake: the webview posts { type: 'ready' } once its script runs; only then does the host post
 * { type: 'show' }. Nothing is spliced into the HTML: the page holds no data of its own.
 */
import type { Severity, Trace } from '../core/types';

/** Everything the timeline draws for one path (or one scenario). */
export interface TimelineModel {
  /** Heading, e.g. "examplefs_writepages · p2". */
  title: string;
  /** "path" for a function path, "scenario" for a replayed built-in scenario. */
  kind: 'path' | 'scenario';
  /** The document the steps' inputLine refer to (a URI string), or null when there is none. */
  documentUri: string | null;
  /** Display name of that document. */
  documentName: string | null;
  functionName: string | null;
  pathId: string | null;
  /** "ok" or the problem in words. */
  outcome: string;
  severity: Severity | null;
  assumptions: string[];
  /** Optional narration per step (scenario replay): same length as trace.steps, '' where none. */
  narration?: string[];
  trace: Trace;
}

/** Host → webview. */
export type HostToWebview =
  | { type: 'show'; model: TimelineModel; /** step to select first; default: the violating step, else 0 */ selected?: number }
  | { type: 'select'; index: number };

/** Webview → host. */
export type WebviewToHost =
  | { type: 'ready' }
  /** The user clicked (or pressed Enter on) an event: reveal its line. */
  | { type: 'reveal'; step: number; documentUri: string | null; inputLine: number | null; sourceLine: number | null; file: string | null }
  /** The selected step changed (keyboard or click); the host may mirror it (status, tests). */
  | { type: 'selected'; step: number };

/** The state the webview keeps with vscode.setState, so that a reload restores the view. */
export interface TimelineState {
  model: TimelineModel;
  selected: number;
}

export const TIMELINE_VIEW_TYPE = 'lockstep.timeline';

export function isWebviewToHost(m: unknown): m is WebviewToHost {
  if (!m || typeof m !== 'object') return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'ready') return true;
  if (t === 'selected') return typeof (m as { step?: unknown }).step === 'number';
  if (t === 'reveal') return typeof (m as { step?: unknown }).step === 'number';
  return false;
}

export function isHostToWebview(m: unknown): m is HostToWebview {
  if (!m || typeof m !== 'object') return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'show') {
    const model = (m as { model?: unknown }).model as { trace?: { steps?: unknown; tasks?: unknown } } | undefined;
    return !!model && !!model.trace && Array.isArray(model.trace.steps) && Array.isArray(model.trace.tasks);
  }
  if (t === 'select') return typeof (m as { index?: unknown }).index === 'number';
  return false;
}
