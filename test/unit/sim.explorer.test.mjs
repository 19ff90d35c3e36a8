// The interleaving explorer on tiny models with known state counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const core = require('../../dist/core.js');

/** n tasks, each k steps; step footprints: 0 (local), 'own' (a bit per task), 'shared' (one bit). */
function counters(n, k, kind) {
  return {
    name: 'counters',
    tasks: Array.from({ length: n }, (_, i) => `t${i}`),
    init: new Array(n).fill(0),
    next(s, t) {
      if (s[t] >= k) return { kind: 'done' };
      return { kind: 'step', op: `t${t} step ${s[t] + 1}`, footprint: kind === 'local' ? 0 : kind === 'own' ? 1 << t : 1, apply: (x) => { x[t]++; } };
    },
  };
}

test('without reduction: (k+1)^n states; local steps collapse to one chain with reduction', () => {
  const full = core.explore(counters(3, 2, 'local'), { por: false });
  assert.equal(full.verdict, 'holds');
  assert.equal(full.states, 27);
  assert.equal(full.transitions, 54); // each of the 27 states has one outgoing edge per unfinished task
  const red = core.explore(counters(3, 2, 'local'));
  assert.equal(red.verdict, 'holds');
  assert.equal(red.states, 7);
  assert.equal(red.transitions, 6);
  assert.equal(red.bounds.hit, null);
});

test('sleep sets keep every state but explore fewer transitions when steps are independent', () => {
  const full = core.explore(counters(2, 2, 'own'), { por: false });
  const red = core.explore(counters(2, 2, 'own'));
  assert.equal(full.states, 9);
  assert.equal(red.states, 9);
  assert.equal(full.transitions, 12);
  assert.equal(red.transitions, 8); // one transition into each non-initial state
  const dep = core.explore(counters(2, 2, 'shared'));
  assert.equal(dep.states, 9);
  assert.equal(dep.transitions, 12); // dependent steps: nothing to prune
});

test('lost update: two non-atomic increments; the counterexample is a shortest one', () => {
  // s = [x, pc0, pc1, r0, r1]
  const model = {
    name: 'lost-update',
    tasks: ['a', 'b'],
    init: [0, 0, 0, 0, 0],
    next(s, t) {
      const pc = s[1 + t];
      if (pc === 0) return { kind: 'step', op: 'r = x', footprint: 1, apply: (x) => { x[3 + t] = x[0]; x[1 + t] = 1; } };
      if (pc === 1) return { kind: 'step', op: 'x = r + 1', footprint: 1, apply: (x) => { x[0] = x[3 + t] + 1; x[1 + t] = 2; } };
      return { kind: 'done' };
    },
    atQuiescence: [{ name: 'both increments count', check: (s) => (s[0] !== 2 ? `x is ${s[0]}` : null) }],
    display: (s) => ({ x: String(s[0]) }),
  };
  const r = core.explore(model);
  assert.equal(r.verdict, 'violation');
  assert.equal(r.message, 'both increments count: x is 1');
  assert.deepEqual(r.trace.map((s) => `${s.task}:${s.op}`), ['a:r = x', 'b:r = x', 'a:x = r + 1', 'b:x = r + 1']);
  assert.equal(r.trace[3].state.x, '1');
  assert.equal(r.trace[3].violation, r.message);
});

test('ABBA deadlock is found as a wait-for cycle; a task waiting on itself too', () => {
  // s = [lockA, lockB, pc0, pc1]; task 0 takes A then B, task 1 takes B then A.
  const order = [[0, 1], [1, 0]];
  const model = {
    name: 'abba',
    tasks: ['t0', 't1'],
    init: [0, 0, 0, 0],
    next(s, t) {
      const pc = s[2 + t];
      if (pc === 2) return { kind: 'step', op: 'unlock both', footprint: 3, apply: (x) => { x[0] = 0; x[1] = 0; x[2 + t] = 3; } };
      if (pc >= 3) return { kind: 'done' };
      const l = order[t][pc];
      if (s[l]) return { kind: 'blocked', on: `lock ${'AB'[l]}`, owner: s[l] - 1 };
      return { kind: 'step', op: `lock ${'AB'[l]}`, footprint: 1 << l, apply: (x) => { x[l] = t + 1; x[2 + t]++; } };
    },
  };
  const r = core.explore(model);
  assert.equal(r.verdict, 'deadlock');
  assert.match(r.message, /wait-for cycle/);
  assert.equal(r.trace.length, 2);
  const self = {
    name: 'self', tasks: ['t'], init: [1],
    next: (s) => ({ kind: 'blocked', on: 'its own lock', owner: 0 }),
  };
  const d = core.explore(self);
  assert.equal(d.verdict, 'deadlock');
  assert.match(d.message, /a task waits on itself/);
});

test('bounds are explicit: a state cap stops the search as bounded', () => {
  const r = core.explore(counters(4, 3, 'own'), { maxStates: 50 });
  assert.equal(r.verdict, 'bounded');
  assert.equal(r.bounds.hit, 'states');
  assert.equal(r.bounds.maxStates, 50);
  assert.equal(r.states, 50);
  const d = core.explore(counters(2, 5, 'own'), { maxDepth: 3 });
  assert.equal(d.verdict, 'bounded');
  assert.equal(d.bounds.hit, 'depth');
});

test('idle tasks are not deadlocked; invariants are checked in every state', () => {
  const model = {
    name: 'idle', tasks: ['worker', 'server'], init: [0],
    next: (s, t) => (t === 1 ? { kind: 'idle' } : s[0] < 2 ? { kind: 'step', op: 'inc', footprint: 1, apply: (x) => { x[0]++; } } : { kind: 'done' }),
    invariants: [{ name: 'x below 3', check: (s) => (s[0] >= 3 ? 'x too big' : null) }],
  };
  assert.equal(core.explore(model).verdict, 'holds');
  const broken = { ...model, invariants: [{ name: 'x below 2', check: (s) => (s[0] >= 2 ? 'x reached 2' : null) }] };
  const r = core.explore(broken);
  assert.equal(r.verdict, 'violation');
  assert.equal(r.message, 'x below 2: x reached 2');
  assert.equal(r.trace.length, 2);
});
