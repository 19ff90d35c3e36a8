// tree.*: what a kernel tree costs (issue 12). The 30-patch series checked with no tree, against a
// plain directory holding the base files, and against the git repository itself (each file's
// pre-image read from the exact blob its index line names, one `git cat-file --batch` for the run).
// Whole processes, median of 5, alternating the three so that drift on a busy machine hits all
// alike. The added time of blob lookup is also measured inside the process (`--timings`: its
// `git` phase, the one cat-file for the run), since the difference of two 2-second runs is mostly noise.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSeriesRepo } from './series.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'lockstep.js');
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)] * 10) / 10;
};

/** Runs each argument list `runs` times, round-robin; per list the median wall time, the median of each --timings phase and the last stdout. */
function measure(lists, runs = 5) {
  const acc = lists.map(() => ({ wall: [], phases: {}, out: '' }));
  for (let i = 0; i < runs; i++) {
    lists.forEach((args, k) => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [cli, ...args, '--timings'], { encoding: 'utf8', env: cleanEnv(), maxBuffer: 1 << 28 });
      acc[k].wall.push(performance.now() - t0);
      if (r.status === 2) throw new Error(`lockstep ${args.join(' ')} failed: ${r.stderr}`);
      acc[k].out = r.stdout;
      const line = r.stderr.split('\n').find((l) => l.startsWith('{"timings"'));
      for (const [p, ms] of Object.entries(line ? JSON.parse(line).timings : {})) (acc[k].phases[p] ??= []).push(ms);
    });
  }
  return acc.map((a) => ({ ms: median(a.wall), out: a.out, phase: (p) => (a.phases[p] ? median(a.phases[p]) : 0) }));
}

export async function run() {
  const repo = makeSeriesRepo(30, 8);
  const scratch = mkdtempSync(join(tmpdir(), 'lockstep-tree-bench-'));
  try {
    const mbox = join(scratch, 'series30.mbox');
    writeFileSync(mbox, repo.git('format-patch', '-W', '-30', '--stdout', '--cover-letter'));
    const files = repo.git('format-patch', '-W', '-30', '-o', join(scratch, 'patches')).trim().split('\n');
    // The work tree goes back to the base: the directory copy then holds each patch's exact pre-image.
    repo.git('checkout', '-q', repo.base, '--', 'fs');
    const plain = join(scratch, 'plain');
    cpSync(join(repo.dir, 'fs'), join(plain, 'fs'), { recursive: true });
    const args = ['check', mbox, '--format', 'json'];
    const [none, dir, git, apart] = measure([args, [...args, '--tree', plain], [...args, '--tree', repo.dir], ['check', ...files, '--format', 'json', '--tree', repo.dir]]);
    const tree = JSON.parse(git.out).inputs[0]?.tree;
    const whole = JSON.parse(git.out).functions.filter((f) => f.source === 'blob').length;
    const lookup = git.phase('git');
    return {
      'tree.series30.none.ms': { value: none.ms, unit: 'ms (no tree: hunks alone)' },
      'tree.series30.directory.ms': { value: dir.ms, unit: 'ms (--tree: a plain directory at the base)' },
      'tree.series30.git.ms': { value: git.ms, unit: `ms (--tree: the git repository; ${tree?.blobsMatched ?? 0}/${tree?.files ?? 0} blobs, ${whole} functions from blobs)` },
      'tree.series30.git-minus-directory.ms': { value: Math.round((git.ms - dir.ms) * 10) / 10, unit: 'ms (wall-time difference; noisy)' },
      'tree.series30.blobLookup.ms': { value: lookup, unit: 'ms (in-process: the git phase, one rev-parse + one cat-file for the run)' },
      'tree.series30.blobLookup.pct': { value: Math.round((lookup / git.ms) * 1000) / 10, unit: '% of the whole check against the repository (goal: under 10)' },
      'tree.patches30.git.ms': { value: apart.ms, unit: 'ms (the same 30 patches as 30 files, --tree: the repository)' },
      'tree.patches30.blobLookup.ms': { value: apart.phase('git'), unit: `ms (in-process git phase for 30 inputs; ${Math.round((apart.phase('git') / apart.ms) * 1000) / 10} % of the check)` },
    };
  } finally {
    repo.rm();
    rmSync(scratch, { recursive: true, force: true });
  }
}
