// The main job (`npm run main`): build and package the extension (the package script is the one place
// that knows vsce's flags), run the CLI on the bundled example patch, install the extension into the
// VS Code at hand (`code` on the PATH, else the project's code-server profile), and end with a short
// report: what ran, where the .vsix is, where it went, and the one command that opens the example.
// Any failure is one line saying what to do, and a non-zero exit code.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../test/e2e/install.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE = 'examples/netfs-wb-forgotten-end.patch';
const vsix = join(root, 'lockstep.vsix');
const ran = [];

function fail(line, code = 1) {
  console.error(`\nnpm run main: FAILED: ${line}`);
  process.exit(code);
}

/** Runs a step quietly; on failure prints the tail of its output and the one-line reason. */
function step(title, cmd, args, hint) {
  process.stdout.write(`== ${title} … `);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: childEnv(), maxBuffer: 64 * 1024 * 1024 });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.log(`failed after ${secs} s`);
    console.log(`${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n'));
    fail(`${title} (exit ${r.status ?? r.error?.message}); ${hint}`);
  }
  console.log(`done (${secs} s)`);
  ran.push(`${[cmd === process.execPath ? 'node' : cmd, ...args].join(' ')}`);
  return r;
}

step('building and packaging lockstep.vsix', 'npm', ['run', '--silent', 'package'], 'run `npm run package` to see the whole error.');
if (!existsSync(vsix)) fail('npm run package ended without lockstep.vsix; run `npm run package` to see why.');

console.log(`\n== lockstep check ${EXAMPLE}`);
const chk = spawnSync(process.execPath, ['bin/lockstep.js', 'check', EXAMPLE], { cwd: root, stdio: 'inherit', env: childEnv() });
ran.push(`node bin/lockstep.js check ${EXAMPLE}`);
if (chk.status !== 1) {
  fail(chk.status === 0
    ? `the CLI found no introduced error in ${EXAMPLE}, which forgets netfs_wb_end; run \`npm test\` to see which check broke.`
    : `the CLI ended with exit ${chk.status} on ${EXAMPLE}; run \`node bin/lockstep.js check ${EXAMPLE}\` to see why.`);
}

console.log('\n== installing lockstep.vsix');
let installedInto;
let openWith;
const code = spawnSync('code', ['--version'], { encoding: 'utf8', env: childEnv() });
if (code.status === 0) {
  const r = spawnSync('code', ['--install-extension', vsix, '--force'], { encoding: 'utf8', env: childEnv() });
  if (r.status !== 0) fail(`\`code --install-extension lockstep.vsix\` failed: ${`${r.stderr}${r.stdout}`.trim().split('\n').pop()}; install it from VS Code: Extensions → … → Install from VSIX.`);
  ran.push('code --install-extension lockstep.vsix --force');
  installedInto = `VS Code ${code.stdout.split('\n')[0]} (the \`code\` command on the PATH)`;
  openWith = [`code ${EXAMPLE}`];
} else {
  console.log('(no `code` command on the PATH: installing into the project\'s code-server profile; the first time installs code-server from the npm registry, about 3 minutes)');
  const { installIntoProfile } = await import('../test/e2e/codeServer.mjs');
  let r;
  try {
    r = installIntoProfile(vsix);
  } catch (e) {
    r = { ok: false, reason: `code-server could not be set up: ${e?.message ?? e}` };
  }
  if (!r.ok) fail(`${r.reason}; install lockstep.vsix from VS Code instead: Extensions → … → Install from VSIX.`);
  ran.push('code-server --install-extension lockstep.vsix (test/e2e/codeServer.mjs)');
  installedInto = `code-server (VS Code for the browser), profile ${r.profile}`;
  openWith = [`node scripts/code-server.mjs ${EXAMPLE}`, '            then browse to the URL it prints (http://127.0.0.1:8080/…) and open the .patch in its Explorer'];
}

const kb = Math.round(statSync(vsix).size / 1024);
console.log(`
== npm run main: done
ran:        ${ran.join('\n            ')}
findings:   the CLI reports the forgotten netfs_wb_end in ${EXAMPLE} (exit 1, as expected)
package:    ${relative(process.cwd(), vsix) || vsix} (${kb} kB)
installed:  ${installedInto}
open it:    ${openWith.join('\n')}`);
