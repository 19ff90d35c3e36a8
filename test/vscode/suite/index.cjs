// Extension-host suite: runs inside VS Code with the extension under development loaded.
// No test framework: each case is an async function; failures are collected and reported.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const repo = path.resolve(__dirname, '..', '..', '..');
const example = vscode.Uri.file(path.join(repo, 'examples', 'netfs-wb-forgotten-end.patch'));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(fn, what, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const cases = {
  async 'a .patch file opens as patch-mail and activates the extension'() {
    const doc = await vscode.workspace.openTextDocument(example);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'patch-mail');
    const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'lockstep');
    assert.ok(ext, 'extension not found');
    await waitFor(() => ext.isActive, 'activation');
  },

  async 'the forgotten netfs_wb_end is a diagnostic on the early return'() {
    const text = (await vscode.workspace.openTextDocument(example)).getText().split('\n');
    const line = text.findIndex((l) => /^\+\s*return -EROFS;/.test(l));
    const diags = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(example).filter((x) => x.source === 'lockstep');
      return d.length ? d : null;
    }, 'lockstep diagnostics');
    const wb = diags.find((d) => typeof d.code === 'object' && d.code.value === 'wb-pairing');
    assert.ok(wb, JSON.stringify(diags.map((d) => d.message)));
    assert.equal(wb.range.start.line, line);
    assert.equal(wb.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(wb.relatedInformation && wb.relatedInformation.length > 0, 'no related information');
  },

  async 'code lenses name "Simulate this path" and the failing path'() {
    const lenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', example);
      return l && l.some((x) => x.command && /Simulate this path/.test(x.command.title)) ? l : null;
    }, 'code lenses');
    assert.ok(lenses.some((x) => x.command && /fails: returns -EROFS/.test(x.command.title)));
  },

  async 'the failing-path lens command opens the timeline panel'() {
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', example);
    const failing = lenses.find((x) => x.command && /fails/.test(x.command.title));
    await vscode.commands.executeCommand(failing.command.command, ...failing.command.arguments);
    await waitFor(() => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => /^Timeline: /.test(t.label))), 'timeline tab');
  },

  async 'hovering netfs_wb_begin explains the model'() {
    const doc = await vscode.workspace.openTextDocument(example);
    const line = doc.getText().split('\n').findIndex((l) => /netfs_wb_begin\(/.test(l));
    const col = doc.lineAt(line).text.indexOf('netfs_wb_begin') + 2;
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', example, new vscode.Position(line, col));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /acquires the wb-lock/);
  },
};

exports.run = async function run() {
  const failures = [];
  for (const [name, fn] of Object.entries(cases)) {
    try {
      await fn();
      console.log(`ok - ${name}`);
    } catch (e) {
      failures.push(name);
      console.log(`not ok - ${name}\n  ${e && e.stack ? e.stack : e}`);
    }
  }
  console.log(`${Object.keys(cases).length - failures.length} passed, ${failures.length} failed`);
  if (failures.length) throw new Error(`${failures.length} extension-host test(s) failed`);
};
