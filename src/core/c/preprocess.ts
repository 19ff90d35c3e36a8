/*
 * Text-level rewrites applied before parsing, each keeping every line on its row so that rows map
 * back to source lines:
 *  - iterator macros (`list_for_each_entry(a, b, c) {`) become `for (;__lockstep_iter_list_for_each_entry(a, b, c);) {`;
 *  - sparse annotations and attributes that confuse the C grammar are blanked out.
 */

export const GAP_FN = '__lockstep_gap';
export const UNKNOWN_COND = '__lockstep_unknown';
export const ITER_PREFIX = '__lockstep_iter_';
const TYPE_PREFIX = '__lockstep_T_';

/** Type names passed as macro arguments (`list_first_entry(h, struct foo, link)`, `min_t(unsigned long, a, b)`). */
const TYPE_ARG = /([(,]\s*)((?:const\s+)?(?:struct|union|enum)\s+\w+(?:\s*\*)*|(?:unsigned|signed)\s+(?:long\s+long|long|int|short|char)(?:\s+int)?(?:\s*\*)*)(?=\s*[,)])/g;

function encodeTypes(text: string): string {
  return text.replace(TYPE_ARG, (_m, pre: string, ty: string) => pre + TYPE_PREFIX + ty.replace(/\s+/g, '__S__').replace(/\*/g, '__P__'));
}

/** Undo the text rewrites of preprocess() in a piece of parsed text. */
export function restoreText(s: string): string {
  if (!s.includes('__lockstep_')) return s;
  return s
    .split(ITER_PREFIX).join('')
    .replace(/__lockstep_T_(\w+)/g, (_m, enc: string) => enc.replace(/__S__/g, ' ').replace(/__P__/g, '*').replace(/\s\*/g, ' *'));
}

const ITER_NAME = /^[ \t]*((?:\w*_)?for_each\w*)\s*\(/;
const ANNOTATIONS = /\b(__acquires|__releases|__must_hold|__cond_acquires|__cond_releases|__attribute__)\s*\(\(?[^()]*(?:\([^()]*\)[^()]*)*\)?\)/g;
const WORDS = /\b(__cold|__hot|noinline|noinline_for_stack|__always_inline|__maybe_unused|__always_unused|__init|__exit|__ref|__latent_entropy|__must_check|__sched|notrace|__weak|__noreturn|__attribute_const__|__pure|__visible)\b/g;
/**
 * A line that is one capitalised word at column 0, before a line that starts a declaration: a
 * subsystem's attribute macro on its own line above a definition (btrfs's `EXPORT_FOR_TESTS`, a
 * `STATIC` that some builds make `static`). The grammar would take it for a type.
 */
const ATTR_LINE = /^[A-Z_][A-Z0-9_]*[ \t]*\n(?=[A-Za-z_])/gm;

const blank = (s: string): string => s.replace(/[^\n]/g, ' ');

/** Index just past the parenthesis matching the '(' at `open`, or -1. Skips strings and comments roughly. */
function matchParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      for (i++; i < text.length && text[i] !== ch; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      if (e < 0) return -1;
      i = e + 1;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i + 1;
    else if (ch === ';' || ch === '{') return -1;
  }
  return -1;
}

/**
 * Conditional directives inside a statement (open parentheses, or a line that does not end a
 * statement) break the grammar: keep the `#if` side, blank the directives and the `#else` side.
 */
