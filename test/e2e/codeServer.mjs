// code-server (VS Code for the browser) as the e2e test and `npm run main` use it: install a .vsix into
// a profile, start it on loopback with fresh dirs, stop it by its own pid.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { childEnv, ensureCodeServer } from './install.mjs';

/** Quiet, deterministic user settings for a test profile. Workspace trust stays on (Restricted Mode). */
export function writeUserSettings(userDataDir, extra = {}) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  const settings = {
    'workbench.colorTheme': 'Default Dark Modern',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'window.commandCenter': false,
    'editor.minimap.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.layoutControl.enabled': false,
    'editor.codeLens': true,
    'files.simpleDialog.enable': true,
    'git.enabled': false,
    ...extra,
  };
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Installs a .vsix with code-server's CLI. Returns { ok, output }. */
export function installVsix(cs, vsix, extensionsDir, userDataDir) {
  const r = spawnSync(cs.nodeBin, [cs.entry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'], {
    encoding: 'utf8',
    env: childEnv({ PATH: `${join(cs.nodeBin, '..')}:${childEnv().PATH}` }),
  });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts code-server on 127.0.0.1; resolves when it answers. Returns { url, pid, stop }. */
export async function startCodeServer(cs, { extensionsDir, userDataDir, folder, logFile }) {
  const port = await freePort();
  const out = openSync(logFile, 'a');
  const child = spawn(
    cs.nodeBin,
    [cs.entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
      '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', folder],
    // Its own process group, so that stopping it also stops its helpers (file watcher, extension host).
    { stdio: ['ignore', out, out], detached: true, env: childEnv({ PATH: `${join(cs.nodeBin, '..')}:${childEnv().PATH}` }) },
  );
  const url = `http://127.0.0.1:${port}/`;
  const stop = () => {
    if (!child.pid) return;
    try {
      process.kill(-child.pid, 'SIGTERM'); // the group led by code-server's own pid
    } catch {
      try {
        if (child.exitCode === null) process.kill(child.pid, 'SIGTERM');
      } catch {}
    }
  };
  process.once('exit', stop);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${logFile}`);
    try {
      const r = await fetch(`${url}healthz`);
      if (r.ok) return { url, pid: child.pid, stop, child };
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error(`code-server did not answer on ${url} within 60 s; see ${logFile}`);
}

/** The persistent code-server profile that `npm run main` installs into and scripts/code-server.mjs opens. */
export function profileDirs() {
  const profile = join(process.env.LOCKSTEP_CACHE || join(homedir(), '.cache', 'lockstep'), 'profile');
  return { profile, extensionsDir: join(profile, 'extensions'), userDataDir: join(profile, 'user-data') };
}

/**
 * For `npm run main`: install the .vsix into the persistent code-server profile (installing code-server
 * first when it is not cached). Returns { ok: true, profile } or { ok: false, reason }.
 */
export function installIntoProfile(vsix) {
  const cs = ensureCodeServer();
  if (!cs.ok) return { ok: false, reason: `code-server is not available: ${cs.reason}` };
  const { profile, extensionsDir, userDataDir } = profileDirs();
  mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir);
  const r = installVsix(cs, vsix, extensionsDir, userDataDir);
  if (!r.ok) return { ok: false, reason: `code-server could not install ${vsix}: ${r.output.trim().split('\n').pop()}` };
  return { ok: true, profile };
}
