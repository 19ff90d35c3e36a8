// The webview side of the VS Code API, typed with our protocol.
import type { TimelineState, WebviewToHost } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): TimelineState | undefined;
  setState(state: TimelineState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export const vscode: VsCodeApi = acquireVsCodeApi();
