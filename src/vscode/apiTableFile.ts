/*
 * API table extensions from the workspace: `.vscode/lockstep-api.json` ({ "functions": [...] }) in a
 * trusted workspace, merged before the `lockstep.apiTable` setting's entries. In Restricted Mode the
 * workspace file is not read (its entries would change what the analysis believes).
 */
import * as vscode from 'vscode';

export const API_TABLE_FILE = '.vscode/lockstep-api.json';

function entries(x: unknown): unknown[] {
  if (Array.isArray(x)) return x;
  if (x && typeof x === 'object' && Array.isArray((x as { functions?: unknown }).functions)) return (x as { functions: unknown[] }).functions;
  return [];
}

/** The merged extension, or undefined when there is none. A file that is not JSON becomes an entry the core reports. */
export async function workspaceApiTable(fromSettings: unknown): Promise<unknown> {
  const list: unknown[] = [];
  if (vscode.workspace.isTrusted) {
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(f.uri, ...API_TABLE_FILE.split('/'));
      let text: string;
      try {
        text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        continue;
      }
      try {
        list.push(...entries(JSON.parse(text)));
      } catch (e) {
        list.push({ name: `${API_TABLE_FILE} (not JSON: ${(e as Error).message})` });
      }
    }
  }
  list.push(...entries(fromSettings));
  return list.length ? { functions: list } : undefined;
}
