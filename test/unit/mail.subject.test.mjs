// Subjects, trailers, containers and small contracts of the mail parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'mail', 'inputs');

const cases = [
  ['[PATCH v4 07/30] netfs: Replace wb_lock', { subject: 'netfs: Replace wb_lock', version: 4, versionExplicit: true, index: 7, total: 30, countersExplicit: true, tags: ['PATCH'] }],
  ['[RFC 2/3] iomap: Enable stable writes', { subject: 'iomap: Enable stable writes', version: 1, versionExplicit: false, index: 2, total: 3, countersExplicit: true, tags: ['RFC'] }],
  ['[PATCHv3] mm: fix it', { subject: 'mm: fix it', version: 3, versionExplicit: true, index: 1, total: 1, countersExplicit: false, tags: ['PATCH'] }],
  ['[PATCH v6,19/24] afs: thing', { subject: 'afs: thing', version: 6, index: 19, total: 24, countersExplicit: true }],
  ['PATCH1/8 fs: bare prefix', { subject: 'fs: bare prefix', version: 1, index: 1, total: 8, countersExplicit: true }],
  ['[PATCH RESEND net-next v2 3/4] net: resend', { subject: 'net: resend', version: 2, index: 3, total: 4, tags: ['PATCH', 'RESEND', 'net-next'] }],
  ['Re: [PATCH 0/5] series cover', { subject: 'series cover', index: 0, total: 5, isReply: true }],
  ['Aw: AW: Re: [PATCH v2] x: y', { subject: 'x: y', version: 2, isReply: true }],
  ['[PATCH [v2] 1/2] nested brackets', { subject: 'nested brackets', version: 2, index: 1, total: 2 }],
  ['[f2fs-dev] [PATCH 3/3] f2fs: list prefix', { subject: 'f2fs: list prefix', index: 3, total: 3, tags: ['f2fs-dev', 'PATCH'] }],
  ['Write-back from inside FS', { subject: 'Write-back from inside FS', version: null, index: null, isPatch: false }],
];

for (const [raw, want] of cases) {
  test(`subject: ${raw}`, () => {
    const got = core.parseSubject(raw);
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, `${k} of ${raw}`);
  });
}

test('trailers: keys, persons, Fixes/Link targets kept', () => {
  const text = [
    'From: Ada Example <ada@example.org>',
    'Subject: [PATCH] demofs: t',
    '',
    'Body.',
    '',
    'Fixes: 0123456789ab ("demofs: serialise writeback")',
    'Link: https://lore.example.org/r/abc@example.org',
    'Closes: https://bugs.example.org/1',
    'Co-developed-by: "Bo, Tester" <bo@example.net>',
    'Acked-by: Cy Maint <cy@example.com> # for demofs',
    'cc: stable@vger.kernel.org',
    'Signed-off-by: Ada Example <ada@example.org>',
    '---',
    'diff --git a/x.c b/x.c',
    '--- a/x.c',
    '+++ b/x.c',
    '@@ -1 +1 @@',
    '-a',
    '+b',
    '',
  ].join('\n');
  const p = core.parseInput(text, 't.eml');
  const m = p.messages[0];
  assert.deepEqual(m.trailers.map((t) => t.key), ['Fixes', 'Link', 'Closes', 'Co-developed-by', 'Acked-by', 'Cc', 'Signed-off-by']);
  assert.equal(m.trailers[0].value, '0123456789ab ("demofs: serialise writeback")');
  assert.equal(m.trailers[1].value, 'https://lore.example.org/r/abc@example.org');
  assert.deepEqual(m.trailers[3].person, { name: 'Bo, Tester', email: 'bo@example.net' });
  assert.equal(m.trailers[4].person.email, 'cy@example.com');
  assert.equal(m.trailers[5].person.email, 'stable@vger.kernel.org');
  assert.deepEqual(m.trailers.map((t) => t.inputLine), [6, 7, 8, 9, 10, 11, 12]);
  assert.equal(m.body.includes('Signed-off-by'), true);
  assert.equal(m.files[0].hunks[0].lines.length, 2);
});

test('CRLF input gives the same parse as LF input', () => {
  const lf = 'From: A <a@x.org>\nSubject: [PATCH] a: b\n\nmsg\n\nSigned-off-by: A <a@x.org>\n---\ndiff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,2 @@ int f(void)\n ctx\n-old\n+new\n';
  const a = core.parseInput(lf, 'f');
  const b = core.parseInput(lf.replace(/\n/g, '\r\n'), 'f');
  assert.deepEqual(b, a);
  assert.equal(a.messages[0].files[0].hunks[0].lines[2].inputLine, 14);
});

