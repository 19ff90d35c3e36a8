// A status bar item with the finding counts of the active patch; click → Problems panel.
import * as vscode from 'vscode';
import type { Analyzer } from './analyzer';

export function registerStatusBar(ctx: vscode.ExtensionContext, analyzer: Analyzer): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('lockstep.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Lockstep';
  item.command = 'workbench.actions.view.problems';
  let shown: vscode.Uri | undefined;
  const update = () => {
    // Keep showing the last patch's counts while a webview (no text editor) has focus.
    const doc = vscode.window.activeTextEditor?.document;
    if (doc) shown = doc.uri;
    const a = shown && analyzer.get(shown);
    if (!a) return item.hide();
    const introduced = a.report.findings.filter((f) => f.status !== 'fixed');
    const errors = introduced.filter((f) => f.severity === 'error').length;
    const warnings = introduced.filter((f) => f.severity === 'warning').length;
    const fixed = a.report.findings.length - introduced.length;
    const fns = a.report.functions.filter((f) => f.side === 'post').length;
    item.text = errors || warnings ? `Lockstep: $(error) ${errors} $(warning) ${warnings}` : `$(check) Lockstep`;
    item.tooltip = `Lockstep: ${errors} error(s), ${warnings} warning(s)${fixed ? `, ${fixed} fixed by the patch` : ''} in ${fns} changed function(s); analysed in ${a.ms} ms`;
    item.accessibilityInformation = { label: `Lockstep: ${errors} errors, ${warnings} warnings` };
    item.backgroundColor = errors ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };
  ctx.subscriptions.push(
    item,
    analyzer.onDidAnalyse(update),
    analyzer.onDidClear(update),
    vscode.window.onDidChangeActiveTextEditor(update),
  );
  update();
  return item;
}
