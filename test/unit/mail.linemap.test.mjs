// The line map is exact on every plain (not transfer-encoded, not scraped) fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLineMap } from '../fixtures/mail/check.mjs';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(here, '..', 'fixtures', 'mail', 'inputs');

const plain = fs.readdirSync(dir).filter((f) => !f.endsWith('.golden.json') && !/(qp|base64|scraped)/.test(f)).sort();
for (const name of plain) {
  test(`line map proven: ${name}`, () => {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const p = core.parseInput(text, name);
    const n = checkLineMap(text, p);
    assert.ok(n > 0 || p.messages.every((m) => m.files.length === 0), 'no diff lines checked');
  });
}
