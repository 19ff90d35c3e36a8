/*
 * Subject lines parsed the way kernel tools (b4, patchwork) read them:
 * "Re: [PATCH v4 07/30] netfs: ...", "[RFC 2/3] ...", "[PATCHv3] ...", "[PATCH v6,19/24] ...",
 * "PATCH1/8 ...", "[PATCH RESEND net-next] ...", nested brackets.
 */

export interface SubjectInfo {
  subject: string;
  version: number | null;
  versionExplicit: boolean;
  index: number | null;
  total: number | null;
  countersExplicit: boolean;
  tags: string[];
  /** "Re:", "Aw:", "Fwd:" ... seen in front. */
  isReply: boolean;
  /** A PATCH/RFC-like marker was present (a patch subject, not plain discussion). */
  isPatch: boolean;
}

const REPLY_RE = /^(?:re|aw|sv|vs|antw|odp|fwd?|r)\s*(?:\[\d+\])?\s*:\s*/i;
const BARE_RE = /^((?:PATCH|RFC)(?:v\d+)?(?:[ ]?\d+\/\d+)?)(?::\s*|\s+)/i;

/** Take a balanced [...] group at the start of s. */
function takeBracket(s: string): { inner: string; rest: string } | null {
  if (!s.startsWith('[')) return null;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '[') depth++;
    else if (s[i] === ']') {
      depth--;
      if (depth === 0) return { inner: s.slice(1, i), rest: s.slice(i + 1).trimStart() };
    }
  }
  return null;
}

function tokensOf(inner: string): string[] {
  const spaced = inner
    .replace(/[[\]]/g, ' ')
    .replace(/\b(PATCH|RFC|RESEND)(?=v?\d)/gi, '$1 ')
    .replace(/(\d+\/\d+)/g, ' $1 ');
  return spaced.split(/[\s,]+/).filter(Boolean);
}

export function parseSubject(raw: string): SubjectInfo {
  let s = raw.replace(/\s+/g, ' ').trim();
  const info: SubjectInfo = {
    subject: s, version: null, versionExplicit: false, index: null, total: null,
    countersExplicit: false, tags: [], isReply: false, isPatch: false,
  };
  const tokens: string[] = [];
  for (let guard = 0; guard < 20; guard++) {
    const r = REPLY_RE.exec(s);
    if (r) { info.isReply = true; s = s.slice(r[0].length); continue; }
    const b = takeBracket(s);
    if (b) { tokens.push(...tokensOf(b.inner)); s = b.rest; continue; }
    const bare = BARE_RE.exec(s);
    if (bare && !info.isPatch && tokens.length === 0) { tokens.push(...tokensOf(bare[1])); s = s.slice(bare[0].length); continue; }
    break;
  }
  for (const t of tokens) {
    let m: RegExpExecArray | null;
    if ((m = /^v(\d+)$/i.exec(t))) { info.version = Number(m[1]); info.versionExplicit = true; }
    else if ((m = /^(\d+)\/(\d+)$/.exec(t))) { info.index = Number(m[1]); info.total = Number(m[2]); info.countersExplicit = true; }
    else {
      if (/^(PATCH|RFC)$/i.test(t)) info.isPatch = true;
      info.tags.push(/^(patch|rfc|resend)$/i.test(t) ? t.toUpperCase() : t);
    }
  }
  if (info.countersExplicit) info.isPatch = true;
  if (info.isPatch) {
    if (info.version === null) info.version = 1;
    if (info.index === null) { info.index = 1; info.total = 1; }
  }
  info.subject = s.trim();
  return info;
}
