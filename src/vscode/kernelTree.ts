/*
 * The kernel tree's C files: a patch's findings also show there, with a "Simulate this path" lens
 * above each changed function. The file the reviewer has open may be at the patch's base (a mail
 * being reviewed), have it applied (b4 shazam, the author's own commits) or have moved on: each
 * finding's line (in the pre- or post-image the core analysed) is placed by a line diff between that
 * image and the file's current text (core/c/lineMap.ts). A line the file does not have (one the patch
 * adds, on a tree at base) goes right after the nearest shared line and says so; a line that cannot be
 * placed is left out and counted in the log, never guessed.
 */
import * as vscode from 'vscode';
import { lineMapper, treeSides, type LineMapper } from '../core/c/index';
import type { CheckReport, FileDiff, Side } from '../core/types';
import type { Analysis, Analyzer } from './analyzer';
import { readTextFile, type TreeContext } from './treeFiles';
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

const ADDED_NOTE = '(the patch adds this line here; this copy of the file does not have it yet) ';

/**
 * A finding's message names lines of the file the core analysed ("acquired at line 11"); in the C file
 * those are renumbered to the lines of the copy shown, where the line map places them exactly. A line it
 * cannot place keeps its number, marked as the patched file's.
 */
export function renumberLines(message: string, map: (line: number) => { line: number; exact: boolean } | null): string {
  const one = (n: number): string | null => {
    const m = map(n);
    return m && m.exact ? String(m.line) : null;
  };
  return message.replace(/\b(lines?) (\d+)(?:\u2013(\d+))?/g, (all, word: string, a: string, b: string | undefined) => {
    const x = one(Number(a));
    const y = b === undefined ? null : one(Number(b));
    if (x !== null && (b === undefined || y !== null)) return `${word} ${x}${b === undefined ? '' : `\u2013${y}`}`;
    return `${all} of the patched file`;
  });
}

/** The C file's text as the reviewer sees it: the open editor's, else the file's. */
async function fileText(uri: vscode.Uri): Promise<string | null> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return open ? open.getText() : readTextFile(uri);
}

