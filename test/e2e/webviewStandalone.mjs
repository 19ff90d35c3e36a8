// The timeline webview bundle (dist/webview.js + media/timeline.css) in plain Chromium, outside VS Code:
// a page that provides acquireVsCodeApi and the theme variables, fed a fixture model by postMessage.
// Used by run.mjs (light/dark/high-contrast screenshots, keyboard, text-only rendering).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const THEMES = {
  dark: { class: 'vscode-dark', vars: { foreground: '#cccccc', 'editor-background': '#1f1f1f', descriptionForeground: '#9d9d9d', 'panel-border': '#2b2b2b', focusBorder: '#0078d4', 'editorError-foreground': '#f85149', 'editorWarning-foreground': '#cca700', 'testing-iconPassed': '#73c991', 'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c', 'editorWidget-background': '#202020', 'list-hoverBackground': '#2a2d2e', 'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff', 'charts-blue': '#3794ff', 'charts-purple': '#b180d7', 'charts-orange': '#d18616', 'charts-green': '#89d185', 'charts-yellow': '#cca700', 'charts-red': '#f14c4c', 'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'inputValidation-errorBackground': '#5a1d1d', 'editor-selectionHighlightBackground': '#add6ff26', 'textLink-foreground': '#4daafc', 'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace' } },
  light: { class: 'vscode-light', vars: { foreground: '#3b3b3b', 'editor-background': '#ffffff', descriptionForeground: '#717171', 'panel-border': '#e5e5e5', focusBorder: '#005fb8', 'editorError-foreground': '#e51400', 'editorWarning-foreground': '#bf8803', 'testing-iconPassed': '#388a34', 'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc', 'editorWidget-background': '#f8f8f8', 'list-hoverBackground': '#f2f2f2', 'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000', 'charts-blue': '#1a85ff', 'charts-purple': '#652d90', 'charts-orange': '#d18616', 'charts-green': '#388a34', 'charts-yellow': '#bf8803', 'charts-red': '#e51400', 'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', 'inputValidation-errorBackground': '#f2dede', 'editor-selectionHighlightBackground': '#add6ff80', 'textLink-foreground': '#005fb8', 'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace' } },
};
THEMES['high-contrast'] = {
  class: 'vscode-high-contrast',
  vars: { ...THEMES.dark.vars, foreground: '#ffffff', 'editor-background': '#000000', 'panel-border': '#6fc3df', contrastBorder: '#6fc3df', focusBorder: '#f38518', 'editorWidget-background': '#0c141f', 'list-activeSelectionBackground': '#000000' },
};

export async function openStandalone(browser, repo, theme = 'dark', state = undefined) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
  const t = THEMES[theme];
  const vars = Object.entries(t.vars).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
  const css = readFileSync(join(repo, 'media', 'timeline.css'), 'utf8');
  await page.setContent(`<!DOCTYPE html><html><head><style>html { ${vars} }\n${css}</style></head><body class="${t.class}"><main id="app"></main></body></html>`);
  await page.evaluate((saved) => {
    window.__posted = [];
    window.__state = saved;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(m),
      getState: () => window.__state,
      setState: (s) => (window.__state = s),
    });
  }, state);
  await page.addScriptTag({ content: readFileSync(join(repo, 'dist', 'webview.js'), 'utf8') });
  return page;
}

export async function show(page, model) {
  await page.evaluate((m) => window.postMessage({ type: 'show', model: m }, '*'), model);
  await page.waitForSelector('button.event');
}
