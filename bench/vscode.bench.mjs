// vscode.firstDiagnostics.ms: in the real VS Code (code-server + Chromium, as the e2e test runs it),
// the time from opening seed 000 to its diagnostics shown in the Problems panel (median of 3 opens).
// When the e2e prerequisites are missing, it returns no figure and says why.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function run() {
  const r = spawnSync(process.execPath, [join(repo, 'test', 'e2e', 'run.mjs')], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, LOCKSTEP_E2E_BENCH: '1' },
  });
  const file = join(repo, 'test-results', 'e2e', 'results.json');
  if (r.status !== 0 || !existsSync(file)) {
    process.stderr.write(`vscode.bench: the real-VS-Code run failed or was skipped (exit ${r.status}):\n${(r.stdout ?? '').slice(-1500)}\n`);
    return {};
  }
  const { figures } = JSON.parse(readFileSync(file, 'utf8'));
  const out = {};
  if (figures?.['vscode.firstDiagnostics.ms']) out['vscode.firstDiagnostics.ms'] = figures['vscode.firstDiagnostics.ms'];
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await run(), null, 2));
