/*
 * Lockstep's VS Code entry point. Activation is lazy (patch-mail documents, the commands, a restored
 * timeline); each feature lives in its own file and registers into context.subscriptions.
 */
import * as vscode from 'vscode';
import { registerAnalyzer } from './analyzer';
import { registerCodeLens } from './codeLens';
import { registerCommands } from './commands';
import { registerCommits } from './commits';
import { registerDiagnostics } from './diagnostics';
import { registerHover } from './hover';
import { registerKernelTree } from './kernelTree';
import { registerLog } from './log';
import { registerScenarios } from './scenarios';
import { registerSeriesView } from './seriesView';
import { registerSimulate } from './simulate';
import { registerStatusBar } from './statusBar';
import { registerTimeline } from './timelinePanel';

export function activate(ctx: vscode.ExtensionContext): void {
  const log = registerLog(ctx);
  log.info(`Lockstep ${ctx.extension.packageJSON.version ?? ''} activated in VS Code ${vscode.version}${vscode.workspace.isTrusted ? '' : ' (Restricted Mode)'}`);
  const timeline = registerTimeline(ctx);
  const analyzer = registerAnalyzer(ctx);
  registerDiagnostics(ctx, analyzer);
  registerCodeLens(ctx, analyzer);
  registerStatusBar(ctx, analyzer);
  registerSimulate(ctx, analyzer, timeline);
  registerCommands(ctx, analyzer);
  registerScenarios(ctx, analyzer, timeline);
  registerHover(ctx);
  registerSeriesView(ctx, analyzer);
  registerKernelTree(ctx, analyzer);
  registerCommits(ctx);
}

export function deactivate(): void {}
