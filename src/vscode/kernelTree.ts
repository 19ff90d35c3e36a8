/*
 * When the kernel tree is open in the workspace: the patch's findings also show in the C files
 * (post-side lines, so the tree should have the patch applied), with a "Simulate this path" lens above
 * each changed function. Files are looked up by their path relative to a workspace folder; nothing
 * is guessed when a file is missing.
 */
import * as vscode from 'vscode';
import type { CheckReport } from '../core/types';
import type { Analysis, Analyzer } from './analyzer';
import { DIAGNOSTIC_SOURCE, checkDocUri, visible } from './diagnostics';
import { SIMULATE_COMMAND } from './codeLens';
import { readConfig } from './config';
import { log } from './log';

interface CFunction {
  patch: vscode.Uri;
  fnIndex: number;
  name: string;
  line: number;
}

async function existing(rel: string): Promise<vscode.Uri | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, rel);
    try {
      await vscode.workspace.fs.stat(uri);
      return uri;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export function registerKernelTree(ctx: vscode.ExtensionContext, analyzer: Analyzer): void {
  const collection = vscode.languages.createDiagnosticCollection('lockstep-kernel-tree');
  /** C file URI → functions of analysed patches that live there. */
  const functions = new Map<string, CFunction[]>();
  /** Patch URI → the C file URIs it put diagnostics or lenses on. */
  const owned = new Map<string, string[]>();
  const lensChanged = new vscode.EventEmitter<void>();

  const clearPatch = (patch: vscode.Uri) => {
    for (const c of owned.get(patch.toString()) ?? []) {
      collection.delete(vscode.Uri.parse(c));
      functions.set(c, (functions.get(c) ?? []).filter((f) => f.patch.toString() !== patch.toString()));
    }
    owned.delete(patch.toString());
  };

  const apply = async (a: Analysis) => {
    if (!vscode.workspace.workspaceFolders?.length) return;
    const report: CheckReport = a.report;
    const files = [...new Set([...report.functions.filter((f) => f.side === 'post').map((f) => f.file), ...report.findings.map((f) => f.file)])].sort();
    const found = new Map<string, vscode.Uri>();
    for (const f of files) {
      const uri = await existing(f);
      if (uri) found.set(f, uri);
    }
    clearPatch(a.uri);
    if (found.size === 0) return lensChanged.fire();
    const touched: string[] = [];
    for (const [file, uri] of found) {
      const diags: vscode.Diagnostic[] = [];
      for (const f of report.findings) {
        if (f.file !== file || f.side !== 'post' || f.line === null || f.status === 'fixed') continue;
        const d = new vscode.Diagnostic(new vscode.Range(f.line - 1, 0, f.line - 1, 1000), visible(f.message), f.severity === 'error' ? vscode.DiagnosticSeverity.Error : f.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = { value: f.check, target: checkDocUri(ctx.extensionUri, f.check) };
        const related = f.related.filter((r) => r.line !== null).map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, new vscode.Range(r.line! - 1, 0, r.line! - 1, 1000)), visible(r.message)));
        if (f.input.line !== null) related.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(a.uri, new vscode.Range(f.input.line - 1, 0, f.input.line - 1, 1000)), 'in the patch'));
        d.relatedInformation = related;
        diags.push(d);
      }
      collection.set(uri, diags);
      const fns = report.functions
        .map((fn, fnIndex) => ({ fn, fnIndex }))
        .filter(({ fn }) => fn.side === 'post' && fn.file === file && !fn.notAnalysed && (fn.pathReports?.length ?? 0) > 0)
        .map(({ fn, fnIndex }) => ({ patch: a.uri, fnIndex, name: fn.name, line: fn.startLine }));
      const key = uri.toString();
      functions.set(key, [...(functions.get(key) ?? []), ...fns]);
      touched.push(key);
    }
    owned.set(a.uri.toString(), touched);
    log().info(`kernel tree: ${found.size} of ${files.length} changed file(s) found in the workspace`);
    lensChanged.fire();
  };

  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: lensChanged.event,
    provideCodeLenses(doc) {
      if (!readConfig(doc.uri).codeLensEnabled) return [];
      return (functions.get(doc.uri.toString()) ?? [])
        .filter((f) => f.line >= 1 && f.line <= doc.lineCount)
        .map(
          (f) =>
            new vscode.CodeLens(doc.lineAt(f.line - 1).range, {
              title: '$(debug-start) Simulate this path',
              tooltip: `Simulate ${f.name} as the patch changes it`,
              command: SIMULATE_COMMAND,
              arguments: [f.patch.toString(), f.fnIndex],
            }),
        );
    },
  };

  ctx.subscriptions.push(
    collection,
    lensChanged,
    vscode.languages.registerCodeLensProvider({ language: 'c' }, provider),
    analyzer.onDidAnalyse((a) => void apply(a)),
    analyzer.onDidClear((uri) => {
      clearPatch(uri);
      lensChanged.fire();
    }),
  );
}
