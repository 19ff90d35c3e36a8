/*
 * Validators of the JSON contracts the CLI prints and the extension consumes: `lockstep check
 * --format json` (CheckReport) and `lockstep parse --format json` (toParseJson). Each returns the
 * list of violations in words ("findings[2].input.line: expected a positive integer or null"), empty
 * when the value keeps the contract. Hand-written, no dependency; used by the robustness tests.
 */

type V = string[];
type Obj = Record<string, unknown>;

const SEVERITIES = ['error', 'warning', 'info'];
const STATUSES = ['introduced', 'fixed', 'persists'];
const SIDES = ['pre', 'post'];
const VERDICTS = ['ok', 'violation', 'deadlock', 'bounded', 'unknown'];
const CROSS_VERDICTS = ['holds', 'violation', 'deadlock', 'bounded'];
const FILE_STATUSES = ['modified', 'added', 'deleted', 'renamed', 'copied', 'mode-change', 'binary'];

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function obj(v: V, x: unknown, at: string): x is Obj {
  if (isObj(x)) return true;
  v.push(`${at}: expected an object`);
  return false;
}

function str(v: V, o: Obj, k: string, at: string, nullable = false): void {
  const x = o[k];
  if (typeof x === 'string' || (nullable && x === null)) return;
  v.push(`${at}.${k}: expected a string${nullable ? ' or null' : ''}`);
}

function optStr(v: V, o: Obj, k: string, at: string): void {
  if (o[k] !== undefined) str(v, o, k, at);
}

function bool(v: V, o: Obj, k: string, at: string): void {
  if (typeof o[k] !== 'boolean') v.push(`${at}.${k}: expected a boolean`);
}

function int(v: V, o: Obj, k: string, at: string, opts: { min?: number; nullable?: boolean } = {}): void {
  const x = o[k];
  if (opts.nullable && x === null) return;
  const min = opts.min ?? 0;
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min) {
    const what = min >= 1 ? 'a positive integer' : `an integer >= ${min}`;
    v.push(`${at}.${k}: expected ${what}${opts.nullable ? ' or null' : ''}`);
  }
}

/** A 1-based line number: positive integer, or null when allowed. */
function line(v: V, o: Obj, k: string, at: string, nullable = true): void {
  int(v, o, k, at, { min: 1, nullable });
}

function oneOf(v: V, o: Obj, k: string, at: string, allowed: string[], nullable = false): void {
  const x = o[k];
  if (nullable && x === null) return;
  if (typeof x !== 'string' || !allowed.includes(x)) v.push(`${at}.${k}: expected one of ${allowed.join('|')}${nullable ? ' or null' : ''}`);
}

function arr(v: V, o: Obj, k: string, at: string): unknown[] {
  const x = o[k];
  if (Array.isArray(x)) return x;
  v.push(`${at}.${k}: expected an array`);
  return [];
}

function strArr(v: V, o: Obj, k: string, at: string): void {
  arr(v, o, k, at).forEach((s, i) => {
    if (typeof s !== 'string') v.push(`${at}.${k}[${i}]: expected a string`);
  });
}

function inputRef(v: V, x: unknown, at: string): void {
  if (!obj(v, x, at)) return;
  str(v, x, 'file', at);
  line(v, x, 'line', at);
}

function problem(v: V, x: unknown, at: string): void {
  if (!obj(v, x, at)) return;
  str(v, x, 'message', at);
  optStr(v, x, 'input', at);
  optStr(v, x, 'kind', at);
  if (x.line !== undefined) line(v, x, 'line', at, false);
}

function srcRef(v: V, x: unknown, at: string): void {
  if (x === null) return;
  if (!obj(v, x, at)) return;
  line(v, x, 'inputLine', at);
  line(v, x, 'sourceLine', at);
  optStr(v, x, 'file', at);
}

