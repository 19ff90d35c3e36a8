/*
 * parseInput: recognise the container/page form and turn it into messages with exact line maps.
 */
import type { MailMessage, ParsedInput } from '../types';
import { type Line, splitLines } from './lines';
import { type Ctx, problem } from './context';
import { headOf, parseHeaders } from './headers';
import { decodeEntity } from './mime';
import { buildMessage, type MessageHead } from './message';
import { isFromSeparator, looksLikeMail, splitMbox } from './container';
import { detectLkml, detectLore, detectPipermail } from './archive';
import { findDiffStart } from './diff';
import { seriesOf } from './series';
import { isScraped, unscrape } from './scrape';
import { findQuotedPatch } from './reply';
import { MANGLED_RE } from './person';
import { looksLikePullRequest, parsePullRequest } from './pullrequest';
import { looksLikeGitLog, parseGitLog } from './gitlog';

function mailMessage(lines: Line[], startLine: number, ctx: Ctx): MailMessage {
  const h = parseHeaders(lines, 0);
  const head = headOf(h, startLine);
  const body = decodeEntity(h, lines.slice(h.bodyStart), ctx);
  return buildMessage(head, body, ctx);
}

function parseMail(lines: Line[], ctx: Ctx): { format: string; messages: MailMessage[] } {
  let i = 0;
  while (i < lines.length && lines[i].text.trim() === '') i++;
  const first = lines[i]?.text ?? '';
  // Only a file that opens with a "From " separator is a mailbox; otherwise it is one message.
  const parts = isFromSeparator(lines, i) || /^From \S+ /.test(first) ? splitMbox(lines.slice(i)) : [];
  if (parts.length === 0) {
    return { format: 'eml', messages: [mailMessage(lines.slice(i), lines[i]?.line ?? 1, ctx)] };
  }
  const fp = /^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001/.test(first);
  const format = parts.length > 1 ? 'mbox' : fp ? 'format-patch' : 'mbox';
  const messages = parts.map((p) => mailMessage(p.lines, p.start, ctx));
  followUpTrailers(messages);
  return { format, messages };
}

/**
 * b4-style: Reviewed-by/Acked-by/Tested-by given in a reply are attributed to the patch replied to.
 * A reply quoting a patch that is itself in the input is a copy of it: marked superseded.
 */
function followUpTrailers(messages: MailMessage[]): void {
  const byId = new Map<string, MailMessage>();
  for (const m of messages) if (m.messageId && (m.kind === 'patch' || m.kind === 'cover')) byId.set(m.messageId, m);
  for (const m of messages) {
    if ((m.kind !== 'discussion' && m.kind !== 'reply-with-patch') || !m.inReplyTo) continue;
    const target = byId.get(m.inReplyTo);
    if (!target) continue;
    if (m.kind === 'reply-with-patch') m.superseded = true;
    for (const t of m.trailers) {
      if (!t.key.endsWith('-by') || t.key === 'Signed-off-by') continue;
      if (!target.trailers.some((x) => x.key === t.key && x.value === t.value)) target.trailers.push(t);
    }
  }
}

function plainHead(lines: Line[]): MessageHead {
  return { subject: '', from: null, date: null, messageId: null, inReplyTo: null, inputLine: lines[0]?.line ?? 1 };
}

function parseText(text: string, file: string): ParsedInput {
  const ctx: Ctx = { file, problems: [] };
  const lines = splitLines(text);
  let format = 'text';
  let messages: MailMessage[] = [];
  if (!text.trim()) {
    problem(ctx, 'empty', 'input is empty');
  } else if (isScraped(lines)) {
    const sc = unscrape(lines, ctx);
    const m = buildMessage(sc.head, sc.body, ctx);
    format = sc.archive ? 'archive-page' : m.kind === 'reply-with-patch' && !sc.head.subject ? 'reply' : 'eml';
    messages = [m];
  } else if (looksLikePullRequest(lines)) {
    const pr = parsePullRequest(lines, ctx);
    return { file, format: 'pull-request-page', series: { title: pr.title, version: pr.version, total: pr.total }, messages: pr.messages, problems: ctx.problems };
  } else if (looksLikeGitLog(lines)) {
    format = 'git-log';
    messages = parseGitLog(lines, ctx);
  } else if (looksLikeMail(lines)) {
    const r = parseMail(lines, ctx);
    format = r.format;
    messages = r.messages;
  } else {
    const page = detectPipermail(lines) ?? detectLore(lines) ?? detectLkml(lines);
    if (page) {
      format = 'archive-page';
      messages = [buildMessage(page.head, page.body, ctx)];
    } else if (findDiffStart(lines) >= 0) {
      format = 'diff';
      // A commit message may precede the diff without mail headers: its first line is the subject.
      const d = findDiffStart(lines);
      let s = 0;
      while (s < d && lines[s].text.trim() === '') s++;
      const head = plainHead(lines);
      let body = lines;
      if (s < d && !/^(---|\+\+\+|index |diff )/.test(lines[s].text) && lines[s].text.length < 200) {
        head.subject = lines[s].text.trim();
        head.inputLine = lines[s].line;
        body = lines.slice(s + 1);
      }
      const m = buildMessage(head, body, ctx);
      if (!head.subject) m.version = null;
      messages = [m];
    } else if (findQuotedPatch(lines, false)) {
      format = 'reply';
      messages = [buildMessage(plainHead(lines), lines, ctx)];
    } else {
      problem(ctx, 'no-patch', 'no mail headers, archive page or diff recognised');
    }
  }
  const series = format === 'diff' || format === 'git-log' ? null : seriesOf(messages, ctx);
  if (text.includes('\uFFFD')) {
    problem(ctx, 'encoding', 'input contains U+FFFD replacement characters: it was not valid UTF-8 when read; affected text may differ from the original');
  }
  if (MANGLED_RE.test(text.slice(0, 200000))) {
    problem(ctx, 'mangled-address', 'the archive hid some e-mail addresses ("user@xxxxxx", "[email protected]"); those are left empty');
  }
  return { file, format, series, messages, problems: ctx.problems };
}

export function parseInput(text: string, file: string): ParsedInput {
  try {
    return parseText(typeof text === 'string' ? text : String(text ?? ''), file);
  } catch (e) {
    return {
      file,
      format: 'unknown',
      series: null,
      messages: [],
      problems: [{ input: file, kind: 'internal-error', message: `mail parser failed: ${(e as Error)?.message ?? String(e)}` }],
    };
  }
}
