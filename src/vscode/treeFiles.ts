/*
 * Kernel tree mode in the editor: which kernel tree a patch is analysed against, and what the core
 * gets from it.
 *   - The tree is the `lockstep.kernelTree.path` setting, else the first workspace folder that is a kernel
 *     tree (it has MAINTAINERS and Kbuild at its top), else any workspace folder that holds the files
 *     the patch touches (the older, looser behaviour).
 *   - A tree that is a git repository (and a trusted workspace: git is never run in Restricted Mode)
 *     gives the exact pre-image blobs the patch's index lines name (src/node/git.ts); otherwise the
 *     files are read through VS Code's file system API.
 * Patch paths are untrusted: absolute paths and ".." segments are ignored; at most MAX_FILES files of
 * at most MAX_BYTES each are read.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { parseInput } from '../core/mail/index';
import type { CheckOptions, FileDiff, Problem, TreeInfo } from '../core/types';
import { openRepo, resolvePreImages, type GitRepo } from '../node/git';

const MAX_FILES = 64;
const MAX_BYTES = 8 * 1024 * 1024;
const PATH_LINE = /^(?:>[ \t]?)*(?:diff --git a\/(\S+) b\/(\S+)|\+\+\+ b\/(\S+)|--- a\/(\S+))/gm;

/** A patch path that stays inside the tree: not absolute, no ".." segment. */
function insideTree(p: string): boolean {
  return !p.startsWith('/') && !p.split('/').includes('..');
}

/** The C source paths a patch names, in order of appearance. */
export function patchPaths(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(PATH_LINE)) {
    for (const p of m.slice(1)) {
      if (!p || !/\.(c|h)$/.test(p) || !insideTree(p)) continue;
      out.add(p);
      if (out.size >= MAX_FILES) return [...out];
    }
  }
  return [...out];
}

async function isFile(uri: vscode.Uri): Promise<boolean> {
  try {
    return (await vscode.workspace.fs.stat(uri)).type === vscode.FileType.File;
  } catch {
    return false;
  }
}

/** A kernel tree: MAINTAINERS and Kbuild at its top (what scripts/ and b4 look for, too). */
export async function isKernelTree(uri: vscode.Uri): Promise<boolean> {
  const [a, b] = await Promise.all([isFile(vscode.Uri.joinPath(uri, 'MAINTAINERS')), isFile(vscode.Uri.joinPath(uri, 'Kbuild'))]);
  return a && b;
}

export interface TreeRoot {
  uri: vscode.Uri;
  /** Where it came from: the setting, a workspace folder found to be a kernel tree. */
  from: 'setting' | 'kernel-folder';
}

/** The kernel tree named by `lockstep.kernelTree.path` (relative to the first workspace folder), else a kernel workspace folder. */
export async function kernelTreeRoot(setting: string): Promise<TreeRoot | null> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const s = setting.trim();
  if (s) {
    const expanded = s.replace(/^\$\{workspaceFolder\}/, folders[0]?.uri.fsPath ?? '');
    const uri = path.isAbsolute(expanded) ? vscode.Uri.file(expanded) : folders[0] ? vscode.Uri.joinPath(folders[0].uri, expanded) : null;
    return uri ? { uri, from: 'setting' } : null;
  }
  for (const f of folders) if (await isKernelTree(f.uri)) return { uri: f.uri, from: 'kernel-folder' };
  return null;
}

const repos = new Map<string, { repo: GitRepo | null; at: number }>();

/** The git repository at a tree root (cached for a few seconds: one rev-parse per burst of edits). */
function gitAt(root: vscode.Uri): GitRepo | null {
  if (root.scheme !== 'file' || !vscode.workspace.isTrusted) return null;
  const key = root.fsPath;
  const hit = repos.get(key);
  if (hit && Date.now() - hit.at < 10_000) return hit.repo;
  const repo = openRepo(key);
  repos.set(key, { repo, at: Date.now() });
  return repo;
}

