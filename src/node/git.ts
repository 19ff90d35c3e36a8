/*
 * Git tree mode: the one module that runs git (the CLI and the extension host use it; the core does
 * no I/O). git runs through execFileSync/spawnSync with a fixed argument vector, never a shell; text
 * from a mail reaches git only as validated hex object ids or as `<commit>:<path>` lines on
 * `cat-file --batch`'s stdin, never as an option. Repository discovery stops at the given directory
 * (GIT_CEILING_DIRECTORIES), and inherited GIT_* variables are dropped.
 *
 * For each file of each message, the pre-image is, in order: the blob its `index` line names, the
 * file at a base (--base, or the series' base-commit: trailer), the work-tree file when it carries
 * every hunk's pre-image lines; otherwise the hunks alone, and a problem says why.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { FileDiff, ParsedInput, PreImage, Problem, TreeInfo } from '../core/types';
import { carriesImage } from '../core/c/index';

const HEX = /^[0-9a-f]{4,64}$/;
const MAX_BLOB = 8 * 1024 * 1024;

export interface GitRepo {
  /** The directory the user named (work tree top or bare repository). */
  dir: string;
  bare: boolean;
  shallow: boolean;
}

function env(dir: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) e[k] = v;
  e.GIT_CEILING_DIRECTORIES = dirname(dir);
  e.GIT_TERMINAL_PROMPT = '0';
  e.GIT_OPTIONAL_LOCKS = '0';
  e.LC_ALL = 'C';
  // A partial clone would fetch a missing blob from its remote: no network, ever.
  e.GIT_NO_LAZY_FETCH = '1';
  return e;
}

/** Options before every git command: the repository's own config cannot start a program or a transfer. */
const SAFE = ['-c', 'core.fsmonitor=false', '-c', 'protocol.allow=never', '-c', 'core.hooksPath=' + (process.platform === 'win32' ? 'NUL' : '/dev/null')];

