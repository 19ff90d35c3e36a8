/*
 * Re-splitting C source whose line breaks and indentation were lost (a scraped mail collapsed to
 * one line): proposes line boundaries after `;`, `{`, `}`, `*` comment continuations, complete
 * preprocessor directives, labels and `if (...)`-style heads. Only a proposal: the caller accepts
 * it only when the hunk's line counts agree.
 */

/** Blank-line marker produced by the scrape decoder for a lone "=20" (a line holding one space). */
export const BLANK = '\u0001';

export interface SplitOptions {
  /**
   * Optional boundaries are places that may or may not be a line break ("+ /*" is an added
   * comment line, or an empty added line followed by a context comment; "x; /* c *\/" is one line
   * or two). They are numbered in order of appearance; those listed here are taken.
   */
  take: Set<number>;
}

/** Optional boundary classes: 'comment' (a trailing comment may be its own line), 'blank' (an
 * empty +/- line before text), 'comma' (an argument list continued on the next line). */
export type OptionalClass = 'comment' | 'blank' | 'comma';

export interface SplitResult {
  pieces: string[];
  /** Class of each optional boundary met, in order. */
  optional: OptionalClass[];
}

const COND = new Set(['if', 'while', 'for', 'switch']);

function directiveComplete(cur: string, next: string, depth: number): boolean {
  const m = /^[+-]?\s*#\s*(\w+)\s*(.*)$/.exec(cur);
  if (!m) return false;
  const [, d, rest] = m;
  const commentNext = next.startsWith('/*');
  const openComment = /\/\*(?![\s\S]*\*\/)/.test(rest);
  if (openComment) return false;
  switch (d) {
    case 'ifdef': case 'ifndef': case 'undef':
      return /^\w+(\s*\/\*.*\*\/)?$/.test(rest) && !commentNext;
    case 'endif': case 'else':
      return (rest === '' || /^\/\*.*\*\/$/.test(rest)) && !commentNext;
    case 'include':
      return /^(<[^>]*>|"[^"]*")$/.test(rest);
    case 'define':
      return /^\w+(\([^)]*\))?\s+\S+/.test(rest) && depth === 0 && !commentNext && !/[\\(,|&+*/-]$/.test(rest);
    case 'if': case 'elif':
      return depth === 0 && rest !== '' && !/(&&|\|\||[!=<>]=?|[+*/-])$/.test(rest) && !/^(&&|\|\||[=<>!]=|[+*/-]\s)/.test(next);
    default:
      return false;
  }
}

