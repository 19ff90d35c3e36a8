// Issue 8 in the real VS Code: hostile mail (nothing from it executes, everything shows as text), a
// ~50 MB mbox opened while the user types in another editor, and the extension working in Restricted
// Mode. Called by run.mjs: prepareRobust() while it builds the workspace, robustTests() at the end.
import { copyFileSync, linkSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeMbox } from '../fixtures/robust/gen.mjs';
import { makeSeries } from '../../bench/series.mjs';

export const HOSTILE = 'hostile.patch';
export const BIG = 'big-50mb.mbox';
export const SCRATCH = 'scratch-notes.txt';
/** A 30-patch series whose first patch returns with the wb lock held (issue 14: first diagnostics early). */
export const SERIES = 'series-30.mbox';
const SERIES_PATCHES = 30;
/** The same bytes under a name no Lockstep feature looks at: VS Code's own cost of a big file. */
export const CONTROL = 'big-50mb.log';
/** Just under VS Code's 50 MiB limit for syncing a document to the extension host. */
const BIG_BYTES = 50_000_000;
/** A keystroke that takes longer than this to show means a frozen editor. */
const MAX_KEY_MS = 2000;
/** The helper gives up waiting for a keystroke after this long: the editor hung. */
const HANG_MS = 30_000;
// C0/C1 controls (but tab/newline), zero-width and bidi characters, as the core's bidi check sees them.
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/** Copies the hostile mail, writes the big mbox (never in the repo: into the temp workspace) and a scratch file. */
export function prepareRobust(workspace, repo) {
  copyFileSync(join(repo, 'test', 'fixtures', 'robust', HOSTILE), join(workspace, HOSTILE));
  const messages = writeMbox(join(workspace, BIG), BIG_BYTES);
  try {
    linkSync(join(workspace, BIG), join(workspace, CONTROL));
  } catch {
    copyFileSync(join(workspace, BIG), join(workspace, CONTROL));
  }
  writeFileSync(join(workspace, SCRATCH), 'Notes while the big mbox loads:\n');
  writeFileSync(join(workspace, SERIES), makeSeries(SERIES_PATCHES, 8, { buggy: [0] }));
  const lines = readFileSync(join(repo, 'test', 'fixtures', 'robust', HOSTILE), 'utf8').split('\n');
  const firstDiff = lines.findIndex((l) => l.startsWith('diff --git '));
  return {
    messages,
    findingLine: lines.findIndex((l) => l === '+\t\treturn ret;') + 1,
    functionLine: lines.findIndex((l) => /^ int examplefs_send_tag\(/.test(l)) + 1,
    // Diff body lines (added, removed, context) that carry a hidden character: each must be a bidi-control problem.
    bidiLines: lines.map((l, i) => (i > firstDiff && /^[-+ ]/.test(l) && !/^(---|\+\+\+) /.test(l) && HIDDEN.test(l) ? i + 1 : 0)).filter(Boolean),
  };
}

/** Number of terminals the workbench shows (xterm instances), to prove no `command:` link opened one. */
function terminalCount(page) {
  return page.evaluate(() => document.querySelectorAll('.terminal-wrapper, .xterm').length);
}

export async function robustTests({ page, wb, test, assert, say, figures, sleep, prepared }) {
  const dialogs = [];
  const onDialog = (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => {});
  };
  page.on('dialog', onDialog);
  const popups = [];
  const onPopup = (p) => popups.push(p.url());
  page.on('popup', onPopup);
  const terminalsBefore = await terminalCount(page);
  const SENTINEL = '<img src=x onerror=alert(1)>';

  await test(`${HOSTILE}: its finding and every bidi/control line are in the Problems panel, as text`, async () => {
    assert(prepared.findingLine > 0, 'fixture has no "+\\t\\treturn ret;" line');
    assert(prepared.bidiLines.length >= 3, `fixture has too few hidden-character lines: ${prepared.bidiLines}`);
    // The probe: the dialog hook does see an alert, so an empty list at the end means none happened.
    await page.evaluate(() => { setTimeout(() => alert('lockstep-probe'), 0); });
    for (let i = 0; i < 40 && !dialogs.length; i++) await sleep(50);
    assert(dialogs.length === 1 && dialogs[0].includes('lockstep-probe'), `the dialog hook does not work: ${dialogs}`);
    dialogs.length = 0;
    await wb.openFile(HOSTILE);
    await page.waitForFunction(() => /Patch mail/.test(document.querySelector('#status\\.editor\\.mode')?.textContent ?? ''), null, { timeout: 20_000 });
    await wb.problemsFor(HOSTILE);
    const rows = page.locator('.markers-panel .monaco-list-row');
    const finding = rows.filter({ hasText: 'wb lock' }).filter({ hasText: `Ln ${prepared.findingLine},` }).first();
    await finding.waitFor({ timeout: 60_000 }).catch(async () => {
      throw new Error(`no wb-lock finding at Ln ${prepared.findingLine}: ${JSON.stringify(await rows.allTextContents())}`);
    });
    const ft = (await finding.textContent()) ?? '';
    assert(ft.includes(SENTINEL), `the finding row does not quote the hostile condition as text: ${ft}`);
    assert(!/[\u202a-\u202e\u2066-\u2069\u001b]/.test(ft), `raw bidi/escape characters in the Problems row: ${JSON.stringify(ft)}`);
    for (const line of prepared.bidiLines) {
      const row = rows.filter({ hasText: 'bidi or control characters' }).filter({ hasText: `Ln ${line},` }).first();
      await row.waitFor({ timeout: 10_000 }).catch(async () => {
        throw new Error(`no bidi-control problem at Ln ${line}: ${JSON.stringify(await rows.allTextContents())}`);
      });
    }
    const markup = await page.locator('.markers-panel script, .markers-panel img, .markers-panel a[href^="javascript:"], .markers-panel a[href^="command:"]').count();
    assert(markup === 0, `${markup} element(s) from the mail became markup in the Problems panel`);
    say(`  finding at Ln ${prepared.findingLine}; bidi-control problems at Ln ${prepared.bidiLines.join(', ')}`);
    await wb.screenshot('20-hostile-problems');
  });

  await test(`${HOSTILE}: the finding's hover shows the hostile text as text, with no live command: or javascript: link`, async () => {
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'wb lock' }).first().dblclick();
    await sleep(500);
    const squiggle = page.locator('.editor-group-container.active .monaco-editor .squiggly-error').first();
    await squiggle.waitFor({ state: 'attached', timeout: 10_000 });
    const hover = page.locator('.monaco-hover-content', { hasText: 'wb lock' }).first();
    // The editor opens a hover on a mouse move: start from elsewhere (the pointer may already rest
    // where the squiggle is, from an earlier test, and then no move happens), and move in again as a
    // person would if the first approach did not open it.
    for (let attempt = 0; ; attempt++) {
      await page.mouse.move(5, 5);
      await squiggle.hover({ force: true });
      const shown = await hover.waitFor({ state: 'visible', timeout: attempt < 2 ? 4000 : 10_000 }).then(() => true, (e) => (attempt < 2 ? false : Promise.reject(e)));
      if (shown) break;
    }
    const t = (await hover.textContent()) ?? '';
    assert(t.includes(SENTINEL), `hover does not show ${SENTINEL} as text: ${t}`);
    // A bidi override quoted from the mail must not reverse the rest of the hover: it shows as a mark.
    assert(!/[\u202a-\u202e\u2066-\u2069\u001b]/.test(t), `raw bidi/escape characters in the hover: ${JSON.stringify(t)}`);
    assert(t.includes('[U+202E]'), `the hover does not mark the bidi override: ${t}`);
    const bad = await hover.evaluate((el) =>
      [...el.querySelectorAll('script, img, iframe, a')]
        .filter((e) => e.tagName !== 'A' || /^(javascript|command):|terminal/i.test(`${e.getAttribute('href') ?? ''} ${e.getAttribute('data-href') ?? ''}`))
        .map((e) => e.outerHTML.slice(0, 120)),
    );
    assert(bad.length === 0, `live markup in the hover: ${bad.join(' | ')}`);
    await wb.screenshot('21-hostile-hover');
    await page.keyboard.press('Escape');
  });

  await test(`${HOSTILE}: the lens is plain text and opens the timeline, where the mail's strings are text and nothing ran`, async () => {
    await wb.openFile(HOSTILE);
    await page.keyboard.press('Control+1');
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(prepared.functionLine));
    await page.keyboard.press('Enter');
    const lens = page.locator('.editor-group-container.active .contentWidgets .codelens-decoration a', { hasText: / of \d+ paths? fails?:/ }).first();
    await lens.waitFor({ state: 'visible', timeout: 20_000 });
    await lens.hover();
    await sleep(400);
    const lensHtml = await page.locator('.editor-group-container.active .contentWidgets .codelens-decoration').first().evaluate((e) => e.innerHTML);
    assert(!/<(script|img|iframe)\b|href="(javascript|command):/i.test(lensHtml), `lens markup: ${lensHtml.slice(0, 300)}`);
    await wb.screenshot('22-hostile-lens');
    await lens.click();
    const f = await wb.webviewFrame();
    await f.waitForSelector('button.event.violation.selected', { timeout: 20_000 });
    const text = await f.evaluate(() => document.body.textContent ?? '');
    assert(text.includes('<script>alert(1)</script>') || text.includes(SENTINEL), `the timeline does not show the mail's strings as text: ${text.slice(0, 400)}`);
    const elements = await f.evaluate(() => [...document.querySelectorAll('#app script, #app img, #app iframe, #app a[href], #app [onerror]')].map((e) => e.outerHTML.slice(0, 120)));
    assert(elements.length === 0, `elements from the mail in the timeline: ${elements.join(' | ')}`);
    const app = await f.evaluate(() => document.querySelector('#app')?.textContent ?? '');
    assert(!/[\u202a-\u202e\u2066-\u2069\u001b]/.test(app), `raw bidi/escape characters drawn in the timeline: ${JSON.stringify(app.slice(0, 300))}`);
    assert(app.includes('[U+202E]'), 'the timeline does not mark the bidi override in the mail\'s strings');
    const sentinel = await f.evaluate(() => window.__lockstep_pwned);
    assert(sentinel === undefined, 'a script from the mail ran in the webview');
    await wb.screenshot('23-hostile-timeline');
  });

  await test(`${HOSTILE}: the Patch series view shows its subject and file names as text; clicking them only reveals lines`, async () => {
    await wb.openFile(HOSTILE);
    await wb.focusWorkbench();
    await page.keyboard.press('Control+Shift+E');
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /Patch series/i }) });
    await view.waitFor({ timeout: 15_000 });
    const header = view.locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const subject = view.locator('.monaco-list-row', { hasText: '<script>alert(1)</script>' }).first();
    await subject.waitFor({ timeout: 10_000 });
    const file = view.locator('.monaco-list-row', { hasText: 'javascript:alert(1)' }).first();
    await file.waitFor({ timeout: 10_000 });
    await file.click();
    await sleep(500);
    const markup = await view.evaluate((el) => [...el.querySelectorAll('script, img, iframe, a[href]')].map((e) => e.outerHTML.slice(0, 120)));
    assert(markup.length === 0, `markup from the mail in the Patch series view: ${markup.join(' | ')}`);
    await page.locator('.tabs-container .tab.active', { hasText: HOSTILE }).first().waitFor({ timeout: 5000 });
    await wb.screenshot('22b-hostile-series');
  });

  await test(`${HOSTILE}: nothing from the mail executed: no dialog, no popup, no new terminal`, async () => {
    await sleep(500);
    assert(dialogs.length === 0, `dialogs opened: ${dialogs.join(' | ')}`);
    assert(popups.length === 0, `windows opened: ${popups.join(' | ')}`);
    const after = await terminalCount(page);
    assert(after === terminalsBefore, `terminals before ${terminalsBefore}, after ${after}`);
    assert((await page.evaluate(() => window.__lockstep_pwned)) === undefined, 'a script from the mail ran in the workbench');
  });

  await test('the extension runs in Restricted Mode: the status bar says so and Lockstep findings are shown', async () => {
    await wb.openFile(HOSTILE);
    const restricted = page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first();
    await restricted.waitFor({ state: 'visible', timeout: 10_000 });
    const status = page.locator('.statusbar-item', { hasText: 'Lockstep' }).first();
    await status.waitFor({ state: 'visible', timeout: 20_000 });
    const label = (await status.getAttribute('aria-label')) ?? (await status.textContent()) ?? '';
    assert(/Lockstep: [1-9]\d* errors?/.test(label), `Lockstep status item: ${label}`);
    await wb.screenshot('24-restricted-mode');
  });

  await test(`a ${Math.round(BIG_BYTES / 1e6)} MB mbox opens while the user types in another editor: no keystroke waits on Lockstep`, async () => {
    // The control: the same bytes under a name Lockstep ignores (.log), so VS Code's own cost of
    // loading a file this large in the browser is measured on this machine, then the mbox.
    const control = await typeWhileOpening(page, wb, sleep, CONTROL, { until: async () => true, minKeys: 30 });
    const problemsBefore = await problemsCount(page);
    const run = await typeWhileOpening(page, wb, sleep, BIG, { until: async () => (await problemsCount(page)) > problemsBefore, minKeys: 30 });
    const stats = (r) => {
      const s = [...r.lat].sort((a, b) => a - b);
      return `${r.lat.length} keys, median ${s[s.length >> 1]} ms, max ${s[s.length - 1]} ms, longest main-thread task ${r.longTask} ms; text shown after ${r.shownAt ?? 'never'} ms`;
    };
    const max = Math.max(...run.lat);
    const controlMax = Math.max(...control.lat);
    // After the big editor shows its text, VS Code's load is over: what remains (the analysis) must not block typing.
    const afterShown = run.lat.filter((_, i) => run.at[i] > (run.shownAt ?? Infinity) + 1000);
    const afterMax = afterShown.length ? Math.max(...afterShown) : 0;
    figures['vscode.robust.typingLatency.ms'] = { value: max, unit: 'ms' };
    figures['vscode.robust.typingLatencyControl.ms'] = { value: controlMax, unit: 'ms' };
    figures['vscode.robust.typingLatencyDuringAnalysis.ms'] = { value: afterMax, unit: 'ms' };
    figures['vscode.robust.bigMboxDiagnostics.ms'] = { value: run.doneAt ?? -1, unit: 'ms' };
    say(`  control ${CONTROL} (not analysed): ${stats(control)}`);
    say(`  ${BIG}: ${stats(run)}; diagnostics after ${run.doneAt ?? 'never'} ms; max while analysing ${afterMax} ms`);
    assert(run.doneAt !== null, 'the big mbox gave no diagnostics within 120 s');
    assert(run.progressSeen, `the status bar never said "Lockstep: analysing ${BIG}" while it loaded`);
    assert(afterShown.length >= 5, `only ${afterShown.length} keystroke(s) fell in the analysis: nothing measured`);
    assert(afterMax <= MAX_KEY_MS, `while Lockstep analysed the mbox a keystroke took ${afterMax} ms (limit ${MAX_KEY_MS} ms): ${run.lat.join(',')}`);
    // Before the text shows, VS Code itself is loading the file in the browser (Lockstep runs in the
    // extension host, another process, and has no document yet): its freeze there varies from run to
    // run and machine to machine (3–18 s seen, the control shows it), so it is compared with the
    // control's on the same machine in the same minute, not with a fixed figure: the browser's longest
    // main-thread task may not be much longer than the control's, and the editor must never hang.
    const taskLimit = Math.max(2 * control.longTask, control.longTask + 3000);
    assert(run.longTask <= taskLimit, `opening the mbox blocked the browser for ${run.longTask} ms, the control ${control.longTask} ms (limit ${taskLimit} ms)`);
    assert(max < HANG_MS, `a keystroke never showed (${max} ms): ${run.lat.join(',')}`);
  });

  await test(`the ${Math.round(BIG_BYTES / 1e6)} MB mbox shows a partial result: findings, the Lockstep status and the limit that was hit`, async () => {
    await page.keyboard.press('Control+1');
    await page.locator('.tabs-container .tab.active', { hasText: BIG }).first().waitFor({ timeout: 10_000 });
    const status = page.locator('.statusbar-item', { hasText: 'Lockstep' }).first();
    await status.waitFor({ state: 'visible', timeout: 30_000 });
    const label = (await status.getAttribute('aria-label')) ?? '';
    assert(/Lockstep: [1-9]\d* errors?/.test(label), `status for the mbox: ${label}`);
    await wb.problemsFor('limit');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: BIG }).first();
    const limit = page.locator('.markers-panel .monaco-list-row', { hasText: /limit \(\d+\) was reached|time budget/ }).first();
    await limit.waitFor({ timeout: 90_000 }).catch(async () => {
      throw new Error(`no limit problem: ${JSON.stringify(await page.locator('.markers-panel .monaco-list-row').allTextContents())}`);
    });
    await row.waitFor({ timeout: 5000 });
    say(`  ${label}; ${((await limit.textContent()) ?? '').slice(0, 160)}`);
    await wb.screenshot('26-big-mbox-limit');
  });

  await test(`a ${SERIES_PATCHES}-patch series shows its first patch's errors while the rest is still analysed`, async () => {
    await wb.runCommand('View: Close All Editors');
    const status = page.locator('.statusbar-item', { hasText: 'Lockstep' }).first();
    await wb.openFile(SERIES);
    const t0 = Date.now();
    // The status item's label, sampled until the analysis is done (no "analysing" in it).
    const samples = [];
    let firstErrorsAt = null;
    let partialShot = false;
    for (;;) {
      const label = (await status.getAttribute('aria-label', { timeout: 1000 }).catch(() => '')) ?? '';
      const ms = Date.now() - t0;
      if (label && samples[samples.length - 1]?.label !== label) samples.push({ ms, label });
      const m = /Lockstep: (\d+) errors?.*analysing (\d+) of (\d+) messages/.exec(label);
      if (m && Number(m[1]) > 0 && firstErrorsAt === null) {
        firstErrorsAt = ms;
        assert((await problemsCount(page)) > 0, 'the status counts errors but the Problems panel has none');
        if (!partialShot) { partialShot = true; await wb.screenshot('27-series-partial'); }
      }
      if (label && !/analysing/.test(label) && samples.some((x) => /analysing/.test(x.label))) break;
      assert(ms < 180_000, `the series was not done in 180 s: ${JSON.stringify(samples.slice(-3))}`);
      await sleep(50);
    }
    const done = samples[samples.length - 1];
    say(`  ${samples.length} status labels; first errors after ${firstErrorsAt} ms, done after ${done.ms} ms: ${done.label}`);
    assert(firstErrorsAt !== null, `no partial result with errors was shown: ${JSON.stringify(samples)}`);
    assert(firstErrorsAt < done.ms, 'the first errors came with the final report');
    assert(/Lockstep: 24 errors/.test(done.label), `final: ${done.label}`);
    figures['vscode.series30.firstErrors.ms'] = { value: firstErrorsAt, unit: 'ms (open → the first patch\'s errors in the status bar)' };
    figures['vscode.series30.done.ms'] = { value: done.ms, unit: 'ms (open → the whole series analysed)' };
  });

  page.off('dialog', onDialog);
  page.off('popup', onPopup);
}

