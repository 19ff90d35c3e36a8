// The main job (`npm run main`): build and package the extension (the package script is the one place
// that knows vsce's flags), run the CLI on the bundled example patch, and install the extension into the
// VS Code at hand.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sh = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });

console.log('== building and packaging lockstep.vsix (npm run package)');
const pkg = sh('npm', ['run', '--silent', 'package']);
if (pkg.status !== 0) process.exit(pkg.status ?? 1);

console.log('\n== lockstep check examples/netfs-wb-forgotten-end.patch');
const chk = sh(process.execPath, ['bin/lockstep.js', 'check', 'examples/netfs-wb-forgotten-end.patch']);
if (chk.status === 2) process.exit(2);
console.log(chk.status === 1
  ? '(exit 1: the example introduces an error finding, as it should)'
  : `(exit ${chk.status}: the example was expected to show an introduced error)`);

console.log('\n== installing lockstep.vsix');
const code = spawnSync('code', ['--version'], { encoding: 'utf8' });
if (code.status === 0) {
  process.exit(sh('code', ['--install-extension', join(root, 'lockstep.vsix'), '--force']).status ?? 1);
}
const harness = join(root, 'test', 'e2e', 'codeServer.mjs');
if (existsSync(harness)) {
  const { installIntoProfile } = await import(harness);
  const how = await installIntoProfile(join(root, 'lockstep.vsix'));
  console.log(how);
} else {
  console.log('No `code` command found; install lockstep.vsix from VS Code: Extensions → … → Install from VSIX.');
}
