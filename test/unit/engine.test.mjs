// The path search engine on kernel-style C of our own: state merging keeps thousands of paths to a
// few witnesses, loops reach a fixpoint, a reassigned variable is a new object, and partial functions
// say what they cannot see (continue/break with an unseen loop, gotos to unseen labels, hunks whose
// heading is not a function). The expectations were written before the engine was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const core = require(join(root, 'dist', 'core.js'));
const wasmDir = join(root, 'dist');
const fx = (dir, f) => readFileSync(join(root, 'test', 'fixtures', 'checks', dir, f), 'utf8');
await core.initTreeSitter(wasmDir);

test('engine: a 12-rung ladder inside a goto-retry loop (over 8000 paths) is a few dozen states, not truncated', () => {
  // What the simulator models (here: the folio API) splits states; the rest merges.
  const relevantCall = (name) => /^folio_/.test(name);
  const [f] = core.analyzeSource(fx('folio-lock-retry-ladder-leak', 'after.c'), 'fs/demofs/write.c', 'post', { functions: ['demofs_prepare_folio'], relevantCall });
  assert.equal(f.truncated, false);
  assert.ok(f.states < 200, `states ${f.states}`);
  assert.ok(f.paths.length < 50, `witnesses ${f.paths.length}`);
  // The early return behind the first rung's else is among the witnesses.
  assert.ok(f.paths.some((p) => p.end === 'return' && p.returnExpr === '-ENOSPC'));
  // And the retry: a witness that goes round the loop once and returns.
  assert.ok(f.paths.some((p) => p.end === 'return' && p.steps.filter((s) => s.kind === 'call' && s.call.name === 'folio_lock').length === 2));
});

test('engine: the ladder leak is found from the patch, introduced, at the return', async () => {
  const r = await core.checkText(fx('folio-lock-retry-ladder-leak', 'patch.patch'), 'ladder.patch', { wasmDir });
  const f = r.findings.filter((x) => x.check === 'folio-lock' && x.status === 'introduced');
  assert.equal(f.length, 1, JSON.stringify(r.findings, null, 1));
  assert.match(f[0].message, /returns -ENOSPC/);
  assert.ok(r.functions.every((x) => !x.truncated && x.states > 0));
});

test('engine: a folio variable assigned per iteration names a new folio each time (no double unlock)', async () => {
  const r = await core.checkText(fx('folio-lock-loop-reassign-ok', 'patch.patch'), 'reassign.patch', { wasmDir });
  assert.deepEqual(r.findings.filter((x) => x.severity !== 'info'), []);
});

test('engine: a folio still locked when its variable is overwritten is a leak on that iteration', async () => {
  const r = await core.checkText(fx('folio-lock-loop-skip-leak', 'patch.patch'), 'skip.patch', { wasmDir });
  const over = r.findings.find((x) => x.check === 'folio-lock' && /is overwritten/.test(x.message));
  assert.ok(over, JSON.stringify(r.findings, null, 1));
  assert.equal(over.status, 'introduced');
  assert.equal(over.severity, 'error');
  // Not also a "self-deadlock" on the next folio_lock of a different folio.
  assert.ok(!r.findings.some((x) => x.check === 'lock-order'), JSON.stringify(r.findings.map((x) => x.message)));
});

test('engine: continue with an unseen loop head ends in unseen code and the leak is a note that says so', async () => {
  const text = fx('folio-lock-continue-unseen-head', 'patch.patch');
  const parsed = core.parseInput(text, 'cont.patch');
  const [f] = core.analyzeFileDiff(parsed.messages[0].files[0], 'post');
  const cont = f.paths.filter((p) => p.end === 'unknown-exit' && p.steps.at(-1).text === 'continue: the loop head is not shown');
  assert.equal(cont.length, 1);
  // It never falls through into the lines after the continue.
  assert.ok(!cont[0].steps.some((s) => s.kind === 'call' && s.call.name === 'demofs_write_folio'));
  const r = await core.checkText(text, 'cont.patch', { wasmDir });
  const n = r.findings.find((x) => x.check === 'folio-lock');
  assert.equal(n.severity, 'info');
  assert.match(n.message, /depends on the loop head that the patch does not show; run with --tree/);
});