export function splitC(s: string, opt: SplitOptions): SplitResult {
  const out: string[] = [];
  const optional: OptionalClass[] = [];
  const maybe = (c: OptionalClass) => { optional.push(c); return opt.take.has(optional.length - 1); };
  // The current piece, kept so that each check costs O(1) however long the piece grows: its
  // first 64 and last 96 characters as plain strings, the whole only joined when short or flushed.
  // (`cur` never starts with a space.)
  let parts: string[] = [];
  let len = 0;
  let head = '';
  let tail = '';
  const add = (ch: string) => {
    parts.push(ch);
    len += ch.length;
    if (head.length < 64) head += ch;
    tail = tail.length > 192 ? tail.slice(-95) + ch : tail + ch;
  };
  const whole = () => {
    const w = parts.join('');
    parts = [w];
    return w;
  };
  let depth = 0;
  let str: string | null = null;
  let strAt = 0;
  // A hunk may start inside a block comment (its lines begin with "*").
  let inComment = /^([+-]\s?)?\*(\s|$)/.test(s.trimStart());
  let commentOpenedHere = false;
  const parens: ('call' | 'cond' | 'def' | 'group')[] = [];
  let lastClose: 'call' | 'cond' | 'def' | 'group' | null = null;
  let lastWasClose = false;
  const flush = () => {
    const t = whole().trim();
    if (t) out.push(t);
    parts = [];
    len = 0;
    head = '';
    tail = '';
    lastClose = null;
    lastWasClose = false;
    commentOpenedHere = false;
  };
  const short = (n: number) => (len <= n ? whole() : null);
  const tailTrim = () => tail.replace(/ +$/, '');

  const boundary = (next: string): boolean => {
    if (len === 0) return false;
    if (len <= 64 && /^[+-]\s*$/.test(head)) return /^[+-]/.test(next) ? true : inComment ? false : maybe('blank');
    if (next.startsWith(BLANK)) return true;
    const opener = len <= 64 && /^[+-]?\s*\/\*\*?\s*$/.test(head);
    if (inComment) {
      if (/^\*(\s|\/|$)/.test(next)) return opener || !commentOpenedHere;
      if (/^[+-]\s?\*/.test(next) || /^[+-]\s?\/\*/.test(next)) return true;
      return false;
    }
    if (/^[+-]?\s*#/.test(head)) {
      const w = short(1000);
      if (w === null) return false;
      if (directiveComplete(w.trim(), next, depth)) return true;
      return next.startsWith('/*') && directiveComplete(w.trim(), '', depth) && !/^[+-]/.test(head) ? maybe('comment') : false;
    }
    const t = tailTrim();
    const last = t[t.length - 1];
    if (depth > 0) return last === ',' && !str && !/^[+-]/.test(head) ? maybe('comma') : false;
    if (t.endsWith('*/')) return true;
    // A +/- line wrapped by its author continues on a line with its own marker, so optional
    // splits that would leave an unmarked piece are only possible inside context lines.
    const ctxPiece = !/^[+-]/.test(head);
    if (last === ';') return !next.startsWith('/*') || (ctxPiece && maybe('comment'));
    if (last === '{') return !next.startsWith('}');
    if (last === '}') return !/^(else\b|while\b|[;,)\]]|\w+\s*[;,=[])/.test(next);
    if (last === ')' && lastWasClose) {
      if (lastClose === 'def') return true;
      if (lastClose === 'cond') return !next.startsWith('{');
      if (lastClose === 'call') return /^([A-Za-z_#}]|\/\*|[+-]\s?[A-Za-z_#}/*])/.test(next) && !/^(&&|\|\|)/.test(next);
      return false;
    }
    const w = short(200);
    if (w === null) return false;
    const b = w.replace(/^[+-]\s*/, '').trim();
    if (/^(?:[A-Za-z_]\w*|case\s+.+|default)\s*:$/.test(b) && !b.includes('?')) return true;
    if (/(^|[\s}])(else|do)$/.test(b) && !/^(\{|if\b)/.test(next)) return true;
    return false;
  };

  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === BLANK) {
      flush();
      out.push(BLANK);
      continue;
    }
    if (c === ' ' && !str) {
      if (boundary(s.slice(i + 1, i + 48))) flush();
      else if (len) add(c);
      continue;
    }
    lastWasClose = false;
    add(c);
    if (str) {
      if (c === '\\') { add(s[i + 1] ?? ''); i++; }
      else if (c === str) str = null;
      // An apostrophe in prose or a // comment is no char literal; strings end within a line.
      else if (i - strAt > (str === "'" ? 6 : 400)) str = null;
      continue;
    }
    if (inComment) {
      if (c === '/' && s[i - 1] === '*' && len >= 2) inComment = false;
      continue;
    }
    if (c === '/' && s[i + 1] === '*') { inComment = true; commentOpenedHere = true; add('*'); i++; continue; }
    if (c === '"' || c === "'") { str = c; strAt = i; continue; }
    if (c === '(' || c === '[') {
      if (c === '[') { parens.push('group'); depth++; continue; }
      const before = tail.slice(-81, -1).trimEnd();
      const word = /([A-Za-z_]\w*)$/.exec(before)?.[1];
      let kind: 'call' | 'cond' | 'def' | 'group' = 'group';
      if (word && COND.has(word)) kind = 'cond';
      else if (word) {
        kind = 'call';
        const w = depth === 0 ? short(300) : null;
        const b = w === null ? '' : w.replace(/^[+-]\s*/, '');
        if (w !== null && /^(?:[A-Za-z_]\w*\s*\**\s+\**\s*)+[A-Za-z_]\w*$/.test(b.slice(0, -1).trimEnd()) &&
          !/^(return|else|case|goto)\b/.test(b)) kind = 'def';
      }
      parens.push(kind);
      depth++;
      continue;
    }
    if ((c === ')' || c === ']') && depth > 0) {
      depth--;
      const k = parens.pop() ?? 'group';
      if (depth === 0 && c === ')') { lastClose = k; lastWasClose = true; }
      continue;
    }
  }
  flush();
  return { pieces: out, optional };
}
