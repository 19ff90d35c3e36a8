// tree.*: what a kernel tree costs (issue 12). The 30-patch series checked with no tree, against a
// plain directory holding the base files, and against the git repository itself (each file's
// pre-image read from the exact blob its index line names, one `git cat-file --batch` for the run).
// Whole processes, median of 5, alternating the three so that drift on a busy machine hits all
// alike. The added time of blob lookup is also measured inside the process (`--timings`: its
// `git` phase, the one cat-file for the run), since the difference of two 2-second runs is mostly noise.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSeriesRepo } from './series.mjs';
import { measure } from './measure.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'lockstep.js');
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));

const lockstep = (args) => [process.execPath, [cli, ...args, '--timings']];
const measureLs = (lists, runs = 5) => measure(lists.map(lockstep), runs, { env: cleanEnv(), lockstep: true });

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
    const [none, dir, git, apart] = measureLs([args, [...args, '--tree', plain], [...args, '--tree', repo.dir], ['check', ...files, '--format', 'json', '--tree', repo.dir]]);
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
