/*
 * One mail message → MailMessage: subject, sender, commit message vs notes after `---`,
 * trailers, and the diff with its line map.
 */
import type { MailMessage, MessageKind, Person, Trailer } from '../types';
import { type Line, joinText, trimBlank } from './lines';
import { type Ctx, problem, problemCapped } from './context';
import { UNREBUILT, findDiffStart, parseDiff } from './diff';
import { parseSubject } from './subject';
import { trailersOf } from './trailers';
import { normaliseDate } from './date';
import { checkDiffstat } from './diffstat';
import { findQuotedPatch } from './reply';

export interface MessageHead {
  subject: string;
  from: Person | null;
  date: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  /** Input line where the message starts. */
  inputLine: number;
  /** Addresses in the text are "user at host" (pipermail). */
  obfuscated?: boolean;
  /** Body lines were rebuilt from a scrape without line breaks: lenient, count-verified diff. */
  scraped?: boolean;
}

/** Index of the `---` separator between commit message and notes, before `limit`. */
function separatorIndex(body: Line[], limit: number): number {
  for (let i = 0; i < limit; i++) if (body[i].text === '---' || body[i].text === '--- ') return i;
  return -1;
}

export function buildMessage(head: MessageHead, body: Line[], ctx: Ctx): MailMessage {
  if (findDiffStart(body) < 0) {
    const q = findQuotedPatch(body, !!head.obfuscated);
    if (q) {
      const m = buildFrom(head, q.lines, q.diffAt, ctx);
      m.kind = 'reply-with-patch';
      if (q.author) {
        const a = q.author;
        const sob = m.trailers.find((t) => t.person && t.person.name.toLowerCase() === a.name.toLowerCase() && t.person.email);
        m.from = !a.email && sob?.person ? { name: a.name, email: sob.person.email } : a;
      }
      const seen = new Set(m.trailers.map((t) => t.key + '\0' + t.value));
      for (const t of q.reviewerTrailers) if (!seen.has(t.key + '\0' + t.value)) m.trailers.push(t);
      return m;
    }
  }
  return buildFrom(head, body, findDiffStart(body), ctx);
}

function buildFrom(head: MessageHead, body: Line[], diffAt: number, ctx: Ctx): MailMessage {
  const s = parseSubject(head.subject);
  const limit = diffAt < 0 ? body.length : diffAt;
  const sep = separatorIndex(body, limit);
  const msgEnd = sep >= 0 ? sep : limit;
  const commit = trimBlank(body.slice(0, msgEnd).filter((l) => l.text !== UNREBUILT));
  let files: MailMessage['files'] = [];
  const isCover = s.index === 0 && s.countersExplicit;
  if (diffAt >= 0 && isCover) {
    problem(ctx, 'cover-diff', 'the cover letter carries a diff (interdiff or range-diff); it is not analysed', body[diffAt].line);
  } else if (diffAt >= 0) {
    let r = parseDiff(body, diffAt, ctx, { lenient: !!head.scraped });
    files = r.files;
    // Text between diffs (a truncated hunk, a comment) ends one diff; read the ones after it too.
    for (let again = findDiffStart(body, r.end), guard = 0; again >= 0 && guard < 10000; again = findDiffStart(body, r.end), guard++) {
      problemCapped(ctx, 'diff-gap', `lines ${body[r.end].line}-${body[again].line - 1} between diffs are not part of any diff`, body[r.end].line, 200);
      r = parseDiff(body, again, ctx, { lenient: !!head.scraped });
      files.push(...r.files);
      if (r.end <= again) break;
    }
    if (sep >= 0) checkDiffstat(body.slice(sep + 1, diffAt), files, ctx);
  }
  const trailers: Trailer[] = trailersOf(commit, !!head.obfuscated);
  const cc = body.find((l) => /^diff --(?:cc|combined) /.test(l.text));
  if (cc) problem(ctx, 'combined-diff', 'a combined diff (merge commit, "diff --cc") is not read', cc.line);
  const notes = sep >= 0 ? joinText(trimBlank(body.slice(sep + 1, limit))) : '';
  let kind: MessageKind = files.length ? 'patch' : 'discussion';
  if (isCover) kind = 'cover';
  return {
    kind,
    subject: s.subject,
    rawSubject: head.subject,
    version: s.version,
    versionExplicit: s.versionExplicit,
    index: s.index,
    total: s.total,
    countersExplicit: s.countersExplicit,
    tags: s.tags,
    from: head.from,
    date: head.date ? normaliseDate(head.date) : null,
    messageId: head.messageId,
    inReplyTo: head.inReplyTo,
    trailers,
    body: joinText(commit),
    files,
    inputLine: head.inputLine,
    ...(notes ? { notes } : {}),
  };
}
