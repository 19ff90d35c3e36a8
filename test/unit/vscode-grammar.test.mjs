// The patch-mail TextMate grammar, tokenized with vscode-textmate + vscode-oniguruma (the engine
// VS Code itself uses). The C grammar embedded in +/- lines is the one VS Code ships; it is read from
// the code-server install the e2e test caches, and those assertions are skipped when it is absent.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const cache = process.env.LOCKSTEP_CACHE || join(homedir(), '.cache', 'lockstep');
const cGrammarPath = join(cache, 'code-server-4.139.1', 'node_modules', 'code-server', 'lib', 'vscode', 'extensions', 'cpp', 'syntaxes', 'c.tmLanguage.json');
const haveC = existsSync(cGrammarPath);

let registryPromise;
function grammar() {
  registryPromise ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
    await oniguruma.loadWASM(wasm);
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
      loadGrammar: async (scope) => {
        if (scope === 'text.patch-mail') return vsctm.parseRawGrammar(readFileSync(join(repo, 'syntaxes', 'patch-mail.tmLanguage.json'), 'utf8'), 'patch-mail.tmLanguage.json');
        if (scope === 'source.c' && haveC) return vsctm.parseRawGrammar(readFileSync(cGrammarPath, 'utf8'), cGrammarPath);
        return null;
      },
    });
    return registry.loadGrammar('text.patch-mail');
  })();
  return registryPromise;
}

/** Tokenizes a text; returns, per line, a list of [tokenText, scopes]. */
async function tokenize(text) {
  const g = await grammar();
  let stack = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const r = g.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes]);
  });
}

function scopesOf(lineTokens, piece) {
  const t = lineTokens.find(([s]) => s.includes(piece));
  assert.ok(t, `no token containing ${JSON.stringify(piece)} in ${JSON.stringify(lineTokens.map(([s]) => s))}`);
  return t[1];
}

const sample = readFileSync(join(repo, 'test', 'fixtures', 'vscode', 'grammar-sample.patch'), 'utf8');

test('grammar: mail headers, subject tags, trailers and diffstat', async () => {
  const lines = await tokenize(sample);
  assert.ok(scopesOf(lines[0], 'From 1234').includes('comment.line.mbox-from.patch-mail'));
  assert.ok(scopesOf(lines[1], 'From').includes('keyword.other.header.patch-mail'));
  assert.ok(scopesOf(lines[3], '[PATCH v2 3/7]').includes('entity.name.tag.subject-tag.patch-mail'));
  const trailer = lines.findIndex((l) => l.some(([s]) => s === 'Reviewed-by'));
  assert.ok(trailer > 0);
  assert.ok(scopesOf(lines[trailer], 'Reviewed-by').includes('support.type.trailer.patch-mail'));
  const fixes = lines.findIndex((l) => l.some(([s]) => s === 'Fixes'));
  assert.ok(scopesOf(lines[fixes], '0123456789ab').includes('constant.numeric.commit.patch-mail'));
  const stat = lines.findIndex((l) => l.some(([s]) => s.includes('fs/demo/write.c')));
  assert.ok(scopesOf(lines[stat], '+++').includes('markup.inserted.diff'));
});

test('grammar: diff file headers, hunk headers, added/removed/context lines', async () => {
  const text = sample.split('\n');
  const lines = await tokenize(sample);
  const at = (re) => text.findIndex((l) => re.test(l));
  assert.ok(scopesOf(lines[at(/^diff --git/)], 'diff').includes('keyword.other.diff.patch-mail'));
  assert.ok(scopesOf(lines[at(/^@@ /)], '-12,7').includes('constant.numeric.range.from.patch-mail'));
  const add = lines[at(/^\+\s+if \(!demo_wb_begin/)];
  assert.ok(add[0][1].includes('markup.inserted.diff'));
  assert.ok(scopesOf(add, 'demo_wb_begin').includes('meta.embedded.line.c'));
  const del = lines[at(/^-\s+mutex_lock/)];
  assert.ok(del[0][1].includes('markup.deleted.diff'));
  const ctx = lines[at(/^ \s+return ret;/)];
  assert.ok(scopesOf(ctx, 'return').includes('meta.diff.hunk.patch-mail'));
  // The mail signature after the last hunk is not part of the hunk.
  const sig = lines[at(/^-- $/)];
  assert.ok(!sig[0][1].includes('markup.deleted.diff'), JSON.stringify(sig));
});

test('grammar: C is highlighted inside +/- lines and hunk headings', async (t) => {
  if (!haveC) return t.skip(`VS Code's C grammar not present (${cGrammarPath}); run the e2e install first`);
  const text = sample.split('\n');
  const lines = await tokenize(sample);
  const add = lines[text.findIndex((l) => /^\+\s+if \(!demo_wb_begin/.test(l))];
  assert.ok(scopesOf(add, 'if').some((s) => s.startsWith('keyword.control')), JSON.stringify(add));
  const ret = lines[text.findIndex((l) => /^ \s+return ret;/.test(l))];
  assert.ok(scopesOf(ret, 'return').some((s) => s.startsWith('keyword.control')), JSON.stringify(ret));
  const hunk = lines[text.findIndex((l) => /^@@ /.test(l))];
  assert.ok(scopesOf(hunk, 'int').some((s) => s.startsWith('storage.type')), JSON.stringify(hunk));
});

test('grammar: > quoted patches in replies', async () => {
  const text = sample.split('\n');
  const lines = await tokenize(sample);
  const qa = lines[text.findIndex((l) => /^> \+\s+demo_wb_end/.test(l))];
  assert.ok(qa[0][1].includes('punctuation.definition.quote.patch-mail'));
  assert.ok(scopesOf(qa, 'demo_wb_end').includes('markup.inserted.diff'));
  const qh = lines[text.findIndex((l) => /^> @@ /.test(l))];
  assert.ok(scopesOf(qh, '@@').includes('meta.diff.range.unified.patch-mail'));
});
