// Property tests: thousands of mutated inputs (truncations, shuffled/dropped/duplicated lines,
// lost line breaks, wrong encodings, binary noise, quote prefixes) never throw out of the parser,
// finish in bounded time, and keep the line map's invariants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');
const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '..', 'fixtures', 'mail', 'inputs');
const seeds = path.resolve(here, '..', '..', '..', 'shared', 'seeds');
const TIME_LIMIT_MS = 3000;

const bases = fs.readdirSync(fixtures).filter((f) => !f.endsWith('.json')).sort()
  .map((f) => fs.readFileSync(path.join(fixtures, f), 'utf8'));
if (fs.existsSync(seeds)) for (const f of fs.readdirSync(seeds).sort()) bases.push(fs.readFileSync(path.join(seeds, f), 'utf8'));

function check(text) {
  const t0 = performance.now();
  const p = core.parseInput(text, 'mutant.txt');
  const ms = performance.now() - t0;
  assert.ok(ms < TIME_LIMIT_MS, `parse took ${ms.toFixed(0)} ms`);
  assert.ok(!p.problems.some((x) => x.kind === 'internal-error'), JSON.stringify(p.problems.find((x) => x.kind === 'internal-error')));
  const nLines = Math.max(1, text.split(/\r\n|\r|\n/).length);
  for (const m of p.messages) for (const f of m.files) for (const h of f.hunks) {
    assert.ok(h.inputLine >= 1 && h.inputLine <= nLines);
    let o = h.oldStart, n = h.newStart, olds = 0, news = 0;
    for (const l of h.lines) {
      assert.ok(l.inputLine >= h.inputLine && l.inputLine <= nLines, 'diff line outside input');
      if (l.oldLine !== null) { assert.equal(l.oldLine, o++); olds++; }
      if (l.newLine !== null) { assert.equal(l.newLine, n++); news++; }
    }
    assert.ok(olds <= h.oldLines && news <= h.newLines, 'more lines than the header declares');
  }
  const json = JSON.parse(JSON.stringify(core.toParseJson(p)));
  if (typeof core.validateParseJson === 'function') assert.deepEqual(core.validateParseJson(json), []);
  return p;
}

const lines = (s) => s.split('\n');
const mutations = {
  truncate: (s, r) => s.slice(0, Math.floor(r * s.length)),
  dropLines: (s, r) => lines(s).filter((_, i) => ((i * 7919 + Math.floor(r * 1000)) % 5) !== 0).join('\n'),
  shuffleBlock: (s, r) => {
    const L = lines(s);
    const a = Math.floor(r * L.length);
    const blk = L.splice(a, Math.min(6, L.length - a));
    L.splice(Math.floor((1 - r) * L.length), 0, ...blk.reverse());
    return L.join('\n');
  },
  duplicate: (s, r) => { const L = lines(s); const a = Math.floor(r * L.length); L.splice(a, 0, ...L.slice(a, a + 5)); return L.join('\n'); },
  scrape: (s, r) => (r < 0.5 ? s.replace(/\s+/g, ' ') : s.slice(0, Math.floor(r * s.length)).replace(/\n/g, ' ')),
  latin1: (s) => Buffer.from(s, 'utf8').toString('latin1'),
  noise: (s, r) => { const a = Math.floor(r * s.length); let z = ''; for (let i = 0; i < 64; i++) z += String.fromCharCode((i * 131 + a) % 256); return s.slice(0, a) + z + s.slice(a); },
  quote: (s, r) => lines(s).map((l, i) => (i > r * 10 ? '> ' + l : l)).join('\n'),
  crlf: (s) => s.replace(/\n/g, '\r\n'),
  numbers: (s, r) => s.replace(/@@ -(\d+),(\d+)/g, (_, a, b) => `@@ -${a},${Number(b) + Math.floor(r * 3) - 1}`),
};

test('mutated inputs never throw, stay bounded, keep line-map invariants', () => {
  const names = Object.keys(mutations);
  let runs = 0;
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: bases.length - 1 }),
      fc.array(fc.tuple(fc.constantFrom(...names), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 3 }),
      (bi, muts) => {
        let s = bases[bi];
        for (const [name, r] of muts) s = mutations[name](s, r);
        check(s);
        runs++;
      },
    ),
    { numRuns: 2500, seed: Number(process.env.LOCKSTEP_PROP_SEED ?? 20260620) },
  );
  assert.equal(runs, 2500);
});

test('random strings and binary noise never throw', () => {
  fc.assert(fc.property(fc.string({ maxLength: 2000 }), (s) => { check(s); }), { numRuns: 1000, seed: 7 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 4000 }), (b) => { check(Buffer.from(b).toString('latin1')); }), { numRuns: 500, seed: 11 });
});

test('a long line without breaks stays bounded', () => {
  const big = bases.join(' ').replace(/\n/g, ' ');
  const p = check(big.repeat(3));
  assert.ok(Array.isArray(p.messages));
});
