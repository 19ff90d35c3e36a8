// Git tree mode (issue 12): small repositories of our own, built in a temp folder with git itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv, gitIn, writepages } from '../fixtures/git/testfs.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli.js');
function makeRepo() {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-git-'));
  const git = gitIn(dir);
  git('init', '-q');
  mkdirSync(join(dir, 'fs', 'testfs'), { recursive: true });
  writeFileSync(join(dir, 'MAINTAINERS'), 'TESTFS\n');
  writeFileSync(join(dir, 'Kbuild'), 'obj-y += fs/\n');
  const file = join(dir, 'fs', 'testfs', 'write.c');
  const padding = '/* padding */\n'.repeat(5);
  writeFileSync(file, `// SPDX-License-Identifier: GPL-2.0\n${padding}\n${writepages('testfs_writepages', false)}\n${writepages('testfs_other', false)}`);
  git('add', '.');
  git('commit', '-qm', 'base');
  const base = git('rev-parse', 'HEAD').trim();
  writeFileSync(file, `// SPDX-License-Identifier: GPL-2.0\n${padding}\n${writepages('testfs_writepages', true)}\n${writepages('testfs_other', false)}`);
  git('commit', '-qam', 'testfs: give up early when nothing is to be written\n\nSigned-off-by: T <t@example.org>');
  writeFileSync(file, `// SPDX-License-Identifier: GPL-2.0\n${padding}\n${writepages('testfs_writepages', true)}\n${writepages('testfs_other', true)}`);
  git('commit', '-qam', 'testfs: the same in testfs_other\n\nSigned-off-by: T <t@example.org>');
  const patch = join(dir, 'one.patch');
  writeFileSync(patch, git('format-patch', '-1', 'HEAD~1', '--stdout', `--base=${base}`));
  return { dir, git, file, base, patch, rm: () => rmSync(dir, { recursive: true, force: true }) };
}

