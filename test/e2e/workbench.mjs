// Driving the VS Code workbench in Chromium like a person: quick open, command palette, panels,
// code lenses, the webview's inner frame, screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Workbench {
  constructor(page, shotsDir) {
    this.page = page;
    this.shotsDir = shotsDir;
    mkdirSync(shotsDir, { recursive: true });
    this.shots = [];
  }

  async waitReady(timeout = 90_000) {
    await this.page.waitForSelector('.monaco-workbench', { timeout });
    // The explorer (or the status bar) shows once the remote extension host is connected.
    await this.page.waitForSelector('.statusbar', { timeout });
    await sleep(1500);
  }

  async screenshot(name) {
    const file = join(this.shotsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    this.shots.push(file);
    return file;
  }

  /** Moves keyboard focus out of any webview iframe back to the workbench (the activity bar). */
  async focusWorkbench() {
    await this.closeQuickInput();
    await this.page.evaluate(() => {
      const el = document.querySelector('.part.activitybar .action-item.checked [tabindex], .part.activitybar .action-item.checked, .part.activitybar [role="tab"]');
      if (el instanceof HTMLElement) el.focus();
    });
  }

  async quickInput(prefixKeys, text) {
    await this.focusWorkbench();
    await this.page.keyboard.press(prefixKeys);
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(text);
    return input;
  }

  /** Opens a workspace file by name through Quick Open (Ctrl+P), in the first editor group. */
  async openFile(name) {
    await this.focusWorkbench();
    await this.page.keyboard.press('Control+1');
    await this.quickInput('Control+P', name);
    // Wait for the filtered list: the focused (first) row must be the file, not a stale recent entry.
    const row = this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout: 15_000 });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 15_000 });
  }

  /** Runs a command by its palette title. */
  async runCommand(title) {
    await this.quickInput('Control+Shift+P', `>${title}`);
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: exact }) }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await row.click();
    await sleep(300);
  }

  async closeQuickInput() {
    if (await this.page.locator('.quick-input-widget').isVisible()) await this.page.keyboard.press('Escape');
  }

  /** The language shown in the status bar for the active editor. */
  async languageMode() {
    const item = this.page.locator('#status\\.editor\\.mode');
    return (await item.textContent({ timeout: 5000 }))?.trim() ?? '';
  }

  /** "Ln 12, Col 3" → { line: 12, col: 3 } from the status bar. */
  async cursor() {
    const t = (await this.page.locator('#status\\.editor\\.selection').textContent({ timeout: 5000 })) ?? '';
    const m = /Ln (\d+), Col (\d+)/.exec(t);
    return m ? { line: Number(m[1]), col: Number(m[2]) } : null;
  }

  codeLenses(text) {
    return this.page.locator('.contentWidgets .codelens-decoration a', { hasText: text });
  }

  /** The content frame of the (active) webview: iframe.webview → #active-frame. */
  async webviewFrame(timeout = 20_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
      // The visible webview (hidden ones may linger in the DOM).
      const outers = await this.page.locator('iframe.webview').elementHandles();
      for (const outer of outers.reverse()) {
        if (!(await outer.isVisible())) continue;
        const outerFrame = await outer.contentFrame();
        const inner = await outerFrame?.$('#active-frame');
        const frame = await inner?.contentFrame();
        if (frame && (await frame.$('#app'))) return frame;
      }
      if (Date.now() > deadline) throw new Error('no visible webview');
      await sleep(250);
    }
  }

  /** Opens the Problems panel filtered to one file (its list is virtualised: rows out of view are not in the DOM). */
  async problemsFor(fileName) {
    await this.focusWorkbench();
    await this.page.keyboard.press('Control+Shift+M');
    const filter = this.page.getByPlaceholder(/^Filter \(e\.g\./).filter({ visible: true }).first();
    await filter.waitFor({ timeout: 10_000 });
    // The panel can re-render its filter box while it opens (restoring the previous filter text), so the
    // text is typed again until the visible box still holds it.
    for (let i = 0; i < 5; i++) {
      await filter.fill(fileName);
      await sleep(300);
      if ((await filter.inputValue().catch(() => '')) === fileName) return;
    }
    throw new Error(`the Problems filter does not keep "${fileName}"`);
  }

  /** Opens the Problems panel and returns the rows' texts. */
  async problems(filter) {
    await this.focusWorkbench();
    await this.page.keyboard.press('Control+Shift+M');
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: 20_000 }).catch(() => {});
    const texts = await rows.allTextContents();
    return filter ? texts.filter((t) => t.includes(filter)) : texts;
  }
}
