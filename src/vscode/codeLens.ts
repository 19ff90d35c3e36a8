/*
 * "Simulate this path" above each changed function (post side) of an analysed patch, and, when some
 * path fails, a second lens naming the first failing outcome that opens that path directly.
 */
import * as vscode from 'vscode';
import type { FunctionReport, PathReport } from '../core/types';
import type { Analyzer } from './analyzer';
import { LANGUAGE_ID } from './analyzer';
import { scenariosForFunction } from '../core/hints';
import { readConfig } from './config';
import { REPLAY_COMMAND, knownScenarios } from './scenarios';

export const SIMULATE_COMMAND = 'lockstep.simulatePath';

export function registerCodeLens(ctx: vscode.ExtensionContext, analyzer: Analyzer): void {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(doc) {
      if (!readConfig(doc.uri).codeLensEnabled) return [];
      const a = analyzer.get(doc.uri);
      if (!a) return [];
      return lensesFor(doc, a.report.functions);
    },
  };
  ctx.subscriptions.push(
    changed,
    vscode.languages.registerCodeLensProvider([{ language: LANGUAGE_ID }, { language: 'plaintext' }], provider),
    analyzer.onDidAnalyse(() => changed.fire()),
    analyzer.onDidClear(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('lockstep.codeLens')) changed.fire();
    }),
  );
}

export function failing(p: PathReport): boolean {
  return p.severity === 'error' || p.severity === 'warning';
}

function lensesFor(doc: vscode.TextDocument, functions: FunctionReport[]): vscode.CodeLens[] {
  const lenses: vscode.CodeLens[] = [];
  functions.forEach((fn, index) => {
    if (fn.side !== 'post' || fn.inputLine === null || fn.inputLine < 1 || fn.inputLine > doc.lineCount) return;
    const range = doc.lineAt(lensLine(doc, fn.inputLine - 1)).range;
    const paths = fn.pathReports ?? [];
    const args = [doc.uri.toString(), index];
    if (fn.notAnalysed) {
      lenses.push(new vscode.CodeLens(range, { title: `Lockstep: not analysed (${fn.notAnalysed})`, command: '' }));
      return;
    }
    const count = paths.length === 1 ? '' : ` (${fn.paths} paths${fn.truncated ? ', capped' : ''})`;
    lenses.push(
      new vscode.CodeLens(range, {
        title: `$(debug-start) Simulate this path${count}`,
        tooltip: `Run ${fn.name} through the writeback simulator and show the timeline`,
        command: SIMULATE_COMMAND,
        arguments: args,
      }),
    );
    const bad = paths.filter(failing);
    if (bad.length > 0) {
      lenses.push(
        new vscode.CodeLens(range, {
          title: `$(error) ${bad.length} of ${paths.length} path${paths.length === 1 ? '' : 's'} ${bad.length === 1 ? 'fails' : 'fail'}: ${bad[0].outcome}`,
          tooltip: 'Show the first failing path in the timeline',
          command: SIMULATE_COMMAND,
          arguments: [...args, bad[0].id],
        }),
      );
    } else if (paths.length > 0) {
      lenses.push(new vscode.CodeLens(range, { title: `$(pass) all ${paths.length} path${paths.length === 1 ? '' : 's'} ok`, command: '' }));
    }
    const ops = paths.flatMap((p) => p.trace.steps.map((s) => s.op));
    const scenarios = scenariosForFunction(fn.name, ops, knownScenarios());
    if (scenarios.length > 0) {
      lenses.push(
        new vscode.CodeLens(range, {
          title: '$(organization) Simulate with other tasks',
          tooltip: `Replay the cross-task scenario${scenarios.length === 1 ? '' : 's'} ${scenarios.join(', ')} in the timeline`,
          command: REPLAY_COMMAND,
          arguments: [scenarios],
        }),
      );
    }
  });
  return lenses;
}

/**
 * The line the lenses go on: the function's first shown line, or the hunk header just above it when
 * the hunk starts inside the function (its heading then names the function).
 */
export function lensLine(doc: vscode.TextDocument, line: number): number {
  if (line > 0 && /^(?:>\s?)*@@ -\d/.test(doc.lineAt(line - 1).text)) return line - 1;
  return line;
}
