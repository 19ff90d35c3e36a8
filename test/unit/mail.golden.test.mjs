// Golden tests: every fixture in test/fixtures/mail/inputs/<name> has <name>.golden.json beside it
// (the `lockstep parse --format json` shape plus the full line map).
// Refresh after an intended change: LOCKSTEP_UPDATE_GOLDEN=1 node --test test/unit/mail.golden.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { goldenOf } from '../fixtures/mail/check.mjs';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(here, '..', 'fixtures', 'mail', 'inputs');
const update = process.env.LOCKSTEP_UPDATE_GOLDEN === '1';

const inputs = fs.readdirSync(dir).filter((f) => !f.endsWith('.golden.json') && !f.startsWith('.')).sort();

test('mail fixtures exist', () => {
  assert.ok(inputs.length >= 2, 'expected mail fixtures');
});

for (const name of inputs) {
  test(`golden: ${name}`, () => {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const got = goldenOf(core, core.parseInput(text, name));
    const gpath = path.join(dir, name + '.golden.json');
    const json = JSON.stringify(got, null, 1) + '\n';
    if (update || !fs.existsSync(gpath)) {
      if (!update) assert.fail(`missing ${name}.golden.json (run with LOCKSTEP_UPDATE_GOLDEN=1)`);
      fs.writeFileSync(gpath, json);
      return;
    }
    assert.deepEqual(got, JSON.parse(fs.readFileSync(gpath, 'utf8')));
  });
}
