// Status bar items for the active patch: its finding counts (click → Problems panel) and the kernel
// tree it was analysed against, with how many files were at the exact blobs the patch names.
import * as vscode from 'vscode';
import type { Analysis, Analyzer } from './analyzer';

/** The tree item's text and tooltip for an analysis, or null when no tree was used. */
export function treeStatus(a: Analysis): { text: string; tooltip: string } | null {
  const t = a.tree;
  if (!t) return null;
  const name = t.info.path.split(/[\\/]/).filter(Boolean).pop() ?? t.info.path;
  const fns = a.report.functions.filter((f) => f.side === 'post');
  const whole = fns.filter((f) => f.source && f.source !== 'hunks').length;
  if (t.info.kind === 'git') {
    const all = t.info.files > 0 && t.info.blobsMatched === t.info.files;
    const text = `$(repo) ${name}: ${t.info.blobsMatched}/${t.info.files} blobs${all ? '' : ' $(warning)'}`;
    const tooltip = [
      `Lockstep analysed this patch against the git tree ${t.info.path}.`,
      `${t.info.blobsMatched} of ${t.info.files} changed C file(s) were read at the exact blob the patch's index line names${all ? '.' : '; the others came from the base, the work tree or the hunks alone (see the Lockstep log).'}`,
      t.info.base ? `Base: ${t.info.base}.` : '',
      `${whole} of ${fns.length} changed function(s) analysed whole.`,
    ].filter(Boolean).join('\n');
    return { text, tooltip };
  }
  return {
    text: `$(folder) ${name}: ${t.info.files} file(s)`,
    tooltip: [`Lockstep analysed this patch against the files of ${t.info.path} (a directory, not a git repository: no exact blobs).`,
      t.note ?? '', `${whole} of ${fns.length} changed function(s) analysed whole.`].filter(Boolean).join('\n'),
  };
}

export function registerStatusBar(ctx: vscode.ExtensionContext, analyzer: Analyzer): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('lockstep.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Lockstep';
  item.command = 'workbench.actions.view.problems';
  const treeItem = vscode.window.createStatusBarItem('lockstep.tree', vscode.StatusBarAlignment.Left, 49);
  treeItem.name = 'Lockstep kernel tree';
  treeItem.command = { title: 'Show the Lockstep log', command: 'lockstep.showLog' };
  let shown: vscode.Uri | undefined;
  const update = () => {
    // Keep showing the last patch's counts while a webview (no text editor) has focus.
    const doc = vscode.window.activeTextEditor?.document;
    if (doc) shown = doc.uri;
    const a = shown && analyzer.get(shown);
    if (!a) {
      treeItem.hide();
      return item.hide();
    }
    const ts = treeStatus(a);
    if (ts) {
      treeItem.text = ts.text;
      treeItem.tooltip = ts.tooltip;
      treeItem.accessibilityInformation = { label: ts.text.replace(/\$\([a-z-]+\)\s*/g, '') };
      treeItem.show();
    } else treeItem.hide();
    const introduced = a.report.findings.filter((f) => f.status !== 'fixed');
    const errors = introduced.filter((f) => f.severity === 'error').length;
    const warnings = introduced.filter((f) => f.severity === 'warning').length;
    const fixed = a.report.findings.length - introduced.length;
    const fns = a.report.functions.filter((f) => f.side === 'post').length;
    const counts = errors || warnings ? `Lockstep: $(error) ${errors} $(warning) ${warnings}` : `$(check) Lockstep`;
    const pr = a.progress;
    item.text = pr ? `${counts.replace('$(check) ', '$(sync~spin) ')} (${pr.analysed}/${pr.total})` : counts;
    item.tooltip = pr
      ? `Lockstep: analysing a series: ${pr.analysed} of ${pr.total} messages done; so far ${errors} error(s), ${warnings} warning(s) in ${fns} changed function(s)`
      : `Lockstep: ${errors} error(s), ${warnings} warning(s)${fixed ? `, ${fixed} fixed by the patch` : ''} in ${fns} changed function(s); analysed in ${a.ms} ms`;
    item.accessibilityInformation = { label: `Lockstep: ${errors} errors, ${warnings} warnings${pr ? `, analysing ${pr.analysed} of ${pr.total} messages` : ''}` };
    item.backgroundColor = errors ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };
  ctx.subscriptions.push(
    item,
    treeItem,
    analyzer.onDidAnalyse(update),
    analyzer.onDidClear(update),
    vscode.window.onDidChangeActiveTextEditor(update),
  );
  update();
  return item;
}