/** The git repository of the kernel tree, when it is one and the workspace is trusted. */
export async function kernelTreeRepo(setting: string): Promise<{ root: TreeRoot; repo: GitRepo } | null> {
  const root = await kernelTreeRoot(setting);
  const repo = root ? gitAt(root.uri) : null;
  return root && repo ? { root, repo } : null;
}

/** What the editor knows about the tree a patch was analysed against (for the status bar and the C-file diagnostics). */
export interface TreeContext {
  info: TreeInfo;
  /** Where each file the tree had lives (patch path → file URI string). */
  fileUris: Record<string, string>;
  /** The patch's file diffs by message, as parsed for the analysis (the indices of `images`). */
  diffs: FileDiff[][];
  /** The text the core analysed each file of each message against: the exact pre-image (git) or the tree's copy; null when none. */
  images: (string | null)[][];
  /** Why git was not used, when the tree is a repository but git was not run. */
  note?: string;
}

export interface GatheredTree {
  opts: Pick<CheckOptions, 'treeFiles' | 'preImages'>;
  context: TreeContext | null;
  problems: Problem[];
}

/** The files (or exact pre-images) of the kernel tree for the patch `text`; nothing when no tree holds them. */
export async function gatherTree(text: string, name: string, setting: string): Promise<GatheredTree> {
  const root = await kernelTreeRoot(setting);
  if (root) {
    const repo = gitAt(root.uri);
    if (repo) {
      const parsed = parseInput(text, name);
      const g = resolvePreImages(repo, parsed, text, { path: root.uri.fsPath });
      const fileUris: Record<string, string> = {};
      const images = parsed.messages.map((m, mi) => m.files.map((f, fi) => {
        const p = f.newPath ?? f.oldPath;
        if (p && !repo.bare && insideTree(p)) fileUris[p] = vscode.Uri.joinPath(root.uri, ...p.split('/')).toString();
        return g.preImages[mi]?.[fi]?.text ?? null;
      }));
      return { opts: { preImages: g.preImages }, context: { info: g.tree, fileUris, diffs: parsed.messages.map((m) => m.files), images }, problems: g.problems };
    }
  }
  const roots = root ? [root.uri] : (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri);
  const { files, uris } = await readTreeFiles(text, roots);
  const n = Object.keys(files).length;
  if (n === 0) return { opts: {}, context: null, problems: [] };
  const parsed = parseInput(text, name);
  const images = parsed.messages.map((m) => m.files.map((f) => {
    const p = f.oldPath ?? f.newPath;
    return p && Object.prototype.hasOwnProperty.call(files, p) ? files[p] : null;
  }));
  const where = root?.uri ?? vscode.Uri.parse(uris[Object.keys(uris)[0]]);
  const note = root && root.uri.scheme === 'file' && !vscode.workspace.isTrusted ? 'Restricted Mode: git is not run, so the index blobs were not looked up' : undefined;
  return {
    opts: { treeFiles: files },
    context: { info: { path: root ? root.uri.fsPath : where.fsPath, kind: 'directory', blobsMatched: 0, files: n }, fileUris: uris, diffs: parsed.messages.map((m) => m.files), images, ...(note ? { note } : {}) },
    problems: [],
  };
}

/** The text of each of those files found under one of `roots` (first root that has it wins). */
export async function readTreeFiles(text: string, roots: readonly vscode.Uri[]): Promise<{ files: Record<string, string>; uris: Record<string, string> }> {
  const files: Record<string, string> = {};
  const uris: Record<string, string> = {};
  if (roots.length === 0) return { files, uris };
  for (const p of patchPaths(text)) {
    for (const r of roots) {
      const uri = vscode.Uri.joinPath(r, ...p.split('/'));
      const t = await readTextFile(uri);
      if (t === null) continue; // not under this root
      files[p] = t;
      uris[p] = uri.toString();
      break;
    }
  }
  return { files, uris };
}

/** A tree file's text: a regular file of at most MAX_BYTES, else null. */
export async function readTextFile(uri: vscode.Uri): Promise<string | null> {
  try {
    const st = await vscode.workspace.fs.stat(uri);
    if (st.type !== vscode.FileType.File || st.size > MAX_BYTES) return null;
    return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return null;
  }
}
