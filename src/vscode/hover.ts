// Hovers on kernel calls the simulator knows: what it does with the call, from the API table (data).
import * as vscode from 'vscode';
import { builtinApiTable } from '../core/sim/index';
import { entryWords } from '../shared/apiWords';
import { LANGUAGE_ID } from './analyzer';

export function registerHover(ctx: vscode.ExtensionContext): void {
  const provider: vscode.HoverProvider = {
    provideHover(doc, pos) {
      const range = doc.getWordRangeAtPosition(pos, /[A-Za-z_][A-Za-z0-9_]*/);
      if (!range) return undefined;
      const rest = doc.lineAt(pos.line).text.slice(range.end.character);
      if (!/^\s*\(/.test(rest)) return undefined;
      const name = doc.getText(range);
      const table = builtinApiTable();
      if (!Object.prototype.hasOwnProperty.call(table.byName, name)) return undefined;
      const md = new vscode.MarkdownString();
      md.appendMarkdown(`**Lockstep** models \`${name}\`:\n\n`);
      for (const e of table.byName[name]) md.appendMarkdown(`${entryWords(e).join('\n\n')}\n\n`);
      return new vscode.Hover(md, range);
    },
  };
  ctx.subscriptions.push(vscode.languages.registerHoverProvider([{ language: LANGUAGE_ID }, { language: 'c' }], provider));
}