function ifdefInStatements(text: string, notes: { row: number; message: string }[]): string {
  const lines = text.split('\n');
  let paren = 0;
  let inComment = false;
  let prevCode = '';
  const stack: { row: number; blankElse: boolean; inElse: boolean; head: string }[] = [];
  for (let r = 0; r < lines.length; r++) {
    const line = lines[r];
    const t = line.trim();
    const dir = /^#\s*(if|ifdef|ifndef|elif|else|endif)\b/.exec(t);
    if (dir && !inComment) {
      const d = dir[1];
      if (d === 'if' || d === 'ifdef' || d === 'ifndef') {
        const mid = paren > 0 || /(&&|\|\||[,(=+\-*/?:|&])\s*$/.test(prevCode);
        stack.push({ row: r, blankElse: mid, inElse: false, head: t });
        if (mid) {
          lines[r] = blank(line);
          notes.push({ row: r, message: `\`${t}\` inside a statement: analysed with its #if side only` });
        }
      } else if (stack.length) {
        const top = stack[stack.length - 1];
        if (d === 'endif') stack.pop();
        else top.inElse = true;
        if (top.blankElse) lines[r] = blank(line);
      }
      continue;
    }
    const top = stack[stack.length - 1];
    if (top && top.blankElse && top.inElse) {
      lines[r] = blank(line);
      continue;
    }
    let code = '';
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (inComment) {
        if (ch === '*' && line[i + 1] === '/') { inComment = false; i++; }
        continue;
      }
      if (ch === '/' && line[i + 1] === '*') { inComment = true; i++; continue; }
      if (ch === '/' && line[i + 1] === '/') break;
      if (ch === '"' || ch === "'") {
        for (i++; i < line.length && line[i] !== ch; i++) if (line[i] === '\\') i++;
        continue;
      }
      if (ch === '(') paren++;
      else if (ch === ')') paren = Math.max(0, paren - 1);
      else if (ch === ';' || ch === '{' || ch === '}') paren = 0;
      code += ch;
    }
    if (code.trim() !== '') prevCode = code.trim();
  }
  return lines.join('\n');
}

export function preprocess(text: string, notes: { row: number; message: string }[] = []): string {
  let out = encodeTypes(ifdefInStatements(text, notes).replace(ANNOTATIONS, blank).replace(WORDS, blank).replace(ATTR_LINE, blank));
  // `scoped_guard(type, lock) {` runs its block once: `{ scoped_guard(type, lock);` (a call step; the
  // release at the end of the block is implicit in the kernel and not modelled).
  out = out.replace(/^([ \t]*)(scoped_guard\s*\([^;{}\n]*\))\s*\{/gm, (_m, ind: string, call: string) => `${ind}{ ${call};`);
  // Iterator macros at statement start.
  const lines = out.split('\n');
  let offset = 0;
  const edits: { at: number; open: number; close: number; name: string }[] = [];
  for (const line of lines) {
    const m = ITER_NAME.exec(line);
    if (m) {
      const nameAt = offset + line.indexOf(m[1]);
      const open = offset + m[0].length - 1;
      const close = matchParen(out, open);
      if (close > 0) {
        const rest = out.slice(close, out.indexOf('\n', close) < 0 ? out.length : out.indexOf('\n', close));
        if (/^\s*(\{\s*)?(\/\*.*|\/\/.*)?$/.test(rest)) edits.push({ at: nameAt, open, close, name: m[1] });
      }
    }
    offset += line.length + 1;
  }
  for (let i = edits.length - 1; i >= 0; i--) {
    const e = edits[i];
    out = out.slice(0, e.at) + 'for (;' + ITER_PREFIX + out.slice(e.at, e.close) + ';)' + out.slice(e.close);
  }
  return stmtMacros(out, notes);
}

const STMT_MACRO = /^([ \t]+)([A-Z][A-Z0-9_]*\s*\((?:[^()]|\([^()]*\))*\))[ \t]*$/;
const indentOf = (l: string): number => (/^[ \t]*/.exec(l)?.[0] ?? '').replace(/ {8}/g, '\t').length;

/**
 * A statement macro written without its semicolon (`TRACE_FLUSH(ictx)` on its own line) makes the
 * grammar read the next statement as a declaration of that "type", swallowing a call. When the next
 * code line sits at the same indentation (so it is not the macro's loop body), end the macro there.
 */
function stmtMacros(text: string, notes: { row: number; message: string }[]): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = STMT_MACRO.exec(lines[i]);
    if (!m) continue;
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    if (j >= lines.length) continue;
    const next = lines[j].trim();
    if (next.startsWith('{') || next.startsWith('}') || indentOf(lines[j]) !== indentOf(lines[i])) continue;
    lines[i] = `${m[1]}${m[2]};`;
    notes.push({ row: i, message: `${m[2].replace(/\s*\(.*$/, '')}(...) has no semicolon; read as a statement of its own` });
  }
  return lines.join('\n');
}
