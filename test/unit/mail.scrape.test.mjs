// Differential test of the rebuild of mail whose line breaks were lost: take inputs whose true
// parse is known (fixtures, seed 000), scrape them to one line (plain, and quoted-printable first
// as seed 001 was), parse again, and require that every hunk the parser rebuilds agrees with the
// true parse line for line (kind, old line, new line, text up to whitespace). Hunks it cannot prove
// must be reported, never guessed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');
const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '..', 'fixtures', 'mail', 'inputs');
const seeds = path.resolve(here, '..', '..', '..', 'shared', 'seeds');

const norm = (s) => s.replace(/\s+/g, '');

/** Quoted-printable body encoding (soft breaks at 76, =XX for '=', non-ASCII, trailing blanks). */
function qpEncode(text) {
  const out = [];
  for (const line of text.split('\n')) {
    let enc = '';
    for (const b of Buffer.from(line, 'utf8')) {
      enc += b === 61 || b > 126 || (b < 32 && b !== 9) ? '=' + b.toString(16).toUpperCase().padStart(2, '0') : String.fromCharCode(b);
    }
    enc = enc.replace(/[ \t]$/, (c) => (c === ' ' ? '=20' : '=09'));
    while (enc.length > 76) {
      let cut = 75;
      while (cut > 0 && /=[0-9A-F]?$/.test(enc.slice(0, cut))) cut--;
      out.push(enc.slice(0, cut) + '=');
      enc = enc.slice(cut);
    }
    out.push(enc);
  }
  return out.join('\n');
}

/** A mail whose headers say quoted-printable, with the body encoded. */
function asQpMail(text) {
  const i = text.search(/^diff --git /m);
  const d = i < 0 ? text : text.slice(i);
  return 'From: Ada Example <ada@example.org>\nSubject: [PATCH 1/1] demofs: scraped\nDate: Mon, 9 Mar 2026 10:00:00 +0000\nMIME-Version: 1.0\nContent-Transfer-Encoding: quoted-printable\nContent-Type: text/plain; charset="utf-8"\n\nBody text.\n\nSigned-off-by: Ada Example <ada@example.org>\n---\n' + qpEncode(d);
}

const scrape = (s) => s.replace(/\s+/g, ' ').trim();

function compare(name, truth, scraped) {
  const ha = truth.messages.flatMap((m) => m.files.flatMap((f) => f.hunks));
  const hb = scraped.messages.flatMap((m) => m.files.flatMap((f) => f.hunks));
  assert.equal(hb.length, ha.length, `${name}: hunk count`);
  let rebuilt = 0;
  for (let i = 0; i < ha.length; i++) {
    const a = ha[i];
    const b = hb[i];
    assert.deepEqual([b.oldStart, b.oldLines, b.newStart, b.newLines], [a.oldStart, a.oldLines, a.newStart, a.newLines]);
    if (!b.lines.length) {
      assert.ok(scraped.problems.some((p) => p.kind === 'hunk-unrebuilt' && p.message.includes(`-${a.oldStart},${a.oldLines} +${a.newStart},${a.newLines}`) || p.kind === 'hunk-unrebuilt' && p.message.includes(`-${a.oldStart} `)), `${name}: unrebuilt hunk ${a.oldStart} not reported`);
      continue;
    }
    rebuilt++;
    const fa = a.lines.map((l) => `${l.kind} ${l.oldLine} ${l.newLine} ${norm(l.text)}`);
    const fb = b.lines.map((l) => `${l.kind} ${l.oldLine} ${l.newLine} ${norm(l.text)}`);
    assert.deepEqual(fb, fa, `${name}: hunk @@ -${a.oldStart} rebuilt wrongly`);
  }
  return { rebuilt, total: ha.length };
}

const inputs = [];
for (const f of fs.readdirSync(fixtures).filter((f) => /\.(patch|diff|mbox|txt)$/.test(f)).sort()) inputs.push([f, fs.readFileSync(path.join(fixtures, f), 'utf8')]);
const seed000 = fs.existsSync(seeds) ? fs.readdirSync(seeds).find((f) => f.startsWith('000_')) : null;
if (seed000) inputs.push([seed000, fs.readFileSync(path.join(seeds, seed000), 'utf8')]);

test('scraped without quoted-printable: every rebuilt hunk is right, the others are reported', () => {
  for (const [name, text] of inputs) {
    const truth = core.parseInput(text, name);
    const sc = core.parseInput(scrape(text), name);
    if (!truth.messages.some((m) => m.files.length)) continue;
    compare(name, truth, sc);
  }
});

test('scraped after quoted-printable (blank lines survive as =20): rebuilt hunks are right, most are rebuilt', (t) => {
  let rebuilt = 0;
  let total = 0;
  for (const [name, text] of inputs) {
    const truth = core.parseInput(text, name);
    if (!truth.messages.some((m) => m.files.length) || truth.messages.length > 1) continue;
    const mail = asQpMail(text);
    const sc = core.parseInput(scrape(mail), name);
    assert.ok(sc.problems.some((p) => p.kind === 'scraped'), `${name}: not seen as scraped`);
    const r = compare(name, truth, sc);
    rebuilt += r.rebuilt;
    total += r.total;
  }
  assert.ok(total > 0);
  t.diagnostic(`rebuilt ${rebuilt} of ${total} hunks`);
  assert.ok(rebuilt * 2 >= total, `only ${rebuilt} of ${total} hunks rebuilt`);
});

test('scraped review reply (quote markers kept): rebuilt hunks are right', () => {
  for (const name of ['reply-quoted.eml', 'reply-nested.eml']) {
    const text = fs.readFileSync(path.join(fixtures, name), 'utf8');
    const truth = core.parseInput(text, name);
    const sc = core.parseInput(scrape(text), name);
    assert.equal(sc.messages[0].kind, 'reply-with-patch', name);
    compare(name, truth, sc);
    const rev = sc.messages[0].trailers.filter((x) => x.key !== 'Signed-off-by').map((x) => x.key + ' ' + x.person?.name);
    assert.deepEqual(rev, truth.messages[0].trailers.filter((x) => x.key !== 'Signed-off-by').map((x) => x.key + ' ' + x.person?.name), name);
  }
});
