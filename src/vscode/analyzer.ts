/*
 * Which documents Lockstep analyses, and when: on open, on save and (debounced) on edit.
 * Keeps the latest report per document and tells listeners (diagnostics, lenses, status bar, tree).
 */
import * as vscode from 'vscode';
import type { CheckOptions, CheckReport, Finding } from '../core/types';
import { gatherTree, type TreeContext } from './treeFiles';
import { workspaceApiTable } from './apiTableFile';
import { looksLikePatchMail } from '../shared/mailSniff';
import { readConfig } from './config';
import { log } from './log';
import { Cancelled, Runner, type ScenarioRun } from './runner';

export const LANGUAGE_ID = 'patch-mail';

export interface Analysis {
  uri: vscode.Uri;
  version: number;
  report: CheckReport;
  ms: number;
  /** The kernel tree the patch was analysed against, when one held its files. */
  tree: TreeContext | null;
  /** A series still being analysed: the report holds the first `analysed` of `total` messages. */
  progress?: { analysed: number; total: number };
}

export class Analyzer implements vscode.Disposable {
  private readonly results = new Map<string, Analysis>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly emitter = new vscode.EventEmitter<Analysis>();
  private readonly clearEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidAnalyse = this.emitter.event;
  readonly onDidClear = this.clearEmitter.event;
  private readonly runner: Runner;
  /** Documents the user asked to analyse whatever their language. */
  private readonly forced = new Set<string>();

  constructor(private readonly distDir: string) {
    this.runner = new Runner(distDir, () => readConfig().workerThresholdBytes);
  }

  isCandidate(doc: vscode.TextDocument): boolean {
    if (doc.languageId === LANGUAGE_ID) return true;
    return this.forced.has(doc.uri.toString());
  }

  get(uri: vscode.Uri): Analysis | undefined {
    return this.results.get(uri.toString());
  }

  all(): Analysis[] {
    return [...this.results.values()];
  }

  force(doc: vscode.TextDocument): void {
    this.forced.add(doc.uri.toString());
  }

  schedule(doc: vscode.TextDocument, delayMs = readConfig(doc.uri).debounceMs): void {
    if (!this.isCandidate(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.analyseNow(doc);
      }, delayMs),
    );
  }

  async analyseNow(doc: vscode.TextDocument): Promise<Analysis | undefined> {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    const cfg = readConfig(doc.uri);
    const opts: CheckOptions = {
      wasmDir: this.distDir,
      traces: true,
      maxPathsPerFunction: cfg.maxPathsPerFunction,
      loopUnroll: cfg.loopUnroll,
      disabledChecks: cfg.disabledChecks,
    };
    const apiTable = await workspaceApiTable(cfg.apiTable);
    if (apiTable) opts.apiTable = apiTable;
    const version = doc.version;
    const text = doc.getText();
    const name = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.path;
    const t0 = Date.now();
    // Kernel tree mode: exact pre-images from the kernel git repository, or the files a tree holds.
    let tree: TreeContext | null = null;
    let treeProblems: CheckReport['problems'] = [];
    if (cfg.useKernelTree) {
      try {
        const g = await gatherTree(text, name, cfg.kernelTree);
        Object.assign(opts, g.opts);
        tree = g.context;
        treeProblems = g.problems;
      } catch (e) {
        treeProblems = [{ input: name, kind: 'tree-read', message: `the kernel tree could not be read (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); the hunks alone were used` }];
      }
    }
    try {
      // A series shows each batch of patches' findings as they come (the worker throttles them).
      const onPartial = (partial: CheckReport, analysed: number, total: number) => {
        if (doc.isClosed || doc.version !== version) return;
        if (treeProblems.length) partial.problems.unshift(...treeProblems);
        const a: Analysis = { uri: doc.uri, version, report: applySeverity(partial, cfg.severityOverrides), ms: Date.now() - t0, tree, progress: { analysed, total } };
        this.results.set(key, a);
        log().info(`${baseName(doc.uri)} v${version}: ${analysed}/${total} messages so far: ${partial.findings.length} findings in ${a.ms} ms`);
        this.emitter.fire(a);
      };
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Lockstep: analysing ${baseName(doc.uri)}` },
        () => this.runner.run(key, text, name, opts, onPartial),
      );
      if (doc.isClosed || doc.version !== version) return undefined;
      if (treeProblems.length) report.problems.unshift(...treeProblems);
      if (tree && report.inputs[0]) report.inputs[0].tree = tree.info;
      const a: Analysis = { uri: doc.uri, version, report: applySeverity(report, cfg.severityOverrides), ms: Date.now() - t0, tree };
      this.results.set(key, a);
      log().info(
        `${baseName(doc.uri)} v${version}: ${report.functions.length} functions, ${report.findings.length} findings, ${report.problems.length} problems in ${a.ms} ms`,
      );
      for (const p of report.problems) log().debug(`  problem${p.line ? ` (line ${p.line})` : ''}: ${p.message}`);
      this.emitter.fire(a);
      return a;
    } catch (e) {
      if (e instanceof Cancelled) {
        log().trace(`${baseName(doc.uri)} v${version}: superseded`);
        return undefined;
      }
      log().error(`${baseName(doc.uri)}: analysis failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return undefined;
    }
  }

  scenario(name: string, opts: { fixed?: boolean; tasks?: number; timeMs?: number }): Promise<ScenarioRun> {
    return this.runner.scenario(name, opts);
  }

  clear(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.forced.delete(key);
    if (this.results.delete(key)) this.clearEmitter.fire(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.runner.dispose();
    this.emitter.dispose();
    this.clearEmitter.dispose();
  }
}

function applySeverity(report: CheckReport, overrides: Record<string, string>): CheckReport {
  if (Object.keys(overrides).length === 0) return report;
  const findings = report.findings
    .filter((f) => overrides[f.check] !== 'off')
    .map((f): Finding => {
      const o = overrides[f.check];
      return o === 'error' || o === 'warning' || o === 'info' ? { ...f, severity: o } : f;
    });
  return { ...report, findings };
}

export function baseName(uri: vscode.Uri): string {
  const p = uri.path;
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Registers the analyzer's document listeners; sniffs mail-looking plain text into patch-mail. */
export function registerAnalyzer(ctx: vscode.ExtensionContext): Analyzer {
  const distDir = vscode.Uri.joinPath(ctx.extensionUri, 'dist').fsPath;
  const analyzer = new Analyzer(distDir);
  ctx.subscriptions.push(analyzer);

  const consider = (doc: vscode.TextDocument) => {
    if (doc.languageId === 'plaintext' && readConfig(doc.uri).detectTextFiles && looksLikePatchMail(doc.getText())) {
      log().info(`${baseName(doc.uri)} looks like patch mail: switching its language to ${LANGUAGE_ID}`);
      // Reopens the document with the new language; the open event below then analyses it.
      void vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
      return;
    }
    if (analyzer.isCandidate(doc)) analyzer.schedule(doc, 0);
  };

  ctx.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(consider),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0) analyzer.schedule(e.document);
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => analyzer.schedule(doc, 0)),
    vscode.workspace.onDidCloseTextDocument((doc) => analyzer.clear(doc.uri)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('lockstep')) return;
      for (const doc of vscode.workspace.textDocuments) analyzer.schedule(doc, 0);
    }),
    // Trust granted: git may now be run on the kernel tree, so the exact blobs can replace the plain files.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      for (const doc of vscode.workspace.textDocuments) if (analyzer.isCandidate(doc)) analyzer.schedule(doc, 0);
    }),
  );
  for (const doc of vscode.workspace.textDocuments) consider(doc);
  return analyzer;
}
