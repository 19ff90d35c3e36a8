// Palette commands that are not tied to one feature: analyse the current file, open the sample patch.
import * as vscode from 'vscode';
import { LANGUAGE_ID, type Analyzer } from './analyzer';

export function registerCommands(ctx: vscode.ExtensionContext, analyzer: Analyzer): void {
  ctx.subscriptions.push(
    vscode.commands.registerCommand('lockstep.analyseFile', async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc) return void vscode.window.showInformationMessage('Lockstep: open a patch mail first.');
      analyzer.force(doc);
      const a = await analyzer.analyseNow(doc);
      if (!a) return void vscode.window.showWarningMessage('Lockstep: analysis failed (see the Lockstep log).');
      const n = a.report.findings.filter((f) => f.status !== 'fixed').length;
      void vscode.window.setStatusBarMessage(`Lockstep: ${a.report.functions.length} function(s), ${n} finding(s)`, 5000);
    }),
    vscode.commands.registerCommand('lockstep.openSample', async () => {
      const uri = vscode.Uri.joinPath(ctx.extensionUri, 'examples', 'netfs-wb-forgotten-end.patch');
      const doc = await vscode.workspace.openTextDocument(uri);
      const shown = doc.languageId === LANGUAGE_ID ? doc : await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
      await vscode.window.showTextDocument(shown, { preview: false });
    }),
  );
}