function trace(v: V, x: unknown, at: string): void {
  if (!obj(v, x, at)) return;
  str(v, x, 'title', at);
  strArr(v, x, 'tasks', at);
  oneOf(v, x, 'verdict', at, VERDICTS);
  str(v, x, 'summary', at);
  arr(v, x, 'steps', at).forEach((s, i) => {
    const sa = `${at}.steps[${i}]`;
    if (!obj(v, s, sa)) return;
    str(v, s, 'task', sa);
    str(v, s, 'op', sa);
    srcRef(v, s.location, `${sa}.location`);
    if (obj(v, s.state, `${sa}.state`)) {
      for (const [k, val] of Object.entries(s.state)) if (typeof val !== 'string') v.push(`${sa}.state.${k}: expected a string`);
    }
    optStr(v, s, 'violation', sa);
    if (s.pathStep !== undefined) int(v, s, 'pathStep', sa);
  });
}

function finding(v: V, x: unknown, at: string): void {
  if (!obj(v, x, at)) return;
  str(v, x, 'check', at);
  oneOf(v, x, 'severity', at, SEVERITIES);
  oneOf(v, x, 'status', at, STATUSES);
  str(v, x, 'file', at);
  str(v, x, 'function', at);
  line(v, x, 'line', at);
  inputRef(v, x.input, `${at}.input`);
  str(v, x, 'message', at);
  oneOf(v, x, 'side', at, SIDES);
  str(v, x, 'path', at, true);
  optStr(v, x, 'rule', at);
  arr(v, x, 'related', at).forEach((r, i) => {
    const ra = `${at}.related[${i}]`;
    if (!obj(v, r, ra)) return;
    str(v, r, 'message', ra);
    line(v, r, 'line', ra);
    inputRef(v, r.input, `${ra}.input`);
  });
  if (x.fixedLater !== undefined && obj(v, x.fixedLater, `${at}.fixedLater`)) {
    int(v, x.fixedLater, 'message', `${at}.fixedLater`);
    str(v, x.fixedLater, 'subject', `${at}.fixedLater`);
  }
}

function fnReport(v: V, x: unknown, at: string): void {
  if (!obj(v, x, at)) return;
  str(v, x, 'name', at);
  str(v, x, 'file', at);
  oneOf(v, x, 'side', at, SIDES);
  bool(v, x, 'complete', at);
  int(v, x, 'paths', at);
  bool(v, x, 'truncated', at);
  line(v, x, 'inputLine', at);
  int(v, x, 'startLine', at);
  str(v, x, 'notAnalysed', at, true);
  strArr(v, x, 'partialReasons', at);
  int(v, x, 'message', at);
  if (x.notAnalysed !== null && typeof x.notAnalysed === 'string' && x.notAnalysed.trim() === '') v.push(`${at}.notAnalysed: empty reason`);
  if (x.pathReports === undefined) return;
  arr(v, x, 'pathReports', at).forEach((p, i) => {
    const pa = `${at}.pathReports[${i}]`;
    if (!obj(v, p, pa)) return;
    str(v, p, 'id', pa);
    str(v, p, 'outcome', pa);
    oneOf(v, p, 'severity', pa, SEVERITIES, true);
    strArr(v, p, 'assumptions', pa);
    trace(v, p.trace, `${pa}.trace`);
  });
}

function crossTask(v: V, x: unknown, at: string): void {
  if (!obj(v, x, at)) return;
  str(v, x, 'title', at);
  str(v, x, 'check', at);
  oneOf(v, x, 'side', at, SIDES);
  int(v, x, 'message', at);
  strArr(v, x, 'functions', at);
  oneOf(v, x, 'verdict', at, CROSS_VERDICTS);
  str(v, x, 'summary', at);
  int(v, x, 'states', at);
  int(v, x, 'transitions', at);
  str(v, x, 'notExplored', at, true);
  if (x.trace !== undefined) trace(v, x.trace, `${at}.trace`);
}

