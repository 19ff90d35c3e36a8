// The standard extension-host test runner (@vscode/test-electron), for machines that can download
// VS Code (it fetches a VS Code build from Microsoft's update server; this project's CI machines have
// no such access and use test/e2e/run.mjs instead). Run with `npm run test:vscode` after `npm run build`.
// VSCODE_EXECUTABLE=<path to code> uses an installed VS Code instead of downloading one.
import { runTests } from '@vscode/test-electron';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const workspace = mkdtempSync(join(tmpdir(), 'lockstep-vscode-'));

try {
  await runTests({
    extensionDevelopmentPath: repo,
    extensionTestsPath: join(repo, 'test', 'vscode', 'suite', 'index.cjs'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : {}),
  });
} catch (e) {
  console.error(`extension-host tests failed: ${e?.message ?? e}`);
  process.exit(1);
}