test('unproven lines are not mapped: a short hunk is reported', () => {
  const d = '--- a/f.c\n+++ b/f.c\n@@ -1,4 +1,4 @@\n ctx\n-old\n+new\nnot a diff line\n';
  const p = core.parseInput(d, 'short.diff');
  const h = p.messages[0].files[0].hunks[0];
  assert.deepEqual(h.lines.map((l) => l.inputLine), [4, 5, 6]);
  assert.ok(p.problems.some((x) => x.kind === 'hunk-count-mismatch' && x.line === 3));
});

test('empty and garbage input: problems, no throw', () => {
  for (const s of ['', '   \n', 'hello world\n', '\u0000\u0001\u0002', '@@ -1,2 +1,2 @@\n']) {
    const p = core.parseInput(s, 'g');
    assert.ok(Array.isArray(p.problems) && p.problems.length > 0, JSON.stringify(s));
    assert.deepEqual(p.messages.flatMap((m) => m.files), []);
  }
});

test('mbox: ">From " is unescaped; a single .eml whose body has a "From " line is not split', () => {
  const mbox = core.parseInput(fs.readFileSync(path.join(fixtures, 'series.mbox'), 'utf8'), 'series.mbox');
  assert.equal(mbox.messages.length, 5);
  assert.match(mbox.messages[2].body, /^From the point of view/m);
  assert.equal(mbox.messages.filter((m) => m.superseded).length, 1);
  assert.equal(mbox.messages[0].superseded, true);
  // Tested-by given in a reply is attributed to the patch it answers (b4-style).
  assert.ok(mbox.messages[2].trailers.some((t) => t.key === 'Tested-by' && t.person.email === 'bo@example.net'));
  assert.ok(mbox.problems.some((p) => p.kind === 'missing-patches' && /missing: 2$/.test(p.message)));
  const eml = 'From: A <a@x.org>\nSubject: [PATCH] a: b\n\nText.\n\nFrom a@x.org Mon Mar  2 09:00:00 2026\nSubject: not a new message\n\nSigned-off-by: A <a@x.org>\n';
  const p = core.parseInput(eml, 'one.eml');
  assert.equal(p.format, 'eml');
  assert.equal(p.messages.length, 1);
});

test('notes after --- and trailer targets are kept', () => {
  const p = core.parseInput(fs.readFileSync(path.join(fixtures, 'format-patch.patch'), 'utf8'), 'fp');
  const m = p.messages[0];
  assert.match(m.notes, /^v2: also drop the stale comment/);
  assert.equal(m.trailers.find((t) => t.key === 'Fixes').target, '0123456789ab');
  assert.equal(m.trailers.find((t) => t.key === 'Link').target, 'https://lists.example.org/demofs/msg1234');
});

test('mbox: a reply quoting a patch of the same mbox is a superseded copy; its Reviewed-by goes to the patch', () => {
  const text = [
    'From ada@example.org Wed Mar  4 09:15:01 2026', 'From: Ada Example <ada@example.org>', 'Subject: [PATCH] demofs: x', 'Message-ID: <p1@example.org>', '',
    'Fix.', '', 'Signed-off-by: Ada Example <ada@example.org>', '---', 'diff --git a/f.c b/f.c', '--- a/f.c', '+++ b/f.c', '@@ -1,2 +1,2 @@ int f(void)', ' {', '-\ta();', '+\tb();', '',
    'From rita@example.com Wed Mar  4 10:00:00 2026', 'From: Rita Reviewer <rita@example.com>', 'Subject: Re: [PATCH] demofs: x', 'Message-ID: <r1@example.com>', 'In-Reply-To: <p1@example.org>', '',
    'On Wed, Ada Example wrote:', '> diff --git a/f.c b/f.c', '> --- a/f.c', '> +++ b/f.c', '> @@ -1,2 +1,2 @@ int f(void)', '>  {', '> -\ta();', '> +\tb();', '',
    'Reviewed-by: Rita Reviewer <rita@example.com>', '',
  ].join('\n');
  const p = core.parseInput(text, 'r.mbox');
  assert.deepEqual(p.messages.map((m) => [m.kind, !!m.superseded]), [['patch', false], ['reply-with-patch', true]]);
  assert.deepEqual(p.messages[0].trailers.map((t) => [t.key, t.inputLine]), [['Signed-off-by', 8], ['Reviewed-by', 33]]);
  assert.deepEqual(p.messages[1].files[0].hunks[0].lines.map((l) => l.inputLine), [29, 30, 31]);
});
