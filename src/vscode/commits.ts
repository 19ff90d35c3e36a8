/*
 * "Lockstep: Check commits…": the author's pre-send check in the editor. Picks a range of the kernel
 * tree's git history (a commit and everything after it up to HEAD, or a range typed in), turns it into
 * a series with git format-patch (src/node/git.ts) and opens it as a patch mail, which is then analysed
 * against the same repository: each commit against its parent's exact blobs.
 */
import * as vscode from 'vscode';
import { rangeSeries, recentCommits } from '../node/git';
import { LANGUAGE_ID } from './analyzer';
import { readConfig } from './config';
import { log } from './log';
import { kernelTreeRepo } from './treeFiles';

export const CHECK_COMMITS_COMMAND = 'lockstep.checkCommits';

interface RangeItem extends vscode.QuickPickItem {
  range?: string;
  ask?: boolean;
}

const validRange = (s: string): string | null => (!s.trim() ? 'a range such as HEAD~3..HEAD or origin/master..' : s.trim().startsWith('-') || /[\s\0]/.test(s.trim()) ? 'one revision range, no spaces, not starting with -' : null);

export function registerCommits(ctx: vscode.ExtensionContext): void {
  ctx.subscriptions.push(
    vscode.commands.registerCommand(CHECK_COMMITS_COMMAND, async (given?: unknown) => {
      const t = await kernelTreeRepo(readConfig().kernelTree);
      if (!t) {
        return void vscode.window.showWarningMessage(
          vscode.workspace.isTrusted
            ? 'Lockstep: Check commits needs a kernel git repository: open one as a workspace folder, or set lockstep.kernelTree.path.'
            : 'Lockstep: Check commits runs git, which Lockstep does not do in Restricted Mode. Trust the workspace first.',
        );
      }
      let range = typeof given === 'string' ? given : undefined;
      if (range === undefined) {
        const commits = recentCommits(t.repo, 50);
        const items: RangeItem[] = [
          { label: '$(edit) Enter a range…', description: 'e.g. origin/master..HEAD', ask: true },
          ...commits.map((c, i): RangeItem => ({
            label: `$(git-commit) ${c.commit.slice(0, 12)} ${c.subject}`,
            description: i === 0 ? 'the last commit' : `and the ${i} after it`,
            detail: c.parents > 1 ? 'a merge: merges are not checked' : undefined,
            range: c.parents === 0 ? c.commit : `${c.commit}~1..HEAD`,
          })),
        ];
        const pick = await vscode.window.showQuickPick(items, { title: `Lockstep: check commits of ${t.root.uri.fsPath}`, placeHolder: 'Check from which commit up to HEAD?', matchOnDescription: true });
        if (!pick) return;
        range = pick.ask
          ? await vscode.window.showInputBox({ title: 'Lockstep: check commits', prompt: 'A git revision range', value: 'HEAD~3..HEAD', validateInput: validRange })
          : pick.range;
        if (!range) return;
      }
      const bad = validRange(range);
      if (bad) return void vscode.window.showErrorMessage(`Lockstep: ${bad}`);
      const r = rangeSeries(t.repo, range.trim());
      if ('error' in r) return void vscode.window.showErrorMessage(`Lockstep: ${r.error}`);
      for (const p of r.problems) log().info(`check commits ${range}: ${p.message}`);
      if (!r.text) return void vscode.window.showInformationMessage(`Lockstep: ${range} has no commit to check${r.problems.length ? ` (${r.problems.map((p) => p.message).join('; ')})` : ''}.`);
      const doc = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: r.text });
      await vscode.window.showTextDocument(doc, { preview: false });
      if (r.problems.length) void vscode.window.showWarningMessage(`Lockstep: ${r.problems.length} commit(s) of ${range} not checked: ${r.problems.map((p) => p.message).join('; ')}`);
      log().info(`check commits ${range}: ${r.commits.length} commit(s) opened as a series`);
    }),
  );
}
