// The "Lockstep" log output channel (one per activation).
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function registerLog(ctx: vscode.ExtensionContext): vscode.LogOutputChannel {
  channel = vscode.window.createOutputChannel('Lockstep', { log: true });
  ctx.subscriptions.push(channel);
  ctx.subscriptions.push(vscode.commands.registerCommand('lockstep.showLog', () => channel?.show(true)));
  return channel;
}

export function log(): vscode.LogOutputChannel {
  if (!channel) throw new Error('Lockstep log used before registerLog');
  return channel;
}