/** Violations of the CheckReport contract (`lockstep check --format json`); [] when it holds. */
export function validateCheckReport(x: unknown): string[] {
  const v: V = [];
  if (!obj(v, x, 'report')) return v;
  if (x.tool !== 'lockstep') v.push('report.tool: expected "lockstep"');
  str(v, x, 'version', 'report');
  arr(v, x, 'inputs', 'report').forEach((i, n) => {
    const at = `inputs[${n}]`;
    if (!obj(v, i, at)) return;
    str(v, i, 'file', at);
    str(v, i, 'format', at);
    int(v, i, 'patches', at);
  });
  arr(v, x, 'functions', 'report').forEach((f, i) => fnReport(v, f, `functions[${i}]`));
  arr(v, x, 'findings', 'report').forEach((f, i) => finding(v, f, `findings[${i}]`));
  arr(v, x, 'problems', 'report').forEach((p, i) => problem(v, p, `problems[${i}]`));
  if (obj(v, x.opaqueCallees, 'report.opaqueCallees')) {
    for (const [k, list] of Object.entries(x.opaqueCallees)) {
      if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) v.push(`report.opaqueCallees.${k}: expected an array of strings`);
    }
  }
  arr(v, x, 'crossTask', 'report').forEach((c, i) => crossTask(v, c, `crossTask[${i}]`));
  arr(v, x, 'scenarios', 'report').forEach((s, i) => {
    const at = `scenarios[${i}]`;
    if (!obj(v, s, at)) return;
    str(v, s, 'input', at);
    int(v, s, 'message', at);
    str(v, s, 'scenario', at);
    str(v, s, 'reason', at);
  });
  return v;
}

/** Violations of the `lockstep parse --format json` contract (toParseJson); [] when it holds. */
export function validateParseJson(x: unknown): string[] {
  const v: V = [];
  if (!obj(v, x, 'parse')) return v;
  str(v, x, 'format', 'parse');
  if (x.series !== null && obj(v, x.series, 'parse.series')) {
    str(v, x.series, 'title', 'parse.series');
    int(v, x.series, 'version', 'parse.series', { nullable: true });
    int(v, x.series, 'total', 'parse.series', { nullable: true });
  }
  arr(v, x, 'messages', 'parse').forEach((m, i) => {
    const at = `messages[${i}]`;
    if (!obj(v, m, at)) return;
    str(v, m, 'subject', at);
    int(v, m, 'version', at, { nullable: true });
    int(v, m, 'index', at, { nullable: true });
    int(v, m, 'total', at, { nullable: true });
    if (m.from !== null && obj(v, m.from, `${at}.from`)) {
      str(v, m.from, 'name', `${at}.from`);
      str(v, m.from, 'email', `${at}.from`);
    }
    str(v, m, 'date', at, true);
    str(v, m, 'messageId', at, true);
    str(v, m, 'inReplyTo', at, true);
    arr(v, m, 'trailers', at).forEach((t, j) => {
      const ta = `${at}.trailers[${j}]`;
      if (!obj(v, t, ta)) return;
      str(v, t, 'key', ta);
      str(v, t, 'value', ta);
    });
    arr(v, m, 'files', at).forEach((f, j) => {
      const fa = `${at}.files[${j}]`;
      if (!obj(v, f, fa)) return;
      str(v, f, 'oldPath', fa, true);
      str(v, f, 'newPath', fa, true);
      if (f.oldPath === null && f.newPath === null) v.push(`${fa}: oldPath and newPath are both null`);
      oneOf(v, f, 'status', fa, FILE_STATUSES);
      arr(v, f, 'hunks', fa).forEach((h, k) => {
        const ha = `${fa}.hunks[${k}]`;
        if (!obj(v, h, ha)) return;
        for (const key of ['oldStart', 'oldLines', 'newStart', 'newLines']) int(v, h, key, ha);
        str(v, h, 'section', ha);
        line(v, h, 'inputLine', ha, false);
      });
    });
  });
  arr(v, x, 'problems', 'parse').forEach((p, i) => problem(v, p, `problems[${i}]`));
  return v;
}
