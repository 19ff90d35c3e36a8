// Patch mail is untrusted: the core and the CLI never evaluate code, spawn processes, open the
// network or write files. A grep over their sources (comments stripped) keeps it so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

function sources(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.ts$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

const stripComments = (s) => s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

const FORBIDDEN = [
  [/\beval\s*\(/, 'eval'],
  [/\bnew\s+Function\s*\(/, 'new Function'],
  [/['"](node:)?child_process['"]/, 'child_process'],
  [/['"](node:)?(http|https|net|dgram|tls|dns|http2)['"]/, 'a network module'],
  [/\bfetch\s*\(|\bXMLHttpRequest\b|\bWebSocket\b/, 'network access'],
  [/\b(writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|unlink|unlinkSync|rmSync|rmdirSync|renameSync|mkdirSync|copyFileSync|chmodSync)\b/, 'a file write'],
  [/\b(vm\.runIn\w+|require\(\s*[^'"\s])/, 'dynamic code loading'],
];

// The one exception: src/node/git.ts runs git (fixed argument vectors, no shell) for git tree mode.
const MAY_SPAWN = new Set([path.join('src', 'node', 'git.ts')]);

test('robust static: core, cli, node and shared never eval, spawn (but src/node/git.ts), use the network or write files', () => {
  const files = ['src/core', 'src/cli', 'src/shared', 'src/node'].flatMap((d) => {
    const abs = path.join(repoRoot, d);
    return fs.existsSync(abs) ? sources(abs) : [];
  });
  assert.ok(files.length > 10, `${files.length} source files`);
  const bad = [];
  for (const f of files) {
    const text = stripComments(fs.readFileSync(f, 'utf8'));
    for (const [re, what] of FORBIDDEN) {
      if (what === 'child_process' && MAY_SPAWN.has(path.relative(repoRoot, f))) continue;
      const m = re.exec(text);
      if (m) bad.push(`${path.relative(repoRoot, f)}: ${what} (${m[0]})`);
    }
  }
  assert.deepEqual(bad, []);
});

test('robust static: git runs without a shell, and only from src/node/git.ts', () => {
  const text = stripComments(fs.readFileSync(path.join(repoRoot, 'src', 'node', 'git.ts'), 'utf8'));
  assert.doesNotMatch(text, /\bshell\s*:/);
  assert.doesNotMatch(text, /(?<!\.)\bexec\s*\(|\bexecSync\b|\bspawn\s*\(/);
  const spawners = [];
  for (const d of ['src/vscode', 'src/cli', 'src/core', 'src/shared', 'src/node']) {
    for (const f of sources(path.join(repoRoot, d))) {
      if (/['"](node:)?child_process['"]/.test(stripComments(fs.readFileSync(f, 'utf8')))) spawners.push(path.relative(repoRoot, f));
    }
  }
  assert.deepEqual(spawners, [path.join('src', 'node', 'git.ts')]);
});

test('robust static: nothing that orders output depends on the machine locale (K12)', () => {
  const files = ['src/core', 'src/cli', 'src/shared'].flatMap((d) => {
    const abs = path.join(repoRoot, d);
    return fs.existsSync(abs) ? sources(abs) : [];
  });
  const bad = [];
  for (const f of files) {
    const text = stripComments(fs.readFileSync(f, 'utf8'));
    const m = /\b(localeCompare|toLocaleString|toLocaleLowerCase|toLocaleUpperCase|Intl\.Collator)\b/.exec(text);
    if (m) bad.push(`${path.relative(repoRoot, f)}: ${m[0]}`);
  }
  assert.deepEqual(bad, [], 'use plain < / > comparisons (code-unit order) for anything that reaches the output');
});
