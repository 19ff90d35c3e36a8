/*
 * Findings → diagnostics on the patch lines: source 'lockstep', code = check id linking to the
 * check's documentation, related locations for where the lock was taken, where the path returns, ...
 */
import * as vscode from 'vscode';
import { visible } from '../shared/visible';
import type { CheckReport, Finding } from '../core/types';
import type { Analyzer } from './analyzer';

export const DIAGNOSTIC_SOURCE = 'lockstep';

export function registerDiagnostics(ctx: vscode.ExtensionContext, analyzer: Analyzer): vscode.DiagnosticCollection {
  const collection = vscode.languages.createDiagnosticCollection('lockstep');
  ctx.subscriptions.push(
    collection,
    analyzer.onDidAnalyse((a) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === a.uri.toString());
      collection.set(a.uri, toDiagnostics(a.report, a.uri, doc, ctx.extensionUri));
    }),
    analyzer.onDidClear((uri) => collection.delete(uri)),
  );
  return collection;
}

export function toDiagnostics(report: CheckReport, uri: vscode.Uri, doc: vscode.TextDocument | undefined, extensionUri: vscode.Uri): vscode.Diagnostic[] {
  const out: vscode.Diagnostic[] = [];
  for (const f of report.findings) {
    const line = findingLine(report, f);
    const range = lineRange(doc, line);
    const fixed = f.status === 'fixed';
    const where = f.input.line === null ? ' (the patch does not show the exact line)' : '';
    const prefix = fixed ? 'Fixed by this patch: ' : f.status === 'persists' ? 'Still present after this patch: ' : '';
    const d = new vscode.Diagnostic(range, visible(`${prefix}${f.message}${where}`), fixed ? vscode.DiagnosticSeverity.Hint : severity(f.severity));
    d.source = DIAGNOSTIC_SOURCE;
    d.code = { value: f.check, target: checkDocUri(extensionUri, f.check) };
    const related: vscode.DiagnosticRelatedInformation[] = [];
    for (const r of f.related) {
      if (r.input.line === null) continue;
      related.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, lineRange(doc, r.input.line - 1)), visible(r.message)));
    }
    if (related.length) d.relatedInformation = related;
    out.push(d);
  }
  // The report's problems (bidi/control characters, limits hit, unparsable parts) are shown too: a
  // limit or a hidden character must be visible, not only in the log. Without a line: line 1.
  for (const p of report.problems) {
    const line = typeof p.line === 'number' && p.line > 0 ? p.line - 1 : 0;
    const warn = p.kind === 'bidi-control' || p.kind === 'limit';
    const d = new vscode.Diagnostic(lineRange(doc, line), visible(p.message), warn ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
    d.source = DIAGNOSTIC_SOURCE;
    if (p.kind) d.code = p.kind;
    out.push(d);
  }
  return out;
}

// Messages quote mail text: a bidi override (U+202E) in it would reverse the rest of a hover or a
// Problems row, an ESC would show as a box. Such characters become visible "[U+202E]" marks, as the
// editor itself shows them (src/shared/visible.ts, shared with the webview and the CLI).
export { visible };

/** 0-based line for a finding: its proven input line, else the function's first shown line, else 0. */
function findingLine(report: CheckReport, f: Finding): number {
  if (f.input.line !== null) return f.input.line - 1;
  const fn = report.functions.find((x) => x.name === f.function && x.side === f.side && x.file === f.file);
  return fn?.inputLine ? fn.inputLine - 1 : 0;
}

function lineRange(doc: vscode.TextDocument | undefined, line: number): vscode.Range {
  if (!doc || line >= doc.lineCount) return new vscode.Range(Math.max(0, line), 0, Math.max(0, line), 1000);
  const l = doc.lineAt(Math.max(0, line));
  const start = l.firstNonWhitespaceCharacterIndex;
  return new vscode.Range(l.lineNumber, start < l.text.length ? start : 0, l.lineNumber, l.text.length);
}

function severity(s: Finding['severity']): vscode.DiagnosticSeverity {
  return s === 'error' ? vscode.DiagnosticSeverity.Error : s === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}

/** The check's documentation page, shipped in the extension (media/checks/<id>.md). */
export function checkDocUri(extensionUri: vscode.Uri, check: string): vscode.Uri {
  const safe = check.replace(/[^a-z0-9-]/gi, '');
  return vscode.Uri.joinPath(extensionUri, 'media', 'checks', `${safe}.md`);
}
