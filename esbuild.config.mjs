// One build script, several bundles:
//   dist/extension.js  the VS Code extension host bundle (node, `vscode` external)
//   dist/cli.js        the command line (node)
//   dist/core.js       the core as a library, for tests and benchmarks (node)
//   dist/webview.js    the timeline UI (browser)
// and the tree-sitter .wasm files copied next to them (located explicitly at run time).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const out = 'dist';
mkdirSync(out, { recursive: true });

// tree-sitter runtime and the C grammar: copied, never fetched.
const wasm = [
  require.resolve('web-tree-sitter/tree-sitter.wasm'),
  join(dirname(require.resolve('tree-sitter-c/package.json')), 'tree-sitter-c.wasm'),
];
for (const f of wasm) {
  if (!existsSync(f)) throw new Error(`missing ${f}: run npm install`);
  copyFileSync(f, join(out, f.split('/').pop()));
}

const common = { bundle: true, sourcemap: true, logLevel: 'warning', legalComments: 'none', target: 'es2022' };
const node = { ...common, platform: 'node', format: 'cjs' };
const builds = [
  { ...node, entryPoints: ['src/vscode/extension.ts'], outfile: `${out}/extension.js`, external: ['vscode'] },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: `${out}/cli.js` },
  { ...node, entryPoints: ['src/core/index.ts'], outfile: `${out}/core.js` },
  { ...common, platform: 'browser', format: 'iife', entryPoints: ['src/webview/main.ts'], outfile: `${out}/webview.js` },
];
if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
