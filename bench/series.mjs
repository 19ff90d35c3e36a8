// Generates a patch series for the benchmarks: N commits of kernel-style C of our own, made with git
// in a temporary directory and written as one mbox (git format-patch --stdout). Deterministic.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function fn(file, i, variant, buggy = false) {
  const name = `bench${file}_writepages_${i}`;
  // The buggy form returns with the wb lock still held (a wb-pairing error on that line).
  const extra = variant
    ? `\tif (bench_should_throttle(ictx, ${i}))\n\t\t${buggy ? 'return -EAGAIN;' : 'goto couldnt_start;'}\n\n`
    : '';
  return `int ${name}(struct address_space *mapping,
\t\tstruct writeback_control *wbc)
{
\tstruct netfs_inode *ictx = netfs_inode(mapping->host);
\tstruct netfs_io_request *wreq;
\tstruct folio *folio;
\tint error = 0;

\tif (!netfs_wb_begin(ictx, wbc->sync_mode == WB_SYNC_NONE))
\t\treturn 0;

\tfolio = writeback_iter(mapping, wbc, NULL, &error);
\tif (!folio)
\t\tgoto out;

${extra}\twreq = netfs_create_write_req(mapping, NULL, folio_pos(folio), NETFS_WRITEBACK);
\tif (IS_ERR(wreq)) {
\t\terror = PTR_ERR(wreq);
\t\tgoto couldnt_start;
\t}

\tdo {
\t\terror = bench_write_folio(wreq, wbc, folio);
\t} while ((folio = writeback_iter(mapping, wbc, folio, &error)));

\tnetfs_end_issue_write(wreq);
\tnetfs_put_request(wreq, netfs_rreq_trace_put_return);
\treturn error;

couldnt_start:
\tnetfs_kill_dirty_pages(mapping, wbc, folio);
out:
\tnetfs_wb_end(ictx);
\treturn error;
}
`;
}

/**
 * Builds the series' git repository in a temp folder: a base commit with `patches` files, then one
 * commit per file. Returns the repository (work tree at the last commit), the base commit, and rm().
 */
export function makeSeriesRepo(patches = 30, perPatch = 8, { buggy = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-series-'));
  const git = (...a) => execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.org', '-c', 'commit.gpgsign=false', ...a], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  try {
    git('init', '-q');
    writeFileSync(join(dir, '.git', 'info', 'attributes'), '*.c diff=cpp\n');
    mkdirSync(join(dir, 'fs', 'benchfs'), { recursive: true });
    writeFileSync(join(dir, 'MAINTAINERS'), 'BENCHFS\n');
    writeFileSync(join(dir, 'Kbuild'), 'obj-y += fs/\n');
    const body = (p, changed) => Array.from({ length: perPatch }, (_, i) => fn(p, i, changed, changed && buggy.includes(p))).join('\n');
    for (let p = 0; p < patches; p++) writeFileSync(join(dir, 'fs', 'benchfs', `f${p}.c`), body(p, false));
    git('add', '.');
    git('commit', '-qm', 'base', '--date', '2026-01-01T00:00:00Z');
    const base = git('rev-parse', 'HEAD').trim();
    for (let p = 0; p < patches; p++) {
      writeFileSync(join(dir, 'fs', 'benchfs', `f${p}.c`), body(p, true));
      git('commit', '-qam', `benchfs: Throttle writeback in file ${p}\n\nSigned-off-by: Bench <bench@example.org>`, '--date', '2026-01-01T00:00:00Z');
    }
    return { dir, git, base, rm: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Returns the mbox text of a `patches`-patch series, each touching `perPatch` functions; the patches
 * whose 0-based index is in `buggy` return with the wb lock held (one error per function).
 */
export function makeSeries(patches = 30, perPatch = 8, { buggy = [] } = {}) {
  const r = makeSeriesRepo(patches, perPatch, { buggy });
  try {
    return r.git('format-patch', '-W', `-${patches}`, '--stdout', '--cover-letter');
  } finally {
    r.rm();
  }
}