/** Errors + warnings + infos in the status bar's problems item (all files). */
async function problemsCount(page) {
  const label = (await page.locator('#status\\.problems').first().getAttribute('aria-label').catch(() => '')) ?? '';
  return (label.match(/\d+/g) ?? []).reduce((a, n) => a + Number(n), 0);
}

/**
 * Scratch file on the right, `name` opened on the left (answering VS Code's large-file question), then
 * types into the scratch file, one key at a time, timing each key until it shows, until `until()` holds
 * and `minKeys` were typed (at most 120 s). Returns { lat, at, shownAt, doneAt, longTask } (ms from opening).
 */
async function typeWhileOpening(page, wb, sleep, name, { until, minKeys }) {
  await wb.runCommand('View: Close All Editors');
  await wb.openFile(SCRATCH);
  await wb.runCommand('View: Split Editor Right');
  await page.locator('.editor-group-container').nth(1).waitFor({ timeout: 10_000 });
  await page.evaluate(() => {
    window.__lsLongTask = 0;
    try {
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lsLongTask = Math.max(window.__lsLongTask, Math.round(e.duration)); }).observe({ type: 'longtask' });
    } catch {}
  });
  await wb.openFile(name); // into group 1
  const tOpen = Date.now();
  // VS Code for the browser asks before showing a file this large: answer as a person would.
  const anyway = page.locator('.monaco-button', { hasText: 'Open Anyway' }).first();
  if (await anyway.waitFor({ timeout: 5000 }).then(() => true, () => false)) await anyway.click();
  await page.keyboard.press('Control+2');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  const right = page.locator('.editor-group-container').nth(1).locator('.view-lines').first();
  const left = page.locator('.editor-group-container').first();
  const out = { lat: [], at: [], shownAt: null, doneAt: null, longTask: 0, progressSeen: false };
  const progress = page.locator('.statusbar-item', { hasText: `Lockstep: analysing ${name}` });
  const phrase = 'typing while the big file loads ';
  let typed = '';
  for (let i = 0; ; i++) {
    const ch = phrase[i % phrase.length];
    const want = (typed + ch).slice(-16).replace(/ /g, '\u00a0');
    const t0 = Date.now();
    await page.keyboard.type(ch);
    await right.evaluate((el, [w, hang]) => new Promise((res) => {
      const ok = () => (el.textContent ?? '').includes(w);
      if (ok()) return res();
      const mo = new MutationObserver(() => { if (ok()) { mo.disconnect(); res(); } });
      mo.observe(el, { childList: true, subtree: true, characterData: true });
      setTimeout(() => { mo.disconnect(); res(); }, hang); // reported as a HANG_MS keystroke, never a hang
    }), [want, HANG_MS]);
    out.lat.push(Date.now() - t0);
    out.at.push(t0 - tOpen);
    typed += ch;
    if (out.shownAt === null && /From.0{40}/.test((await left.locator('.view-lines').first().textContent({ timeout: 1000 }).catch(() => '')) ?? '')) out.shownAt = Date.now() - tOpen;
    if (!out.progressSeen && (await progress.count()) > 0) out.progressSeen = true;
    if (out.doneAt === null && out.shownAt !== null && (await until())) out.doneAt = Date.now() - tOpen;
    if (i + 1 >= minKeys && out.doneAt !== null) break;
    if (Date.now() - tOpen > 120_000) break;
    if (i === 20) await wb.screenshot(`25-typing-${name.replace(/\W+/g, '-')}`);
    await sleep(150);
  }
  out.longTask = await page.evaluate(() => window.__lsLongTask ?? 0);
  return out;
}
