/*
 * The timeline webview panel: strict CSP with a nonce, script and CSS from the extension, data only by
 * postMessage after the webview's 'ready'. Restored after a reload by a serializer (the webview keeps
 * its model with setState). Clicking an event reveals its line in the patch.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { TIMELINE_VIEW_TYPE, isWebviewToHost, type HostToWebview, type TimelineModel, type TimelineState } from '../shared/protocol';
import { log } from './log';

export class TimelinePanels implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private queued: HostToWebview | undefined;
  private readonly selectEmitter = new vscode.EventEmitter<number>();
  /** Fires when the user selects a step in the timeline (tests and the status bar listen). */
  readonly onDidSelectStep = this.selectEmitter.event;

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(model: TimelineModel): void {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, 'Lockstep timeline', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, this.options());
      this.attach(panel);
    } else {
      // A hidden webview is rebuilt when shown again and says 'ready' anew: queue until then.
      if (!this.panel.visible) this.ready = false;
      this.panel.reveal(undefined, false);
    }
    this.panel!.title = `Timeline: ${model.title}`;
    this.post({ type: 'show', model });
  }

  /** Re-attaches a panel VS Code restored after a reload; the webview redraws from its own state. */
  restore(panel: vscode.WebviewPanel, state: TimelineState | undefined): void {
    panel.webview.options = this.options();
    this.attach(panel);
    if (state?.model) {
      panel.title = `Timeline: ${state.model.title}`;
      this.post({ type: 'show', model: state.model, selected: state.selected });
    }
  }

  private options(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'timeline.svg');
    panel.webview.html = this.html(panel.webview);
    panel.onDidChangeViewState((e) => {
      if (!e.webviewPanel.visible) this.ready = false;
    });
    panel.onDidDispose(() => {
      if (this.panel === panel) {
        this.panel = undefined;
        this.ready = false;
      }
    });
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (!isWebviewToHost(m)) return log().warn('timeline: ignored a malformed message');
      switch (m.type) {
        case 'ready':
          this.ready = true;
          if (this.queued) {
            void panel.webview.postMessage(this.queued);
            this.queued = undefined;
          }
          return;
        case 'selected':
          this.selectEmitter.fire(m.step);
          return;
        case 'reveal':
          void reveal(m.documentUri, m.inputLine);
          return;
      }
    });
  }

  private post(m: HostToWebview): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(m);
    else this.queued = m;
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const css = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'timeline.css'));
    const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${webview.cspSource}`, `img-src ${webview.cspSource}`, `font-src ${webview.cspSource}`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${css}">
<title>Lockstep timeline</title>
</head>
<body>
<main id="app" aria-label="Lockstep timeline"><p class="empty">Waiting for a path…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    this.selectEmitter.dispose();
  }
}

async function reveal(documentUri: string | null, inputLine: number | null): Promise<void> {
  if (!documentUri) return;
  if (inputLine === null || inputLine < 1) {
    void vscode.window.showInformationMessage('Lockstep: this step comes from code the patch does not show.');
    return;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(documentUri));
  const line = Math.min(inputLine - 1, doc.lineCount - 1);
  const range = doc.lineAt(line).range;
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === documentUri);
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false, selection: range });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

export function registerTimeline(ctx: vscode.ExtensionContext): TimelinePanels {
  const panels = new TimelinePanels(ctx.extensionUri);
  ctx.subscriptions.push(
    panels,
    vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state) {
        panels.restore(panel, state as TimelineState | undefined);
      },
    }),
  );
  return panels;
}