function git(repo: GitRepo, args: string[], input?: string): Buffer {
  return execFileSync('git', [...SAFE, ...args], { cwd: repo.dir, env: env(repo.dir), input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The git repository at `dir` (its top level or a bare repository), or null when `dir` is not one. */
export function openRepo(dir: string): GitRepo | null {
  let top: string;
  try {
    top = realpathSync(resolve(dir));
    if (!statSync(top).isDirectory()) return null;
  } catch {
    return null;
  }
  const r = spawnSync('git', [...SAFE, 'rev-parse', '--is-bare-repository', '--is-shallow-repository', '--show-toplevel'], { cwd: top, env: env(top), encoding: 'utf8' });
  if (r.status !== 0 || typeof r.stdout !== 'string') return null;
  const [bare, shallow, toplevel] = r.stdout.split('\n');
  if (bare !== 'true' && (!toplevel || realpathSync(toplevel) !== top)) return null;
  return { dir: top, bare: bare === 'true', shallow: shallow === 'true' };
}

const resolved = new WeakMap<GitRepo, Map<string, string | null>>();

/** Resolves a user-named revision to a commit id, or null. Options are refused. */
export function resolveCommit(repo: GitRepo, rev: string): string | null {
  if (!rev || rev.startsWith('-') || /[\s\0]/.test(rev)) return null;
  // Each input of a run names the same --base or base-commit: ask git once per repository and name.
  let known = resolved.get(repo);
  if (!known) resolved.set(repo, (known = new Map()));
  if (known.has(rev)) return known.get(rev)!;
  let id: string | null = null;
  try {
    const out = git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]).toString('utf8').trim();
    id = /^[0-9a-f]{40,64}$/.test(out) ? out : null;
  } catch {
    id = null;
  }
  known.set(rev, id);
  return id;
}

type Got = { kind: 'ok'; id: string; text: string } | { kind: 'missing' | 'ambiguous' | 'not-blob' | 'too-big' | 'binary' };

/** One `git cat-file --batch` for all requests (object names, one a line). */
function catFile(repo: GitRepo, names: string[]): Got[] {
  if (names.length === 0) return [];
  const out = git(repo, ['cat-file', '--batch'], names.join('\n') + '\n');
  const res: Got[] = [];
  let pos = 0;
  for (let n = 0; n < names.length; n++) {
    const nl = out.indexOf(10, pos);
    if (nl < 0) {
      res.push({ kind: 'missing' });
      continue;
    }
    const header = out.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    const m = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
    if (!m) {
      res.push({ kind: / ambiguous$/.test(header) ? 'ambiguous' : 'missing' });
      continue;
    }
    const size = Number(m[3]);
    const body = out.subarray(pos, pos + size);
    pos += size + 1;
    if (m[2] !== 'blob') res.push({ kind: 'not-blob' });
    else if (size > MAX_BLOB) res.push({ kind: 'too-big' });
    else if (body.includes(0)) res.push({ kind: 'binary' });
    else res.push({ kind: 'ok', id: m[1], text: body.toString('utf8') });
  }
  return res;
}

const INDEX_RE = /^(?:>[ \t]?)*index ([0-9a-f]+)\.\.([0-9a-f]+)(?: [0-7]+)?\s*$/;

/** The `index <old>..<new>` ids of a file diff, read from the input text between its header and first hunk. */
export function indexLine(lines: string[], file: FileDiff): { old: string; new: string } | null {
  const end = file.hunks[0]?.inputLine ?? file.inputLine + 12;
  for (let l = file.inputLine; l < Math.min(end, lines.length + 1); l++) {
    const m = INDEX_RE.exec(lines[l - 1] ?? '');
    if (m && HEX.test(m[1]) && HEX.test(m[2])) return { old: m[1], new: m[2] };
  }
  return null;
}

const safePath = (p: string): boolean => !!p && !p.startsWith('/') && !/[\n\0]/.test(p) && !p.split('/').includes('..');
const isSource = (p: string | null): boolean => !!p && /\.(c|h)$/.test(p);

export interface Resolved {
  preImages: (PreImage | null)[][];
  problems: Problem[];
  tree: TreeInfo;
}

/**
 * The pre-image of every C file of every message of `parsed` (whose input text is `text`), looked up
 * in `repo`. `base` is a user-named revision (else the input's base-commit: trailer is used).
 */
export function resolvePreImages(repo: GitRepo, parsed: ParsedInput, text: string, opts: { base?: string; path?: string } = {}): Resolved {
  return resolveAllPreImages(repo, [{ parsed, text }], opts)[0];
}

type Want = { mi: number; fi: number; file: FileDiff; blob: string | null; path: string | null };

interface Plan {
  input: string;
  problems: Problem[];
  preImages: (PreImage | null)[][];
  wants: Want[];
  baseCommit: string | null;
  baseName?: string;
}

/** What one input needs from git (pass 1), without asking git for any blob yet. */
function plan(repo: GitRepo, parsed: ParsedInput, text: string, opts: { base?: string; path?: string }): Plan {
  const lines = text.split(/\r?\n/);
  const problems: Problem[] = [];
  const input = parsed.file;
  let baseCommit: string | null = null;
  let baseName: string | undefined;
  if (opts.base !== undefined) {
    baseCommit = resolveCommit(repo, opts.base);
    baseName = opts.base;
    if (!baseCommit) problems.push({ input, kind: 'git-base', message: `--base ${opts.base}: not a commit in ${opts.path ?? repo.dir}` });
  } else {
    const m = /^base-commit: ([0-9a-f]{7,64})\s*$/m.exec(text);
    if (m) {
      baseName = m[1];
      baseCommit = resolveCommit(repo, m[1]);
      if (!baseCommit) problems.push({ input, kind: 'git-base', message: `base-commit: ${m[1]} is not in the repository${repo.shallow ? ' (a shallow clone)' : ''}` });
    }
  }
  const wants: Want[] = [];
  const preImages: (PreImage | null)[][] = parsed.messages.map((m) => m.files.map(() => null));
  parsed.messages.forEach((msg, mi) => {
    if (msg.superseded) return;
    msg.files.forEach((file, fi) => {
      const p = file.oldPath ?? file.newPath;
      if (file.status === 'binary') {
        if (isSource(file.newPath) || isSource(file.oldPath)) problems.push({ input, line: file.inputLine, kind: 'git-binary', message: `${p}: a binary diff; no pre-image looked up, not analysed` });
        return;
      }
      if (!isSource(file.newPath) && !isSource(file.oldPath)) return;
      if (file.status === 'added') {
        preImages[mi][fi] = { text: null, source: 'hunks' };
        return;
      }
      if (file.status === 'renamed' || file.status === 'copied') {
        problems.push({ input, line: file.inputLine, kind: 'git-renamed', message: `${file.oldPath} → ${file.newPath}: ${file.status}; the pre-image is looked up under the old path` });
      }
      const idx = indexLine(lines, file);
      if (!idx) problems.push({ input, line: file.inputLine, kind: 'git-no-index', message: `${p}: the patch has no index line, so the exact pre-image blob is unknown` });
      wants.push({ mi, fi, file, blob: idx && !/^0+$/.test(idx.old) ? idx.old : null, path: p && safePath(p) ? p : null });
    });
  });
  return { input, problems, preImages, wants, baseCommit, baseName };
}

/**
 * resolvePreImages for several inputs at once: one `git cat-file --batch` for the blobs of all of
 * them and one for all base paths, so a 30-patch run starts git twice, not sixty times.
 */
export function resolveAllPreImages(repo: GitRepo, items: { parsed: ParsedInput; text: string }[], opts: { base?: string; path?: string } = {}): Resolved[] {
  const plans = items.map((it) => plan(repo, it.parsed, it.text, opts));
  const blobs = catFile(repo, plans.flatMap((pl) => pl.wants.filter((w) => w.blob).map((w) => w.blob!)));
  const baseGot = catFile(repo, plans.flatMap((pl) => (pl.baseCommit ? pl.wants.filter((w) => w.path).map((w) => `${pl.baseCommit}:${w.path}`) : [])));
  let bi = 0;
  let pi = 0;
  return plans.map((pl) => {
    const { input, problems, preImages, baseCommit, baseName } = pl;
    let matched = 0;
    for (const w of pl.wants) {
      const p = w.path ?? w.file.oldPath ?? '?';
      const line = w.file.inputLine;
      let got: PreImage | null = null;
      if (w.blob) {
        const b = blobs[bi++];
        if (b.kind === 'ok') {
          got = { text: b.text, source: 'blob' };
          matched++;
        } else {
          const why = b.kind === 'missing' ? `is not in the repository${repo.shallow ? ' (a shallow clone: fetch more history)' : ''}`
            : b.kind === 'ambiguous' ? 'is an ambiguous abbreviation' : b.kind === 'binary' ? 'is a binary file' : b.kind === 'too-big' ? 'is over 8 MB' : 'is not a blob';
          problems.push({ input, line, kind: 'git-blob', message: `${p}: blob ${w.blob} named by the index line ${why}` });
        }
      }
      if (w.path && baseCommit) {
        const b = baseGot[pi++];
        if (!got && b.kind === 'ok') got = { text: b.text, source: 'base' };
        else if (!got) problems.push({ input, line, kind: 'git-base', message: `${p}: not in the base ${baseName}` });
      }
      if (!got && w.path && !repo.bare) {
        const full = join(repo.dir, w.path);
        try {
          const st = full.startsWith(repo.dir + sep) ? statSync(full) : null;
          if (st && st.isFile() && st.size <= MAX_BLOB) {
            const t = readFileSync(full, 'utf8');
            if (carriesImage(t, w.file, 'pre')) got = { text: t, source: 'worktree' };
          }
        } catch {
          // no such file in the work tree
        }
      }
      if (!got) {
        problems.push({ input, line, kind: 'git-no-preimage', message: `${p}: no pre-image found (blob, base or work tree); analysed from the hunks alone` });
        got = { text: null, source: 'hunks' };
      }
      preImages[w.mi][w.fi] = got;
    }
    return {
      preImages,
      problems,
      tree: { path: opts.path ?? repo.dir, kind: 'git', blobsMatched: matched, files: pl.wants.length, ...(baseName ? { base: baseName } : {}) },
    };
  });
}

export interface RangeSeries {
  /** The range as one mbox (git format-patch --stdout), '' when it holds no commit to check. */
  text: string;
  commits: { commit: string; subject: string }[];
  problems: Problem[];
}

/** `--git A..B`: the non-merge commits of the range as a series mbox; merges are listed as problems. */
export function rangeSeries(repo: GitRepo, range: string): RangeSeries | { error: string } {
  if (!range || range.startsWith('-') || /[\s\0]/.test(range)) return { error: `--git ${range}: not a revision range` };
  let list: string;
  try {
    list = git(repo, ['rev-list', '--reverse', '--topo-order', '--parents', '--end-of-options', range]).toString('utf8');
  } catch {
    return { error: `--git ${range}: not a revision range in ${repo.dir}` };
  }
  const problems: Problem[] = [];
  const ids: string[] = [];
  for (const l of list.split('\n').filter(Boolean)) {
    const [c, ...parents] = l.split(' ');
    if (parents.length > 1) problems.push({ input: `git:${range}`, kind: 'git-merge', message: `${c.slice(0, 12)} is a merge commit: merges are not checked (no single parent to diff against)` });
    else if (parents.length === 0) problems.push({ input: `git:${range}`, kind: 'git-root', message: `${c.slice(0, 12)} is a root commit: not checked (no parent)` });
    else ids.push(c);
  }
  const commits: { commit: string; subject: string }[] = [];
  const parts: string[] = [];
  ids.forEach((c, i) => {
    const mail = git(repo, ['format-patch', '--stdout', '--no-signature', '--full-index', '--no-ext-diff', '--no-textconv', `--start-number=${i + 1}`,
      ...(ids.length > 1 ? ['--numbered'] : []), '-1', '--end-of-options', c]).toString('utf8');
    // format-patch numbers [PATCH n/1] for -1: rewrite the total so the mbox reads as a series.
    parts.push(ids.length > 1 ? mail.replace(/^(Subject: \[PATCH \d+)\/\d+\]/m, `$1/${ids.length}]`) : mail);
    const subj = /^Subject: (?:\[PATCH[^\]]*\] )?(.*)$/m.exec(mail);
    commits.push({ commit: c, subject: subj ? subj[1] : '' });
  });
  return { text: parts.join('\n'), commits, problems };
}

/** The last `n` commits of HEAD (newest first), for picking a range to check; [] when HEAD has none. */
export function recentCommits(repo: GitRepo, n: number): { commit: string; parents: number; subject: string }[] {
  let out: string;
  try {
    out = git(repo, ['log', `-n${Math.max(1, Math.min(500, Math.floor(n)))}`, '--format=%H%x09%P%x09%s', '--end-of-options', 'HEAD']).toString('utf8');
  } catch {
    return [];
  }
  return out.split('\n').filter(Boolean).map((l) => {
    const [commit, parents, ...subject] = l.split('\t');
    return { commit, parents: parents ? parents.split(' ').length : 0, subject: subject.join('\t') };
  });
}
