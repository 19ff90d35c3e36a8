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

test('robust static: core, cli and shared never eval, spawn, use the network or write files', () => {
  const files = ['src/core', 'src/cli', 'src/shared'].flatMap((d) => {
    const abs = path.join(repoRoot, d);
    return fs.existsSync(abs) ? sources(abs) : [];
  });
  assert.ok(files.length > 10, `${files.length} source files`);
  const bad = [];
  for (const f of files) {
    const text = stripComments(fs.readFileSync(f, 'utf8'));
    for (const [re, what] of FORBIDDEN) {
      const m = re.exec(text);
      if (m) bad.push(`${path.relative(repoRoot, f)}: ${what} (${m[0]})`);
    }
  }
  assert.deepEqual(bad, []);
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
