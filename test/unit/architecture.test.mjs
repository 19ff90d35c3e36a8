// Invariants from ARCHITECTURE.md that a grep can hold: the core never imports vscode, DOM stays in
// the webview, and only core/c/treesitter.ts imports web-tree-sitter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function tsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const importRe = (mod) => new RegExp(`(from\\s+|require\\(|import\\()\\s*['"]${mod}['"]`);

test('the core, the CLI and the shared protocol never import vscode', () => {
  const offenders = ['src/core', 'src/cli', 'src/shared']
    .flatMap((d) => tsFiles(join(root, d)))
    .filter((f) => importRe('vscode').test(readFileSync(f, 'utf8')))
    .map((f) => relative(root, f));
  assert.deepEqual(offenders, []);
});

test('only src/core/c/treesitter.ts imports web-tree-sitter', () => {
  const offenders = tsFiles(join(root, 'src'))
    .filter((f) => importRe('web-tree-sitter').test(readFileSync(f, 'utf8')))
    .map((f) => relative(root, f))
    .filter((f) => f !== join('src', 'core', 'c', 'treesitter.ts'));
  assert.deepEqual(offenders, []);
});

test('no DOM globals outside the webview', () => {
  const offenders = ['src/core', 'src/cli', 'src/shared', 'src/vscode']
    .flatMap((d) => tsFiles(join(root, d)))
    .filter((f) => /(?<![.\w$])(document|window)\.\w+/.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
    .map((f) => relative(root, f));
  assert.deepEqual(offenders, []);
});

test('the architecture test itself can fail: a planted vscode import is caught', () => {
  assert.ok(importRe('vscode').test("import * as vscode from 'vscode';"));
  assert.ok(importRe('vscode').test("const v = require('vscode')"));
  assert.ok(!importRe('vscode').test("import { x } from './vscode-like';"));
});

test('core version matches package.json', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const v = readFileSync(join(root, 'src', 'core', 'version.ts'), 'utf8').match(/VERSION = '([^']+)'/)[1];
  assert.equal(v, pkg.version);
});