test('engine: a goto to an unseen label named for unlocking after an unlock is a hint, labelled as one', async () => {
  const r = await core.checkText(fx('folio-lock-goto-unseen-label', 'patch.patch'), 'goto.patch', { wasmDir });
  const n = r.findings.filter((x) => x.check === 'folio-lock');
  assert.equal(n.length, 1, JSON.stringify(r.findings, null, 1));
  assert.equal(n[0].severity, 'info');
  assert.match(n[0].message, /hint from the label's name/);
  assert.match(n[0].message, /the code at out_unlock/);
});

test('engine: a goto to an unseen label that does not say it unlocks gives no hint', async () => {
  const text = fx('folio-lock-goto-unseen-label', 'patch.patch').replace(/goto out_unlock;/g, 'goto out;').replace(/out_unlock:/g, 'out:');
  const r = await core.checkText(text, 'goto-out.patch', { wasmDir });
  assert.deepEqual(r.findings.filter((x) => x.check === 'folio-lock' && /hint/.test(x.message)), []);
});

const LABEL_HUNK = `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: A Developer <dev@example.org>
Date: Mon, 2 Nov 2026 10:00:00 +0000
Subject: [PATCH] demofs: Unlock before retrying

---
diff --git a/fs/demofs/read.c b/fs/demofs/read.c
--- a/fs/demofs/read.c
+++ b/fs/demofs/read.c
@@ -40,6 +40,7 @@ io_retry:
 		if (!demofs_add_folio(io, folio))
 			goto io_retry;
 		attached++;
+		folio_unlock(folio);
 		io->pos += len;
 	}
 	return err;
`;

test('engine: a hunk headed by a label, not a function, reports a problem naming the hunk', async () => {
  const r = await core.checkText(LABEL_HUNK, 'label.patch', { wasmDir });
  const p = r.problems.find((x) => x.kind === 'unknown-function');
  assert.ok(p, JSON.stringify(r.problems, null, 1));
  assert.match(p.message, /@@ -40,6 \+40,7 @@/);
  assert.match(p.message, /headed by a label \('io_retry:'\)/);
  assert.deepEqual(r.findings, []);
});

test('engine: the JSON contract gains states; paths counts witnesses', async () => {
  const r = await core.checkText(fx('folio-lock-loop-skip-leak', 'patch.patch'), 'skip.patch', { wasmDir });
  for (const f of r.functions) {
    assert.equal(typeof f.states, 'number');
    assert.equal(typeof f.paths, 'number');
    assert.ok(f.paths > 0 && f.states > 0);
  }
});

test('engine: helpers the patch defines that change nothing modelled do not split states (the leak behind them is found)', async () => {
  const r = await core.checkText(fx('folio-lock-helper-ladder-leak', 'patch.patch'), 'helpers.patch', { wasmDir });
  const fn = r.functions.find((f) => f.name === 'demofs_fill_folio' && f.side === 'post');
  assert.equal(fn.truncated, false);
  assert.ok(fn.states < 200, `states ${fn.states}`);
  const leak = r.findings.filter((x) => x.check === 'folio-lock' && x.status === 'introduced' && x.severity === 'error');
  assert.equal(leak.length, 1, JSON.stringify(r.findings.map((x) => x.message), null, 1));
  assert.match(leak[0].message, /returns -EFBIG/);
  // The DEMOFS_F_KEEP path keeps the folio in ctx (demofs_keep_folio is unmodelled): no finding there.
  assert.ok(!r.findings.some((x) => /returns 0/.test(x.message) && x.severity !== 'info'));
});

test('engine: what a defined function may change is read from its whole body, through defined callees', () => {
  const table = core.builtinApiTable();
  const bodies = new Map([
    ['demofs_note', 'static void demofs_note(struct demofs_ctx *ctx, unsigned int what)\n{\n\tctx->stats[what]++;\n\tpr_debug("folio_unlock(x)");\n}'],
    ['demofs_drop', 'static void demofs_drop(struct folio *folio)\n{\n\tfolio_unlock(folio);\n}'],
    ['demofs_done', 'static void demofs_done(struct demofs_ctx *ctx, struct folio *folio)\n{\n\tdemofs_note(ctx, 1);\n\tdemofs_drop(folio);\n}'],
    ['demofs_keep', 'static void demofs_keep(struct demofs_ctx *ctx, struct folio *folio)\n{\n\tctx->cur = folio;\n}'],
  ]);
  const defined = new Set([...bodies.keys(), 'demofs_partial']);
  const eff = core.effectfulDefined(defined, bodies, table);
  // A counter and a debug print (a call named in a string is no call): nothing modelled.
  assert.equal(eff.has('demofs_note'), false);
  assert.equal(eff.has('demofs_drop'), true);
  // Through a defined callee.
  assert.equal(eff.has('demofs_done'), true);
  // Stores its parameter where the caller can reach it: an escape.
  assert.equal(eff.has('demofs_keep'), true);
  // Defined, but its whole body is not seen: it may do anything.
  assert.equal(eff.has('demofs_partial'), true);
});

// What a loop iteration leaves behind (cfg/paths.ts projectIteration): the folio variable is assigned
// anew before the next iteration reads it, so iterations that lock it, touch different flags and
// unlock it leave the same state at the head. The effect callback is the one the checker derives
// from the API table (api.ts), reduced here to the lock and unlock.
const loops = readFileSync(join(root, 'test', 'fixtures', 'c', 'loops.c'), 'utf8');
const loopOpts = {
  relevantCall: (name) => /^(folio_|flush_dcache)/.test(name),
  effectOf: (name, args) => (name === 'folio_lock' ? [{ expr: args[0], op: '+folio-lock' }] : name === 'folio_unlock' ? [{ expr: args[0], op: '-folio-lock' }] : []),
};
const iterationsOf = (p) => p.steps.filter((s) => s.kind === 'call' && s.call.name === 'folio_lock').length;

test('engine: 128 kinds of iteration over per-iteration folios fold at the loop head (not truncated, witnesses a few iterations long)', () => {
  const [f] = core.analyzeSource(fx('folio-lock-batch-flag-kinds-ok', 'after.c'), 'fs/demofs/batch.c', 'post', { functions: ['demofs_touch_batch'], ...loopOpts });
  assert.equal(f.truncated, false, `states ${f.states}, witnesses ${f.paths.length}`);
  assert.ok(f.paths.length < 600, `witnesses ${f.paths.length}`);
  assert.ok(f.paths.every((p) => iterationsOf(p) <= 3), `longest witness: ${Math.max(...f.paths.map(iterationsOf))} iterations`);
  // Every kind of iteration is still walked by some witness: the one that waits on writeback and
  // marks dirty, and the one that does neither.
  const did = (p, name) => p.steps.some((s) => s.kind === 'call' && s.call.name === name);
  assert.ok(f.paths.some((p) => did(p, 'folio_wait_writeback') && did(p, 'folio_mark_dirty')));
  assert.ok(f.paths.some((p) => iterationsOf(p) >= 1 && !did(p, 'folio_wait_writeback') && !did(p, 'folio_mark_dirty')));
});

test('engine: a path back at a loop head waits for shorter ones (breadth-first), so witnesses stay short', () => {
  const [f] = core.analyzeSource(loops, 'fs/demofs/batch.c', 'post', { functions: ['demofs_lock_some'], relevantCall: loopOpts.relevantCall });
  assert.equal(f.truncated, false);
  assert.ok(f.paths.every((p) => iterationsOf(p) <= 3), `longest witness: ${Math.max(...f.paths.map(iterationsOf))} iterations`);
  // The skip (want == 2) is taken on some witness, after a locking iteration.
  assert.ok(f.paths.some((p) => p.steps.some((s) => s.kind === 'assume' && /want == 2/.test(s.cond) && s.value) && iterationsOf(p) >= 1));
});

// Callees found in the kernel tree that the patch does not touch are summarised (api.ts phase 1b).
test('engine: a helper defined only in the tree is summarised: its unlock makes the added one a double unlock', async () => {
  const dir = join(root, 'test', 'fixtures', 'c', 'tree-callee');
  const tree = { 'fs/demofs/read.c': readFileSync(join(dir, 'tree', 'fs', 'demofs', 'read.c'), 'utf8') };
  const bad = readFileSync(join(dir, 'bad.patch'), 'utf8');
  const errs = (r) => r.findings.filter((f) => f.severity === 'error' && f.status === 'introduced');
  // From the patch alone demofs_read_done() is a callee with no model: nothing is claimed.
  assert.equal(errs(await core.checkText(bad, 'bad.patch', { wasmDir })).length, 0);
  const withTree = await core.checkText(bad, 'bad.patch', { wasmDir, treeFiles: tree });
  const e = errs(withTree);
  assert.equal(e.length, 1, JSON.stringify(withTree.findings.map((f) => f.message), null, 1));
  assert.match(e[0].message, /double release of the folio lock/);
  // The good form calls the same helper and adds nothing after it.
  const ok = await core.checkText(readFileSync(join(dir, 'ok.patch'), 'utf8'), 'ok.patch', { wasmDir, treeFiles: tree });
  assert.equal(ok.findings.filter((f) => f.severity !== 'info').length, 0, JSON.stringify(ok.findings.map((f) => f.message), null, 1));
});

test('engine: `(struct dx_node *)(bh->b_data)` is a cast, not a call through a type (no callee takes bh over)', () => {
  const src = 'static int demo(struct buffer_head *bh)\n{\n\tstruct dx_node *node;\n\n\tnode = (struct dx_node *)(bh->b_data);\n\tn = (*fn)(bh);\n\tm = (unsigned long)(bh->b_size);\n\treturn 0;\n}\n';
  const [f] = core.analyzeSource(src, 'fs/demofs/dir.c', 'post');
  const steps = f.paths[0].steps;
  assert.ok(steps.some((s) => s.kind === 'assign' && s.lhs === 'node'), JSON.stringify(steps.map((s) => s.text)));
  assert.ok(steps.some((s) => s.kind === 'assign' && s.lhs === 'm'));
  // A call through a function pointer stays a call.
  assert.ok(steps.some((s) => s.kind === 'call' && s.assignTo === 'n'));
});

/** Fourteen independent rungs, each locking and unlocking its own folio or not: 2^14 histories, one net effect. */
function rungs(leak) {
  let body = '';
  for (let i = 0; i < 14; i++) body += `\tif (demofs_want(ctx, ${i})) {\n\t\tfolio_lock(ctx->f${i});\n\t\tfolio_unlock(ctx->f${i});\n\t}\n`;
  const check = '\tif (demofs_failed(ctx))\n\t\treturn -EIO;\n';
  const unlock = '\tfolio_unlock(folio);\n';
  return `int demofs_sweep(struct demofs_ctx *ctx, struct folio *folio)\n{\n\tfolio_lock(folio);\n${body}${leak ? check + unlock : unlock + check}\treturn 0;\n}\n`;
}

test('engine: past the witness cap, the search again with states merged by net effect walks the function whole and keeps the leak', async () => {
  // One side of a patch that touches the function: the real pipeline (API table, effects for folding).
  const patch = (src) => `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: A <a@b.c>\nDate: Mon, 2 Nov 2026 10:00:00 +0000\nSubject: [PATCH] demofs: sweep\n\n---\n fs/demofs/sweep.c | 1 +\n\ndiff --git a/fs/demofs/sweep.c b/fs/demofs/sweep.c\n--- a/fs/demofs/sweep.c\n+++ b/fs/demofs/sweep.c\n@@ -1,0 +1,${src.split('\n').length - 1} @@\n${src.split('\n').slice(0, -1).map((l) => `+${l}`).join('\n')}\n`;
  const leak = await core.checkText(patch(rungs(true)), 'sweep.patch', { wasmDir, maxPathsPerFunction: 256 });
  const f = leak.functions.find((x) => x.name === 'demofs_sweep' && x.side === 'post');
  assert.equal(f.truncated, false, JSON.stringify(leak.problems));
  assert.ok(f.paths <= 256, `witnesses ${f.paths}`);
  assert.ok(leak.problems.some((p) => p.kind === 'path-merged' && /demofs_sweep/.test(p.message)), JSON.stringify(leak.problems));
  const found = leak.findings.filter((x) => x.check === 'folio-lock' && x.severity === 'error');
  assert.equal(found.length, 1, JSON.stringify(leak.findings.map((x) => x.message)));
  assert.match(found[0].message, /returns -EIO/);
  // The good form: merged the same way, nothing to report.
  const ok = await core.checkText(patch(rungs(false)), 'sweep.patch', { wasmDir, maxPathsPerFunction: 256 });
  assert.equal(ok.functions.find((x) => x.name === 'demofs_sweep').truncated, false);
  assert.deepEqual(ok.findings.filter((x) => x.severity !== 'info').map((x) => x.message), []);
});

test('engine: an error code assigned to a local is non-zero: `ret == 0` after `ret = -EIO` is never taken', () => {
  const src = `int demo(struct demo_ctx *p, int u)\n{\n\tint ret;\n\tstruct folio *tmp;\n\n\tif (u)\n\t\tret = -EAGAIN;\n\telse\n\t\tret = 0;\n\ttmp = filemap_get_folio(p->mapping, 0);\n\tif (IS_ERR(tmp))\n\t\treturn PTR_ERR(tmp);\n\tif (!demo_ok(tmp))\n\t\tret = -EIO;\n\tif (ret == 0)\n\t\tp->folio = tmp;\n\telse\n\t\tfolio_put(tmp);\n\treturn ret;\n}\n`;
  const [f] = core.analyzeSource(src, 'fs/demofs/x.c', 'post', { functions: ['demo'] });
  const bad = f.paths.filter((p) => p.assumptions.some((a) => /ret == 0 is true/.test(a)) && p.steps.some((s) => s.kind === 'assign' && /-E(IO|AGAIN)/.test(s.rhs)));
  assert.deepEqual(bad.map((p) => p.assumptions), []);
  // The feasible ones stay: ret == 0 true only where ret is 0.
  assert.ok(f.paths.some((p) => p.assumptions.some((a) => /ret == 0 is true/.test(a))));
});

test('engine: IS_ERR_OR_NULL() of a valid pointer from an ERR_PTR-returning lookup is false', async () => {
  const r = await core.checkText(fx('refcount-err-or-null-exit-ok', 'patch.patch'), 'eon.patch', { wasmDir });
  const fn = r.functions.find((x) => x.name === 'demo_check_chunk' && x.side === 'post');
  assert.ok(fn);
  assert.deepEqual(r.findings.filter((x) => x.severity !== 'info').map((x) => x.message), []);
  // Directly: with the table's word that btrfs_get_chunk_map() never returns NULL, no path that got a
  // valid map skips the free at the exit.
  const [f] = core.analyzeSource(fx('refcount-err-or-null-exit-ok', 'after.c'), 'fs/btrfs/demo-chunk.c', 'post', { functions: ['demo_check_chunk'], resultNeverNull: (n) => n === 'btrfs_get_chunk_map' });
  const skipped = f.paths.filter((p) => p.assumptions.some((a) => /IS_ERR\(map\) is false/.test(a)) && p.assumptions.some((a) => /!IS_ERR_OR_NULL\(map\) is false/.test(a)));
  assert.deepEqual(skipped.map((p) => p.assumptions), []);
});

test('engine: assigning one field of a structure keeps what a branch learnt about another field', async () => {
  const src = `int demo_search(struct demo_fs *fs, struct demo_path *p)\n{\n\tint ret;\n\n\tif (p->need_sem)\n\t\tdown_read(&fs->commit_sem);\n\tp->slots[0] = 0;\n\tp->nodes[0] = NULL;\n\tret = demo_walk(fs, p);\n\tif (p->need_sem)\n\t\tup_read(&fs->commit_sem);\n\treturn ret;\n}\n`;
  const [f] = core.analyzeSource(src, 'fs/demofs/search.c', 'post', { functions: ['demo_search'] });
  // No path takes the lock on the first test and skips the unlock on the second.
  const split = f.paths.filter((p) => p.assumptions.some((a) => a === 'p->need_sem is true') && p.assumptions.some((a) => a === 'p->need_sem is false'));
  assert.deepEqual(split.map((p) => p.assumptions), []);
  // Assigning the tested field itself forgets the answer.
  const [g] = core.analyzeSource(src.replace('p->slots[0] = 0;', 'p->need_sem = 0;'), 'fs/demofs/search.c', 'post', { functions: ['demo_search'] });
  assert.ok(g.paths.some((p) => p.assumptions.includes('p->need_sem is true') && p.assumptions.filter((a) => /^p->need_sem is/.test(a)).length === 2 && p.assumptions.includes('p->need_sem is false')));
});

test('engine: a field the path set to a constant answers its own test (`trans->removing = false; … if (trans->removing)`)', () => {
  const src = `int demo_remove(struct demo_trans *trans, struct demo_fs *fs)\n{\n\tint ret;\n\n\ttrans->removing = true;\n\tmutex_lock(&fs->chunk_mutex);\n\tret = demo_a(trans);\n\tif (ret)\n\t\tgoto out;\n\tmutex_unlock(&fs->chunk_mutex);\n\ttrans->removing = false;\n\tret = demo_b(trans);\n\tif (ret)\n\t\tgoto out;\nout:\n\tif (trans->removing) {\n\t\tmutex_unlock(&fs->chunk_mutex);\n\t\ttrans->removing = false;\n\t}\n\treturn ret;\n}\n`;
  const [f] = core.analyzeSource(src, 'fs/demofs/chunk.c', 'post', { functions: ['demo_remove'] });
  const viaB = f.paths.filter((p) => p.steps.some((s) => s.kind === 'call' && s.call.name === 'demo_b'));
  assert.ok(viaB.length > 0);
  assert.ok(viaB.every((p) => p.assumptions.includes('trans->removing is false')), JSON.stringify(viaB.map((p) => p.assumptions)));
  const early = f.paths.filter((p) => !p.steps.some((s) => s.kind === 'call' && s.call.name === 'demo_b'));
  assert.ok(early.every((p) => p.assumptions.includes('trans->removing is true')), JSON.stringify(early.map((p) => p.assumptions)));
});
