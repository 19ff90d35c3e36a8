/*
 * Kernel tree mode in the editor: when a workspace folder holds the files a patch touches, read them
 * (through VS Code's file system API, so it works in virtual workspaces too) and hand their text to
 * the core, which then analyses whole functions instead of hunks. Patch paths are untrusted: absolute
 * paths and ".." segments are ignored; at most MAX_FILES files of at most MAX_BYTES each are read.
 */
import * as vscode from 'vscode';

const MAX_FILES = 64;
const MAX_BYTES = 8 * 1024 * 1024;
const PATH_LINE = /^(?:>[ \t]?)*(?:diff --git a\/(\S+) b\/(\S+)|\+\+\+ b\/(\S+)|--- a\/(\S+))/gm;

/** The C source paths a patch names, in order of appearance. */
export function patchPaths(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(PATH_LINE)) {
    for (const p of m.slice(1)) {
      if (!p || !/\.(c|h)$/.test(p) || p.startsWith('/') || p.split('/').includes('..')) continue;
      out.add(p);
      if (out.size >= MAX_FILES) return [...out];
    }
  }
  return [...out];
}

/** The text of each of those files found in a workspace folder (first folder that has it wins). */
export async function readTreeFiles(text: string): Promise<Record<string, string>> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const out: Record<string, string> = {};
  if (folders.length === 0) return out;
  for (const p of patchPaths(text)) {
    for (const f of folders) {
      const uri = vscode.Uri.joinPath(f.uri, ...p.split('/'));
      try {
        const st = await vscode.workspace.fs.stat(uri);
        if (st.type !== vscode.FileType.File || st.size > MAX_BYTES) continue;
        out[p] = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
        break;
      } catch {
        // not in this folder
      }
    }
  }
  return out;
}
