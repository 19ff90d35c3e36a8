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
  let cur = '';
  let depth = 0;
  let str: string | null = null;
  // A hunk may start inside a block comment (its lines begin with "*").
  let inComment = /^([+-]\s?)?\*(\s|$)/.test(s.trimStart());
  let commentOpenedHere = false;
  const parens: ('call' | 'cond' | 'def' | 'group')[] = [];
  let lastClose: 'call' | 'cond' | 'def' | 'group' | null = null;
  let lastWasClose = false;
  const flush = () => {
    const t = cur.trim();
    if (t) out.push(t);
    cur = '';
    lastClose = null;
    lastWasClose = false;
    commentOpenedHere = false;
  };
  const body = () => cur.replace(/^[+-]\s*/, '');

  const boundary = (next: string): boolean => {
    if (!cur.trim()) return false;
    if (/^[+-]$/.test(cur.trim())) return /^[+-]/.test(next) ? true : inComment ? false : maybe('blank');
    if (next.startsWith(BLANK)) return true;
    const opener = /^[+-]?\s*\/\*\*?$/.test(cur.trim());
    if (inComment) {
      if (/^\*(\s|\/|$)/.test(next)) return opener || !commentOpenedHere;
      if (/^[+-]\s?\*/.test(next) || /^[+-]\s?\/\*/.test(next)) return true;
      return false;
    }
    if (/^[+-]?\s*#/.test(cur)) {
      if (directiveComplete(cur.trim(), next, depth)) return true;
      return next.startsWith('/*') && directiveComplete(cur.trim(), '', depth) && !/^[+-]/.test(cur.trim()) ? maybe('comment') : false;
    }
    if (depth > 0) return cur.endsWith(',') && !str && !/^[+-]/.test(cur.trim()) ? maybe('comma') : false;
    const t = cur.trimEnd();
    const last = t[t.length - 1];
    if (t.endsWith('*/')) return true;
    // A +/- line wrapped by its author continues on a line with its own marker, so optional
    // splits that would leave an unmarked piece are only possible inside context lines.
    const ctxPiece = !/^[+-]/.test(cur.trim());
    if (last === ';') return !next.startsWith('/*') || (ctxPiece && maybe('comment'));
    if (last === '{') return !next.startsWith('}');
    if (last === '}') return !/^(else\b|while\b|[;,)\]]|\w+\s*[;,=[])/.test(next);
    if (last === ')' && lastWasClose) {
      if (lastClose === 'def') return true;
      if (lastClose === 'cond') return !next.startsWith('{');
      if (lastClose === 'call') return /^([A-Za-z_#}]|\/\*|[+-]\s?[A-Za-z_#}/*])/.test(next) && !/^(&&|\|\|)/.test(next);
      return false;
    }
    const b = body().trim();
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
      else if (cur) cur += c;
      continue;
    }
    if (c !== ' ') lastWasClose = false;
    cur += c;
    if (str) {
      if (c === '\\') { cur += s[i + 1] ?? ''; i++; }
      else if (c === str) str = null;
      continue;
    }
    if (inComment) {
      if (c === '/' && s[i - 1] === '*' && cur.length >= 2) inComment = false;
      continue;
    }
    if (c === '/' && s[i + 1] === '*') { inComment = true; commentOpenedHere = true; cur += '*'; i++; continue; }
    if (c === '"' || c === "'") { str = c; continue; }
    if (c === '(' || c === '[') {
      if (c === '[') { parens.push('group'); depth++; continue; }
      const before = cur.slice(0, -1).trimEnd();
      const word = /([A-Za-z_]\w*)$/.exec(before)?.[1];
      let kind: 'call' | 'cond' | 'def' | 'group' = 'group';
      if (word && COND.has(word)) kind = 'cond';
      else if (word) {
        kind = 'call';
        if (depth === 0 && /^(?:[A-Za-z_]\w*\s*\**\s+\**\s*)+[A-Za-z_]\w*$/.test(body().slice(0, -1).trimEnd()) &&
          !/^(return|else|case|goto)\b/.test(body())) kind = 'def';
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
