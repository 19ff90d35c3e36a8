// Issue 12 in the real VS Code: a kernel git repository of our own as the workspace. The reviewer
// opens a `git format-patch` file inside it; in Restricted Mode Lockstep reads the work tree as a plain
// directory (git is never run there); once the folder is trusted it reads the exact pre-image blobs the
// patch's index lines name, says so in the status bar, and shows the finding in the C file at the
// matching line even though that copy of the file has moved on. "Lockstep: Check commits…" then checks
// the branch's commits as a series.
import { gitIn, writepages } from '../fixtures/git/testfs.mjs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const source = (a, b) => `// SPDX-License-Identifier: GPL-2.0\n/* testfs: writeback */\n\n#include <linux/netfs.h>\n\n${writepages('testfs_writepages', a)}\n${writepages('testfs_writepages_sync', b)}`;

/** Builds `<tmp>/linux`: MAINTAINERS + Kbuild (a kernel tree), three commits, the patch of the middle one. */
export function prepareGitTree(tmp) {
  const dir = join(tmp, 'linux');
  mkdirSync(join(dir, 'fs', 'testfs'), { recursive: true });
  const git = gitIn(dir);
  git('init', '-q');
  writeFileSync(join(dir, 'MAINTAINERS'), 'TESTFS\nM:\tLockstep Test <test@example.org>\nF:\tfs/testfs/\n');
  writeFileSync(join(dir, 'Kbuild'), 'obj-y += fs/\n');
  const rel = 'fs/testfs/write.c';
  const file = join(dir, ...rel.split('/'));
  writeFileSync(file, source(false, false));
  git('add', '.');
  git('commit', '-qm', 'testfs: writeback');
  writeFileSync(file, source(true, false));
  git('commit', '-qam', 'testfs: give up early when nothing is to be written\n\nSigned-off-by: Lockstep Test <test@example.org>');
  const patchName = '0001-testfs-give-up-early.patch';
  writeFileSync(join(dir, patchName), git('format-patch', '-1', 'HEAD', '--stdout'));
  writeFileSync(file, source(true, true));
  git('commit', '-qam', 'testfs: the same for sync writeback\n\nSigned-off-by: Lockstep Test <test@example.org>');
  // The reviewer's work tree has moved on: back at the patch's base, with local lines on top, so neither
  // the text nor the line numbers of the work-tree file are the patch's pre-image.
  const local = `/* local notes of the reviewer */\n/* ... */\n/* ... */\n${source(false, false)}`;
  writeFileSync(file, local);
  // Where a finding on the patch's added `return -EAGAIN;` lands in this copy: the line after the last
  // line it shares with the patch above it (`return 0;` of testfs_writepages).
  const lines = local.split('\n');
  const start = lines.findIndex((l) => l.startsWith('int testfs_writepages('));
  const shared = lines.findIndex((l, i) => i > start && l === '\t\treturn 0;');
  const begin = lines.findIndex((l, i) => i > start && l.includes('netfs_wb_begin(')) + 1;
  return { dir, rel, fileName: 'write.c', patchName, expectLine: shared + 2, beginLine: begin };
}

export async function gitTreeTests({ page, wb, test, assert, say, sleep, server, prepared }) {
  const treeItem = () => page.locator('.statusbar-item', { hasText: /linux: / }).first();

  await test('a kernel git repository as the workspace: the patch is analysed against its files in Restricted Mode', async () => {
    await page.goto(`${server.url}?folder=${encodeURIComponent(prepared.dir)}`);
    await wb.waitReady();
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: prepared.patchName }).first().waitFor({ timeout: 30_000 });
    await wb.openFile(prepared.patchName);
    await treeItem().waitFor({ timeout: 60_000 });
    const text = (await treeItem().textContent()) ?? '';
    say(`  status bar (Restricted Mode): ${text.trim()}`);
    assert(/linux: 1 file/.test(text) && !/blobs/.test(text), `status bar in Restricted Mode: ${text}`);
    await wb.screenshot('20-git-restricted');
  });

  await test('once trusted, the exact blobs: the status bar says 1/1 blobs', async () => {
    await wb.runCommand('Workspaces: Manage Workspace Trust');
    const trust = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust( Folder)?$/ }).first();
    await trust.waitFor({ timeout: 15_000 });
    await trust.click();
    await page.locator('.workspace-trust-editor .workspace-trust-header', { hasText: /trusted/i }).first().waitFor({ timeout: 15_000 }).catch(() => {});
    await wb.openFile(prepared.patchName);
    await page.locator('.statusbar-item', { hasText: /linux: 1\/1 blobs/ }).first().waitFor({ timeout: 60_000 });
    const tip = await treeItem().getAttribute('aria-label');
    say(`  status bar (trusted): ${((await treeItem().textContent()) ?? '').trim()} (${tip})`);
    await wb.screenshot('21-git-blobs');
  });

  await test('the finding shows in the C file of the tree at the matching line, though the work tree moved on', async () => {
    await wb.openFile(prepared.fileName);
    await wb.problemsFor(prepared.fileName);
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'wb lock' }).filter({ hasText: `Ln ${prepared.expectLine},` }).first();
    await row.waitFor({ timeout: 30_000 }).catch(async () => {
      throw new Error(`no C-file problem at Ln ${prepared.expectLine}: ${JSON.stringify(await page.locator('.markers-panel .monaco-list-row').allTextContents())}`);
    });
    const t = (await row.textContent()) ?? '';
    assert(/the patch adds this line here/.test(t), `the row does not say the line is the patch's: ${t}`);
    // The message names the acquiring line by its number in this copy, not in the patched file.
    assert(t.includes(`at line ${prepared.beginLine})`), `the message does not name line ${prepared.beginLine} of this copy: ${t}`);
    await page.keyboard.press('Control+1');
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(prepared.expectLine));
    await page.keyboard.press('Enter');
    await sleep(500);
    await wb.screenshot('22-git-c-file');
  });

  await test('Check commits… checks the branch as a series, each commit against its parent', async () => {
    await wb.runCommand('Lockstep: Check commits');
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'give up early' }).first();
    await pick.waitFor({ timeout: 15_000 });
    await wb.screenshot('23-check-commits-pick');
    await pick.click();
    await page.locator('.tabs-container .tab.active', { hasText: /Untitled/ }).first().waitFor({ timeout: 30_000 });
    await wb.problemsFor('Untitled');
    const rows = page.locator('.markers-panel .monaco-list-row', { hasText: 'wb lock' }).filter({ hasText: 'lockstep' });
    await rows.nth(1).waitFor({ timeout: 60_000 }).catch(async () => {
      throw new Error(`not two findings in the series: ${JSON.stringify(await page.locator('.markers-panel .monaco-list-row').allTextContents())}`);
    });
    await wb.screenshot('24-check-commits');
  });
}
