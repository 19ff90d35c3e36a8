// vscode.firstDiagnostics.ms: in the real VS Code (code-server + Chromium, as the e2e test runs it),
// the time from opening seed 000 (../shared/seeds; the bundled example when the seeds are absent) to its
// first lockstep diagnostic in the Problems panel. The first open includes the extension's activation;
// vscode.reopenDiagnostics.ms is the mean of two reopens. Goal for the first: at most 1.5 s.
// Figures only, nothing asserted. When the real-VS-Code prerequisites are missing it says which, and
// returns no figure.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../test/e2e/install.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function run() {
  const file = join(repo, 'test-results', 'e2e', 'results.json');
  const r = spawnSync(process.execPath, [join(repo, 'test', 'e2e', 'run.mjs')], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    // Not CI: a missing prerequisite is reported, not failed.
    env: childEnv({ LOCKSTEP_E2E_BENCH: '1', CI: '' }),
  });
  const results = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const figures = results.figures ?? {};
  const lines = (r.stdout ?? '').split('\n').filter((l) => /open → first diagnostic|✖/.test(l));
  for (const l of lines) console.log(`  ${l.trim()}`);
  if (results.skipped?.length) console.log(`  vscode.bench: no figure, the real VS Code could not run: ${results.skipped.join('; ')}`);
  else if (r.status !== 0 || !figures['vscode.firstDiagnostics.ms'])
    console.log(`  vscode.bench: no figure, the real-VS-Code run failed (exit ${r.status}); see test-results/e2e/ and:\n${(r.stdout ?? '').slice(-1500)}`);
  const out = {};
  for (const k of ['vscode.firstDiagnostics.ms', 'vscode.reopenDiagnostics.ms']) if (figures[k]) out[k] = figures[k];
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await run(), null, 2));
