#!/usr/bin/env node
// Entry for `npx lockstep` / the package's bin: runs the bundled CLI (built by `npm run build`).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const cli = join(__dirname, '..', 'dist', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('lockstep: dist/cli.js is missing; run `npm run build` first\n');
  process.exit(2);
}
require(cli);
