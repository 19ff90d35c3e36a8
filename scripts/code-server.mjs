// Opens a folder or file in VS Code for the browser (code-server) with the profile `npm run main`
// installed Lockstep into: `node scripts/code-server.mjs [path] [--port N]` (default: examples/, port 8080).
// Listens on 127.0.0.1 only; Ctrl+C stops it.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { profileDirs } from '../test/e2e/codeServer.mjs';
import { childEnv, ensureCodeServer } from '../test/e2e/install.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const portAt = args.indexOf('--port');
const port = portAt >= 0 ? Number(args.splice(portAt, 2)[1]) : 8080;
const target = resolve(args[0] ?? join(root, 'examples'));
if (!existsSync(target)) {
  console.error(`code-server: no such file or folder: ${target}`);
  process.exit(2);
}
const { extensionsDir, userDataDir } = profileDirs();
if (!existsSync(extensionsDir)) {
  console.error('code-server: Lockstep is not installed in the code-server profile yet; run `npm run main` first.');
  process.exit(1);
}
const cs = ensureCodeServer();
if (!cs.ok) {
  console.error(`code-server: not available (${cs.reason}).`);
  process.exit(1);
}
// A file is opened with its folder as the workspace; the reviewer opens it from the Explorer.
const folder = statSync(target).isDirectory() ? target : dirname(target);
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
const child = spawn(
  cs.nodeBin,
  [cs.entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', folder],
  { stdio: ['ignore', 'ignore', 'inherit'], env: childEnv({ PATH: `${dirname(cs.nodeBin)}:${childEnv().PATH}` }) },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill('SIGTERM'));
const deadline = Date.now() + 60_000;
while (Date.now() < deadline && child.exitCode === null) {
  if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) break;
  await new Promise((r) => setTimeout(r, 250));
}
if (child.exitCode !== null) {
  console.error(`code-server: exited with ${child.exitCode} (is port ${port} in use? try --port 8081)`);
  process.exit(1);
}
const file = folder === target ? '' : `, then ${target.slice(folder.length + 1)} in its Explorer`;
console.log(`code-server: open ${url} in a browser${file} (Ctrl+C stops it)`);
child.on('exit', (code) => process.exit(code ?? 0));
