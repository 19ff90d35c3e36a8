/*
 * "Lockstep: Simulate this path": pick a changed function (if not given) and one of its paths
 * (quick pick, failing first), then show the path in the timeline.
 */
import * as vscode from 'vscode';
import type { FunctionReport, PathReport } from '../core/types';
import type { TimelineModel } from '../shared/protocol';
import { baseName, type Analyzer } from './analyzer';
import { SIMULATE_COMMAND, failing } from './codeLens';
import type { TimelinePanels } from './timelinePanel';

interface PathItem extends vscode.QuickPickItem {
  path: PathReport;
}

export function registerSimulate(ctx: vscode.ExtensionContext, analyzer: Analyzer, panels: TimelinePanels): void {
  ctx.subscriptions.push(
    vscode.commands.registerCommand(SIMULATE_COMMAND, async (uriArg?: string, fnIndex?: number, pathId?: string) => {
      const uri = uriArg ? vscode.Uri.parse(uriArg) : vscode.window.activeTextEditor?.document.uri;
      if (!uri) return void vscode.window.showInformationMessage('Lockstep: open a patch mail first.');
      let a = analyzer.get(uri);
      if (!a) {
        const doc = await vscode.workspace.openTextDocument(uri);
        analyzer.force(doc);
        a = await analyzer.analyseNow(doc);
      }
      if (!a) return void vscode.window.showWarningMessage('Lockstep: this document could not be analysed (see the Lockstep log).');
      const fn = typeof fnIndex === 'number' ? a.report.functions[fnIndex] : await pickFunction(a.report.functions, uri);
      if (!fn) return;
      const paths = fn.pathReports ?? [];
      if (paths.length === 0) return void vscode.window.showInformationMessage(`Lockstep: ${fn.name} has no simulated path.`);
      const path = pathId ? paths.find((p) => p.id === pathId) : paths.length === 1 ? paths[0] : await pickPath(fn, paths);
      if (!path) return;
      panels.show(modelFor(uri, fn, path));
    }),
  );
}

async function pickFunction(functions: FunctionReport[], uri: vscode.Uri): Promise<FunctionReport | undefined> {
  const post = functions.filter((f) => f.side === 'post' && (f.pathReports?.length ?? 0) > 0);
  if (post.length <= 1) return post[0];
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.uri.toString() === uri.toString()) {
    // The function whose first shown line is the nearest above the cursor.
    const line = editor.selection.active.line + 1;
    const above = post.filter((f) => f.inputLine !== null && f.inputLine <= line).sort((x, y) => (y.inputLine ?? 0) - (x.inputLine ?? 0));
    if (above.length && line - (above[0].inputLine ?? 0) < 400) return above[0];
  }
  const pick = await vscode.window.showQuickPick(
    post.map((f) => ({ label: f.name, description: f.file, detail: summary(f), fn: f })),
    { title: 'Lockstep: simulate which function?' },
  );
  return pick?.fn;
}

function summary(f: FunctionReport): string {
  const paths = f.pathReports ?? [];
  const bad = paths.filter(failing).length;
  return `${paths.length} path${paths.length === 1 ? '' : 's'}${bad ? `, ${bad} failing` : ', all ok'}`;
}

export function sortPaths(paths: PathReport[]): PathReport[] {
  const rank = (p: PathReport) => (p.severity === 'error' ? 0 : p.severity === 'warning' ? 1 : p.severity === 'info' ? 2 : 3);
  return paths
    .map((p, i) => ({ p, i }))
    .sort((x, y) => rank(x.p) - rank(y.p) || x.i - y.i)
    .map((x) => x.p);
}

async function pickPath(fn: FunctionReport, paths: PathReport[]): Promise<PathReport | undefined> {
  const items: PathItem[] = sortPaths(paths).map((p) => ({
    label: `${p.severity === 'error' ? '$(error)' : p.severity === 'warning' ? '$(warning)' : '$(pass)'} ${p.id}: ${p.outcome}`,
    description: p.trace.steps.length ? `${p.trace.steps.length} steps` : undefined,
    detail: p.assumptions.length ? p.assumptions.join(' → ') : 'no branch taken',
    path: p,
  }));
  const pick = await vscode.window.showQuickPick(items, {
    title: `Lockstep: ${fn.name} has ${paths.length} paths, failing first`,
    placeHolder: 'Pick a path to simulate',
    matchOnDetail: true,
  });
  return pick?.path;
}

export function modelFor(uri: vscode.Uri, fn: FunctionReport, path: PathReport): TimelineModel {
  return {
    title: `${fn.name} · ${path.id}`,
    kind: 'path',
    documentUri: uri.toString(),
    documentName: baseName(uri),
    functionName: fn.name,
    pathId: path.id,
    outcome: path.outcome,
    severity: path.severity,
    assumptions: path.assumptions,
    trace: path.trace,
  };
}
