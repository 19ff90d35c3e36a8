/*
 * The "Patch series" tree in the explorer: series → patches → (trailers, files → functions), with
 * finding counts; Link:/lore references open in the browser on click; functions reveal their line.
 */
import * as vscode from 'vscode';
import { parseInput } from '../core/mail/index';
import type { CheckReport, FileDiff, FunctionReport, MailMessage, ParsedInput, Problem, Trailer } from '../core/types';
import type { Analyzer } from './analyzer';
import { failing } from './codeLens';

type Node =
  | { kind: 'series'; parsed: ParsedInput; report: CheckReport; uri: vscode.Uri }
  | { kind: 'patch'; m: MailMessage; index: number; report: CheckReport; uri: vscode.Uri }
  | { kind: 'trailers'; m: MailMessage; uri: vscode.Uri }
  | { kind: 'trailer'; t: Trailer; uri: vscode.Uri }
  | { kind: 'file'; f: FileDiff; index: number; report: CheckReport; uri: vscode.Uri }
  | { kind: 'function'; fn: FunctionReport; fnIndex: number; report: CheckReport; uri: vscode.Uri }
  | { kind: 'problems'; problems: Problem[]; uri: vscode.Uri }
  | { kind: 'problem'; p: Problem; uri: vscode.Uri };

class SeriesProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private parsedCache = new Map<string, { version: number; parsed: ParsedInput }>();
  /** The patch shown: the active editor's, kept while a webview or another panel has focus. */
  current: vscode.TextDocument | undefined;

  constructor(private readonly analyzer: Analyzer) {}

  refresh(): void {
    this.changed.fire();
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const doc = this.current;
      const a = doc && !doc.isClosed ? this.analyzer.get(doc.uri) : undefined;
      if (!doc || !a) return [];
      return [{ kind: 'series', parsed: this.parsed(doc), report: a.report, uri: doc.uri }];
    }
    switch (node.kind) {
      case 'series': {
        const out: Node[] = node.parsed.messages.map((m, index) => ({ kind: 'patch', m, index, report: node.report, uri: node.uri }));
        if (node.report.problems.length) out.push({ kind: 'problems', problems: node.report.problems, uri: node.uri });
        return out;
      }
      case 'problems':
        return node.problems.map((p) => ({ kind: 'problem', p, uri: node.uri }));
      case 'patch': {
        const out: Node[] = [];
        if (node.m.trailers.length || node.m.messageId) out.push({ kind: 'trailers', m: node.m, uri: node.uri });
        for (const f of node.m.files) out.push({ kind: 'file', f, index: node.index, report: node.report, uri: node.uri });
        return out;
      }
      case 'trailers':
        return [
          ...node.m.trailers.map((t): Node => ({ kind: 'trailer', t, uri: node.uri })),
          ...(node.m.messageId ? [{ kind: 'trailer' as const, t: { key: 'Message-ID', value: node.m.messageId }, uri: node.uri }] : []),
        ];
      case 'file': {
        const path = node.f.newPath ?? node.f.oldPath;
        return node.report.functions
          .map((fn, fnIndex) => ({ fn, fnIndex }))
          .filter(({ fn }) => fn.side === 'post' && fn.message === node.index && fn.file === path)
          .map(({ fn, fnIndex }) => ({ kind: 'function', fn, fnIndex, report: node.report, uri: node.uri }));
      }
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'series': {
        const title = node.parsed.series?.title || node.parsed.messages[0]?.subject || 'Patch mail';
        const item = new vscode.TreeItem(title, C.Expanded);
        const errors = node.report.findings.filter((f) => f.status !== 'fixed' && f.severity === 'error').length;
        item.description = `${node.parsed.messages.length} message${node.parsed.messages.length === 1 ? '' : 's'} · ${node.parsed.format}${errors ? ` · ${errors} error${errors === 1 ? '' : 's'}` : ''}`;
        item.iconPath = new vscode.ThemeIcon('mail');
        return item;
      }
      case 'patch': {
        const m = node.m;
        const counter = m.index !== null && m.total !== null ? `[${m.index}/${m.total}] ` : '';
        const firstBodyLine = m.body.split('\n').find((l) => l.trim().length > 0)?.trim() ?? '';
        const item = new vscode.TreeItem(`${counter}${m.subject || m.rawSubject || firstBodyLine || '(no subject)'}`, m.files.length ? C.Expanded : C.None);
        const findings = node.report.findings.filter((f) => f.status !== 'fixed' && node.report.functions.some((fn) => fn.message === node.index && fn.name === f.function && fn.file === f.file));
        item.description = [m.from?.name, findings.length ? `${findings.length} finding${findings.length === 1 ? '' : 's'}` : ''].filter(Boolean).join(' · ');
        item.tooltip = `${m.rawSubject}\n${m.from ? `${m.from.name} <${m.from.email}>` : ''}${m.date ? `\n${m.date}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(m.kind === 'cover' ? 'book' : 'git-commit');
        item.command = revealCommand(node.uri, m.inputLine);
        return item;
      }
      case 'trailers': {
        const item = new vscode.TreeItem(`Trailers (${node.m.trailers.length})`, C.Collapsed);
        item.description = node.m.messageId ? 'and lore link' : undefined;
        item.iconPath = new vscode.ThemeIcon('tag');
        return item;
      }
      case 'trailer': {
        const t = node.t;
        const item = new vscode.TreeItem(`${t.key}: ${t.value}`, C.None);
        const url = trailerUrl(t);
        if (url) {
          item.iconPath = new vscode.ThemeIcon('link-external');
          item.tooltip = `Open ${url}`;
          item.command = { title: 'Open link', command: 'vscode.open', arguments: [vscode.Uri.parse(url)] };
        } else {
          item.iconPath = new vscode.ThemeIcon(/fixes/i.test(t.key) ? 'git-compare' : 'person');
          if (t.inputLine) item.command = revealCommand(node.uri, t.inputLine);
        }
        return item;
      }
      case 'file': {
        const f = node.f;
        const path = f.newPath ?? f.oldPath ?? '(unknown)';
        let add = 0;
        let del = 0;
        for (const h of f.hunks) for (const l of h.lines) l.kind === 'add' ? add++ : l.kind === 'del' ? del++ : 0;
        const fns = this.getChildren(node).length;
        const item = new vscode.TreeItem(path, fns ? C.Expanded : C.None);
        item.description = `+${add} −${del}${f.status !== 'modified' ? ` · ${f.status}` : ''}`;
        item.resourceUri = vscode.Uri.parse(`lockstep-file:/${path}`);
        item.iconPath = vscode.ThemeIcon.File;
        item.command = revealCommand(node.uri, f.inputLine);
        return item;
      }
      case 'problems': {
        const item = new vscode.TreeItem(`What Lockstep could not do (${node.problems.length})`, C.Collapsed);
        item.tooltip = 'Bounds hit, parts of the mail not understood, code the patch does not show: the analysis is partial there.';
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(node.p.message, C.None);
        item.description = [node.p.kind, node.p.line ? `line ${node.p.line}` : ''].filter(Boolean).join(' · ');
        item.tooltip = node.p.message;
        item.command = revealCommand(node.uri, node.p.line);
        return item;
      }
      case 'function': {
        const fn = node.fn;
        const paths = fn.pathReports ?? [];
        const bad = paths.filter(failing).length;
        const findings = node.report.findings.filter((f) => f.function === fn.name && f.file === fn.file && f.side === 'post' && f.status !== 'fixed').length;
        const item = new vscode.TreeItem(`${fn.name}()`, C.None);
        item.description = `${fn.paths} path${fn.paths === 1 ? '' : 's'}${bad ? `, ${bad} failing` : ''}${findings ? ` · ${findings} finding${findings === 1 ? '' : 's'}` : ''}${fn.complete ? '' : ' · partial'}`;
        item.iconPath = new vscode.ThemeIcon(bad ? 'error' : 'symbol-function', bad ? new vscode.ThemeColor('errorForeground') : undefined);
        item.tooltip = fn.partialReasons.length ? `Partial: ${fn.partialReasons.join('; ')}` : undefined;
        item.contextValue = 'lockstep.function';
        item.command = { title: 'Simulate', command: 'lockstep.simulatePath', arguments: [node.uri.toString(), node.fnIndex] };
        return item;
      }
    }
  }

  private parsed(doc: vscode.TextDocument): ParsedInput {
    const key = doc.uri.toString();
    const hit = this.parsedCache.get(key);
    if (hit && hit.version === doc.version) return hit.parsed;
    const parsed = parseInput(doc.getText(), doc.uri.path);
    this.parsedCache.set(key, { version: doc.version, parsed });
    return parsed;
  }

  forget(uri: vscode.Uri): void {
    this.parsedCache.delete(uri.toString());
  }
}