async function inWorkspace(rel: string): Promise<vscode.Uri | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const uri = vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
    try {
      if ((await vscode.workspace.fs.stat(uri)).type === vscode.FileType.File) return uri;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** Per analysed patch: places its findings' lines in the tree's C files. */
class Placer {
  private readonly mappers = new Map<string, LineMapper | null>();

  /** `tree`: what the patch was analysed against (its file diffs and images); null when no tree was used. */
  constructor(private readonly tree: TreeContext | null) {}

  /** The file diff a finding or function of `file` belongs to: by message, else by input line. */
  private diffFor(diffs: FileDiff[][], file: string, message: number | null, inputLine: number | null): { mi: number; fi: number } | null {
    let best: { mi: number; fi: number; at: number } | null = null;
    diffs.forEach((files, mi) => files.forEach((f, fi) => {
      if (f.newPath !== file && f.oldPath !== file) return;
      if (message !== null) {
        if (mi === message) best = { mi, fi, at: f.inputLine };
        return;
      }
      if (inputLine !== null && f.inputLine <= inputLine && (!best || f.inputLine > best.at)) best = { mi, fi, at: f.inputLine };
      else if (!best) best = { mi, fi, at: -1 };
    }));
    return best;
  }

  /** Where line `line` of `side` of `file` is in `current` (the file as it is now). */
  place(file: string, side: Side, line: number, current: string[], message: number | null, inputLine: number | null): { line: number; exact: boolean } | null {
    // Without a tree the analysis used the patch's own numbering, which is the file's when it has the patch applied.
    if (!this.tree) return line >= 1 && line <= current.length ? { line, exact: true } : null;
    const at = this.diffFor(this.tree.diffs, file, message, inputLine);
    if (!at) return null;
    const key = `${at.mi}/${at.fi}/${side}`;
    if (!this.mappers.has(key)) {
      const image = this.tree.images[at.mi]?.[at.fi] ?? null;
      const sides = image !== null ? treeSides(this.tree.diffs[at.mi][at.fi], image) : null;
      this.mappers.set(key, sides ? lineMapper(sides[side], current) : null);
    }
    return this.mappers.get(key)?.(line) ?? null;
  }
}

export function registerKernelTree(ctx: vscode.ExtensionContext, analyzer: Analyzer): void {
  const collection = vscode.languages.createDiagnosticCollection('lockstep-kernel-tree');
  /** C file URI → functions of analysed patches that live there. */
  const functions = new Map<string, CFunction[]>();
  /** Patch URI → the C file URIs it put diagnostics or lenses on. */
  const owned = new Map<string, string[]>();
  /** C file URI → diagnostics per patch URI (several patches may touch one file). */
  const diagsByFile = new Map<string, Map<string, vscode.Diagnostic[]>>();
  const lensChanged = new vscode.EventEmitter<void>();

  const publish = (c: string) => collection.set(vscode.Uri.parse(c), [...(diagsByFile.get(c)?.values() ?? [])].flat());

  const clearPatch = (patch: vscode.Uri) => {
    for (const c of owned.get(patch.toString()) ?? []) {
      diagsByFile.get(c)?.delete(patch.toString());
      publish(c);
      functions.set(c, (functions.get(c) ?? []).filter((f) => f.patch.toString() !== patch.toString()));
    }
    owned.delete(patch.toString());
  };

  const apply = async (a: Analysis) => {
    const report: CheckReport = a.report;
    const files = [...new Set([...report.functions.filter((f) => f.side === 'post').map((f) => f.file), ...report.findings.map((f) => f.file)])].sort();
    const found = new Map<string, vscode.Uri>();
    for (const f of files) {
      const known = a.tree?.fileUris[f];
      const uri = known ? vscode.Uri.parse(known) : await inWorkspace(f);
      if (uri) found.set(f, uri);
    }
    clearPatch(a.uri);
    if (found.size === 0) return lensChanged.fire();
    if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === a.uri.toString())) return lensChanged.fire();
    const placer = new Placer(a.tree);
    const touched: string[] = [];
    let placed = 0;
    let unplaced = 0;
    for (const [file, uri] of found) {
      const text = await fileText(uri);
      if (text === null) continue;
      const current = text.split('\n');
      if (current.length && current[current.length - 1] === '') current.pop();
      const diags: vscode.Diagnostic[] = [];
      for (const f of report.findings) {
        if (f.file !== file || f.line === null || f.status === 'fixed') continue;
        const at = placer.place(file, f.side, f.line, current, null, f.input.line);
        if (!at) {
          unplaced++;
          continue;
        }
        placed++;
        const msg = renumberLines(f.message, (n) => placer.place(file, f.side, n, current, null, f.input.line));
        const d = new vscode.Diagnostic(new vscode.Range(at.line - 1, 0, at.line - 1, 1000), (at.exact ? '' : ADDED_NOTE) + visible(msg),
          f.severity === 'error' ? vscode.DiagnosticSeverity.Error : f.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = { value: f.check, target: checkDocUri(ctx.extensionUri, f.check) };
        const related: vscode.DiagnosticRelatedInformation[] = [];
        for (const r of f.related) {
          if (r.line === null) continue;
          const rat = placer.place(file, f.side, r.line, current, null, f.input.line);
          if (rat) related.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, new vscode.Range(rat.line - 1, 0, rat.line - 1, 1000)), visible(r.message)));
        }
        if (f.input.line !== null) related.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(a.uri, new vscode.Range(f.input.line - 1, 0, f.input.line - 1, 1000)), 'in the patch'));
        d.relatedInformation = related;
        diags.push(d);
      }
      const key = uri.toString();
      if (!diagsByFile.has(key)) diagsByFile.set(key, new Map());
      diagsByFile.get(key)!.set(a.uri.toString(), diags);
      publish(key);
      const fns: CFunction[] = [];
      report.functions.forEach((fn, fnIndex) => {
        if (fn.side !== 'post' || fn.file !== file || fn.notAnalysed || (fn.pathReports?.length ?? 0) === 0) return;
        const at = placer.place(file, 'post', fn.startLine, current, fn.message, null);
        if (at?.exact) fns.push({ patch: a.uri, fnIndex, name: fn.name, line: at.line });
      });
      functions.set(key, [...(functions.get(key) ?? []), ...fns]);
      touched.push(key);
    }
    owned.set(a.uri.toString(), touched);
    log().info(`kernel tree: ${found.size} of ${files.length} changed file(s) found${a.tree ? ` in ${a.tree.info.path}` : ' in the workspace'}; ${placed} finding(s) placed${unplaced ? `, ${unplaced} not placed (the file's text no longer has them)` : ''}`);
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
