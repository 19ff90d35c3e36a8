// checkpatch.*: Lockstep beside the kernel's checkpatch.pl on the same inputs, in one run, interleaved
// (issue 14). checkpatch is a copy kept outside the repository (../shared/tools/checkpatch/); when it
// or perl is absent, the bench says so. Also prints where Lockstep's time goes (`check --timings`):
// Node start-up and bundle load, tree-sitter init, reading, mail parsing, git, analysis, output; and
// within the analysis (check.*): rebuilding functions (c; c.parse is tree-sitter's parse and lowering
// within it), summaries, the cross-task explorer, simulating paths and running the checks.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSeriesRepo } from './series.mjs';
import { measure as measureCmds } from './measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'lockstep.js');
const checkpatch = resolve(root, '..', 'shared', 'tools', 'checkpatch', 'checkpatch.pl');
const seed = resolve(root, '..', 'shared', 'seeds', '000_7262cf86413b0ec6.txt');
const RUNS = 7;

/** Round-robin runs of several commands (bench/measure.mjs), RUNS each unless told. */
const measure = (cmds, runs = RUNS) => measureCmds(cmds, runs);

function breakdown(prefix, m) {
  const out = {};
  const total = m.ms;
  let inside = 0;
  const workers = m.phases['check.workers'] ?? 1;
  for (const [p, ms] of Object.entries(m.phases)) {
    if (p === 'check.workers') {
      out[`${prefix}.workers`] = { value: ms, unit: 'worker threads (the check.* phases below are summed over them)' };
      continue;
    }
    if (!p.startsWith('check.')) inside += ms;
    const share = p.startsWith('check.') && workers > 1 ? `${Math.round((ms / workers / total) * 1000) / 10} % of ${total} ms per worker` : `${Math.round((ms / total) * 1000) / 10} % of ${total} ms`;
    out[`${prefix}.phase.${p}.ms`] = { value: ms, unit: `ms (${share})` };
  }
  const exit = Math.round((total - inside) * 10) / 10;
  out[`${prefix}.phase.exit.ms`] = { value: exit, unit: `ms (${Math.round((exit / total) * 1000) / 10} %: after the output until the process is gone, and spawn)` };
  return out;
}

export async function run() {
  const out = {};
  const havePerl = spawnSync('perl', ['-e', '1']).status === 0;
  const haveCp = existsSync(checkpatch) && havePerl;
  if (!haveCp) console.log(`checkpatch.*: skipped, ${havePerl ? `${checkpatch} not present` : 'perl not found'}; Lockstep's figures only`);
  const cp = (files) => ['perl', [checkpatch, '--no-tree', '--terse', ...files]];
  const ls = (files) => [process.execPath, [cli, 'check', ...files, '--format', 'json', '--timings']];

  const scratch = mkdtempSync(join(tmpdir(), 'lockstep-cp-bench-'));
  try {
    if (existsSync(seed)) {
      const [l, c] = measure(haveCp ? [ls([seed]), cp([seed])] : [ls([seed])]);
      out['checkpatch.seed000.lockstep.ms'] = { value: l.ms, unit: 'ms (median of 7, whole process)' };
      if (c) {
        out['checkpatch.seed000.checkpatch.ms'] = { value: c.ms, unit: 'ms (checkpatch.pl --no-tree --terse, median of 7)' };
        out['checkpatch.seed000.ratio'] = { value: Math.round((l.ms / c.ms) * 100) / 100, unit: '× (Lockstep / checkpatch; goal ≤ 0.75)' };
      }
      Object.assign(out, breakdown('checkpatch.seed000.lockstep', l));
    } else console.log('checkpatch.seed000.*: skipped, ../shared/seeds not present');

    // Series of 1, 10, 30 and 60 patches, each patch a file (checkpatch takes them in one run too).
    const big = makeSeriesRepo(60, 8);
    try {
      const files = big.git('format-patch', '-W', '-60', '-o', join(scratch, 'p60')).trim().split('\n');
      for (const n of [1, 10, 30, 60]) {
        const some = files.slice(0, n);
        const [l, c] = measure(haveCp ? [ls(some), cp(some)] : [ls(some)], n >= 30 ? 3 : 5);
        out[`checkpatch.series${n}.lockstep.ms`] = { value: l.ms, unit: `ms (${n} patch file(s), 8 functions each; ${Math.round((l.ms / n) * 10) / 10} ms per patch)` };
        if (c) {
          out[`checkpatch.series${n}.checkpatch.ms`] = { value: c.ms, unit: `ms (checkpatch on the same ${n} file(s))` };
          out[`checkpatch.series${n}.ratio`] = { value: Math.round((l.ms / c.ms) * 100) / 100, unit: '× (Lockstep / checkpatch)' };
        }
        if (n === 30) {
          Object.assign(out, breakdown('checkpatch.series30.lockstep', l));
          // The opt-in worker pool on the same files, for comparison (off by default: see src/cli/pool.ts).
          const [j, one] = measure([[process.execPath, [cli, 'check', ...some, '--format', 'json', '--jobs', '2']], ls(some)], 3);
          out['checkpatch.series30.lockstep.jobs2.ms'] = { value: j.ms, unit: `ms (--jobs 2; ${Math.round((j.ms / one.ms) * 100) / 100}x one thread's ${one.ms} ms in the same runs)` };
        }
      }
    } finally {
      big.rm();
    }
    // Perl's own start-up, for scale.
    if (haveCp) out['checkpatch.perlStartup.ms'] = { value: measure([['perl', ['-e', '1']]])[0].ms, unit: 'ms (perl -e 1)' };
    out['checkpatch.nodeStartup.ms'] = { value: measure([[process.execPath, ['-e', '0']]])[0].ms, unit: 'ms (node -e 0)' };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return out;
}