function check(args, cwd) {
  const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', ...args], { cwd, encoding: 'utf8', env: cleanEnv() });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

test('git tree: the exact blob is used when the work tree has moved on', () => {
  const r = makeRepo();
  try {
    // The work tree is at HEAD (both functions changed), and gets more local edits on top.
    writeFileSync(r.file, '/* rewritten */\n' + readFileSync(r.file, 'utf8').replace(/testfs_do_writeback/g, 'other_call'));
    const j = check([r.patch, '--tree', r.dir]);
    const fns = j.functions.filter((f) => f.name === 'testfs_writepages');
    assert.ok(fns.length >= 2);
    for (const f of fns) assert.equal(f.source, 'blob');
    assert.equal(j.inputs[0].tree.kind, 'git');
    assert.equal(j.inputs[0].tree.blobsMatched, 1);
    assert.ok(j.findings.some((f) => f.check === 'wb-pairing' && f.status === 'introduced' && f.function === 'testfs_writepages'));
    assert.ok(j.findings.every((f) => f.function !== 'testfs_other'), 'only the patch\'s function is analysed');
  } finally {
    r.rm();
  }
});

test('git tree: --base and base-commit: give the pre-image when the index line has no blob in the repository', () => {
  const r = makeRepo();
  try {
    const text = readFileSync(r.patch, 'utf8').replace(/^index [0-9a-f]+\.\.([0-9a-f]+)/m, 'index 1234567..$1');
    writeFileSync(r.patch, text);
    let j = check([r.patch, '--tree', r.dir]);
    assert.ok(j.functions.filter((f) => f.name === 'testfs_writepages').every((f) => f.source === 'base'), 'base-commit: trailer');
    assert.ok(j.problems.some((p) => p.kind === 'git-blob' && /1234567/.test(p.message)));
    assert.equal(j.inputs[0].tree.base, r.base);
    writeFileSync(r.patch, text.replace(/^base-commit: .*$/m, ''));
    j = check([r.patch, '--tree', r.dir, '--base', 'HEAD~2']);
    assert.ok(j.functions.filter((f) => f.name === 'testfs_writepages').every((f) => f.source === 'base'), '--base');
    j = check([r.patch, '--tree', r.dir, '--base', 'nonesuch']);
    assert.ok(j.problems.some((p) => p.kind === 'git-base'));
  } finally {
    r.rm();
  }
});

test('git tree: --git A..B gives one result per commit', () => {
  const r = makeRepo();
  try {
    const j = check(['--git', 'HEAD~2..HEAD'], r.dir);
    assert.equal(j.inputs.length, 1);
    assert.equal(j.inputs[0].patches, 2);
    assert.equal(j.inputs[0].tree.commits.length, 2);
    assert.deepEqual([...new Set(j.functions.map((f) => f.message))], [0, 1]);
    assert.ok(j.functions.every((f) => f.source === 'blob'));
    const intro = j.findings.filter((f) => f.status === 'introduced' && f.check === 'wb-pairing').map((f) => f.function).sort();
    assert.deepEqual([...new Set(intro)], ['testfs_other', 'testfs_writepages']);
  } finally {
    r.rm();
  }
});

test('git tree: a range with a merge says so', () => {
  const r = makeRepo();
  try {
    r.git('checkout', '-qb', 'side', 'HEAD~1');
    writeFileSync(join(r.dir, 'README'), 'side\n');
    r.git('add', 'README');
    r.git('commit', '-qm', 'side');
    r.git('checkout', '-q', '-');
    r.git('merge', '-q', '--no-edit', 'side');
    const j = check(['--git', 'HEAD~3..HEAD'], r.dir);
    assert.ok(j.problems.some((p) => p.kind === 'git-merge'));
  } finally {
    r.rm();
  }
});

test('git tree: a shallow clone without the blob, no index line, a binary and a renamed file, a bad --tree', () => {
  const r = makeRepo();
  const shallow = mkdtempSync(join(tmpdir(), 'lockstep-shallow-'));
  try {
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${r.dir}`, join(shallow, 'k')], { env: cleanEnv() });
    let j = check([r.patch, '--tree', join(shallow, 'k')]);
    assert.ok(j.problems.some((p) => p.kind === 'git-blob' && /shallow/.test(p.message)), JSON.stringify(j.problems));
    const noIndex = join(r.dir, 'noindex.patch');
    writeFileSync(noIndex, readFileSync(r.patch, 'utf8').replace(/^index .*\n/m, ''));
    j = check([noIndex, '--tree', r.dir]);
    assert.ok(j.problems.some((p) => p.kind === 'git-no-index'));
    r.git('mv', 'fs/testfs/write.c', 'fs/testfs/writeback.c');
    writeFileSync(join(r.dir, 'fs', 'testfs', 'blob.c'), Buffer.from([0, 1, 2, 0, 3]));
    r.git('add', '.');
    r.git('commit', '-qm', 'rename and binary');
    writeFileSync(join(r.dir, 'rb.patch'), r.git('format-patch', '-1', 'HEAD', '--stdout', '--binary'));
    j = check([join(r.dir, 'rb.patch'), '--tree', r.dir]);
    assert.ok(j.problems.some((p) => p.kind === 'git-binary'), JSON.stringify(j.problems));
    assert.ok(j.problems.some((p) => p.kind === 'git-renamed'));
    const bad = spawnSync(process.execPath, [cli, 'check', r.patch, '--tree', join(r.dir, 'MAINTAINERS')], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /not a directory/);
    const notRepo = spawnSync(process.execPath, [cli, 'check', '--git', 'HEAD~1..', '--tree', join(r.dir, 'fs')], { encoding: 'utf8' });
    assert.equal(notRepo.status, 2);
    assert.match(notRepo.stderr, /not one/);
  } finally {
    r.rm();
    rmSync(shallow, { recursive: true, force: true });
  }
});

test('git tree: several inputs in one run (one cat-file for all) resolve as each input does alone', () => {
  const r = makeRepo();
  try {
    const second = join(r.dir, 'two.patch');
    writeFileSync(second, r.git('format-patch', '-1', 'HEAD', '--stdout'));
    // The work tree moves on, so only the blobs can give the right pre-images.
    writeFileSync(r.file, '/* local edits */\n' + readFileSync(r.file, 'utf8'));
    const alone = [check([r.patch, '--tree', r.dir]), check([second, '--tree', r.dir])];
    const both = check([r.patch, second, '--tree', r.dir]);
    const view = (fns) => fns.map((f) => `${f.name} ${f.side} ${f.source} ${f.startLine}`);
    assert.deepEqual(both.inputs.map((i) => i.tree.blobsMatched), [1, 1]);
    assert.ok(both.functions.every((f) => f.source === 'blob'));
    assert.deepEqual(view(both.functions), [...view(alone[0].functions), ...view(alone[1].functions)]);
    assert.deepEqual(both.findings.map((f) => `${f.function} ${f.check} ${f.status}`).sort(),
      [...alone[0].findings, ...alone[1].findings].map((f) => `${f.function} ${f.check} ${f.status}`).sort());
  } finally {
    r.rm();
  }
});
