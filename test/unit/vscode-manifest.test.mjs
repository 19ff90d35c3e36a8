// The extension's manifest (package.json contributes/activation/capabilities), its .vscodeignore, the
// mail sniffing that gives mail-looking .txt files the patch-mail language, and the webview protocol
// guards. The TypeScript sources are bundled with esbuild (as the build does) and loaded for real.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const seeds = resolve(repo, '..', 'shared', 'seeds');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));

function load(entry) {
  const esbuild = require('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-unit-'));
  const outfile = join(dir, 'out.cjs');
  esbuild.buildSync({ entryPoints: [join(repo, entry)], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'silent' });
  const mod = require(outfile);
  rmSync(dir, { recursive: true, force: true });
  return mod;
}

const sniff = load('src/shared/mailSniff.ts');
const protocol = load('src/shared/protocol.ts');

test('manifest: patch-mail language, grammar, lazy activation, Restricted Mode', () => {
  const lang = pkg.contributes.languages.find((l) => l.id === 'patch-mail');
  assert.ok(lang, 'no patch-mail language');
  assert.deepEqual([...lang.extensions].sort(), ['.eml', '.mbox', '.mbx', '.patch']);
  assert.ok(!lang.extensions.includes('.diff'), 'must leave .diff to the built-in diff language');
  const grammar = pkg.contributes.grammars.find((g) => g.language === 'patch-mail');
  assert.equal(grammar.scopeName, 'text.patch-mail');
  assert.ok(existsSync(join(repo, grammar.path)));
  assert.equal(JSON.parse(readFileSync(join(repo, grammar.path), 'utf8')).scopeName, 'text.patch-mail');
  assert.ok(pkg.activationEvents.includes('onLanguage:patch-mail'));
  assert.ok(!pkg.activationEvents.includes('*') && !pkg.activationEvents.includes('onStartupFinished'), 'activation must stay lazy');
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.ok(pkg.capabilities.untrustedWorkspaces.description.length > 20);
  assert.equal(pkg.main, './dist/extension.js');
});

test('manifest: every command has a title and every menu entry names a declared command', () => {
  const declared = new Set(pkg.contributes.commands.map((c) => c.command));
  for (const c of pkg.contributes.commands) assert.ok(c.title && c.category === 'Lockstep', c.command);
  for (const entries of Object.values(pkg.contributes.menus ?? {}))
    for (const e of entries) assert.ok(declared.has(e.command), `menu names undeclared ${e.command}`);
  for (const id of ['lockstep.simulatePath', 'lockstep.analyseFile']) assert.ok(declared.has(id), id);
  for (const k of Object.keys(pkg.contributes.configuration.properties)) assert.match(k, /^lockstep\./);
  assert.equal(pkg.contributes.configuration.properties['lockstep.codeLens.enabled'].default, true);
});

test('manifest: the firstLine regex and looksLikePatchMail agree and leave plain diffs alone', () => {
  const lang = pkg.contributes.languages.find((l) => l.id === 'patch-mail');
  assert.equal(lang.firstLine, sniff.FIRST_LINE.source, 'package.json firstLine and src/shared/mailSniff.ts differ');
  const first = new RegExp(lang.firstLine);
  for (const yes of ['From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001', 'From: Ann <a@b.c>', '[PATCH v4 07/30] netfs: x', '[RFC PATCH] mm: y'])
    assert.ok(first.test(yes), yes);
  for (const no of ['diff --git a/x.c b/x.c', '--- a/x.c', 'Index: x.c', '[PATCHES] x', 'From here on'])
    assert.ok(!first.test(no), no);
  assert.equal(sniff.looksLikePatchMail('diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n'), false);
  assert.equal(sniff.looksLikePatchMail('Notes\n\nSigned-off-by: A <a@b.c>\n---\ndiff --git a/x.c b/x.c\n@@ -1 +1 @@\n'), true);
  assert.equal(sniff.looksLikePatchMail('Just some text\nwith no patch\n'), false);
  const example = readFileSync(join(repo, 'examples', 'netfs-wb-forgotten-end.patch'), 'utf8');
  assert.equal(sniff.looksLikePatchMail(example), true);
});

test('manifest: seeds saved as .txt are recognised as patch mail (and the pull-request page), the discussion without a patch is not', (t) => {
  if (!existsSync(seeds)) return t.skip('seeds not present: ../shared/seeds');
  const read = (n) => readFileSync(join(seeds, n), 'utf8');
  assert.equal(sniff.looksLikePatchMail(read('000_7262cf86413b0ec6.txt')), true, 'seed 000');
  assert.equal(sniff.looksLikePatchMail(read('001_968237756bcbff47.txt')), true, 'seed 001');
  assert.equal(sniff.looksLikePatchMail(read('003_e540b340e4ac5480.txt')), true, 'seed 003');
  assert.equal(sniff.looksLikePatchMail(read('004_0745a395bb926c5a.txt')), true, 'seed 004');
  assert.equal(sniff.looksLikePatchMail(read('002_8778b27c9414182d.txt')), false, 'seed 002');
});

test('manifest: .vscodeignore is an allowlist that ships the bundles, wasm, media and grammar', () => {
  const lines = readFileSync(join(repo, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
  assert.equal(lines.find((l) => l && !l.startsWith('#')), '**');
  for (const keep of ['!dist/extension.js', '!dist/core.js', '!dist/webview.js', '!dist/tree-sitter.wasm', '!dist/tree-sitter-c.wasm', '!media/**', '!syntaxes/**'])
    assert.ok(lines.includes(keep), keep);
});

test('protocol: message guards accept the typed messages and reject malformed ones', () => {
  assert.equal(protocol.isWebviewToHost({ type: 'ready' }), true);
  assert.equal(protocol.isWebviewToHost({ type: 'selected', step: 2 }), true);
  assert.equal(protocol.isWebviewToHost({ type: 'reveal', step: 1, documentUri: 'file:///x', inputLine: 3, sourceLine: 9, file: 'a.c' }), true);
  assert.equal(protocol.isWebviewToHost({ type: 'selected' }), false);
  assert.equal(protocol.isWebviewToHost({ type: 'eval', code: '1' }), false);
  assert.equal(protocol.isWebviewToHost(null), false);
  const trace = { title: 't', tasks: ['writer'], steps: [], verdict: 'ok', summary: '' };
  assert.equal(protocol.isHostToWebview({ type: 'show', model: { trace } }), true);
  assert.equal(protocol.isHostToWebview({ type: 'show', model: {} }), false);
  assert.equal(protocol.isHostToWebview({ type: 'select', index: 0 }), true);
  assert.equal(protocol.isHostToWebview('show'), false);
});

test('every check the core registers has its documentation page (the diagnostics\' code link)', () => {
  const core = require('../../dist/core.js');
  const ids = core.CHECKS.map((c) => c.id);
  assert.ok(ids.includes('wb-pairing'));
  for (const id of ids) {
    const file = join(repo, 'media', 'checks', `${id}.md`);
    assert.ok(existsSync(file), `media/checks/${id}.md is missing`);
    assert.match(readFileSync(file, 'utf8'), new RegExp(`^# ${id}: `), `media/checks/${id}.md has no title`);
  }
});