function revealCommand(uri: vscode.Uri, line: number | null | undefined): vscode.Command | undefined {
  if (!line) return undefined;
  const pos = new vscode.Position(line - 1, 0);
  return { title: 'Reveal', command: 'vscode.open', arguments: [uri, { selection: new vscode.Range(pos, pos) }] };
}

/** Link: values and lore Message-IDs as URLs (opened only when the user clicks). */
export function trailerUrl(t: Trailer): string | null {
  const m = /https?:\/\/[^\s>)]+/.exec(t.value);
  if (m) return m[0];
  if (/^message-id$/i.test(t.key)) {
    const id = t.value.replace(/^<|>$/g, '').trim();
    if (id) return `https://lore.kernel.org/r/${encodeURIComponent(id)}`;
  }
  return null;
}

export function registerSeriesView(ctx: vscode.ExtensionContext, analyzer: Analyzer): void {
  const provider = new SeriesProvider(analyzer);
  const view = vscode.window.createTreeView('lockstep.series', { treeDataProvider: provider, showCollapseAll: true });
  const update = () => {
    const active = vscode.window.activeTextEditor?.document;
    if (active && analyzer.get(active.uri)) provider.current = active;
    else if (active && active.uri.scheme !== 'output') provider.current = undefined;
    const doc = provider.current;
    void vscode.commands.executeCommand('setContext', 'lockstep.hasAnalysis', !!(doc && !doc.isClosed && analyzer.get(doc.uri)));
    provider.refresh();
  };
  ctx.subscriptions.push(
    view,
    analyzer.onDidAnalyse(update),
    analyzer.onDidClear((uri) => {
      provider.forget(uri);
      update();
    }),
    vscode.window.onDidChangeActiveTextEditor(update),
  );
  update();
}
