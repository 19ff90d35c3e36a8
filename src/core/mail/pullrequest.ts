/*
 * A pull-request page (GitHub, copied as text) made from a patch series by a bot such as ml2pr:
 * series title ("...#919"), declared patch count ("Patches: 26/26", "wants to merge 26 commits"),
 * version, and the commit messages with their trailers. Such a page carries no diff; none is
 * invented.
 */
import type { MailMessage } from '../types';
import type { Line } from './lines';
import { joinText, trimBlank } from './lines';
import { type Ctx, problem } from './context';
import { parseTrailerLine } from './trailers';
import { parsePerson } from './person';

export interface PullRequestPage {
  title: string;
  version: number | null;
  total: number | null;
  messages: MailMessage[];
}

const MERGE_RE = /\bwants to merge (\d+) commits? into/;
const ADDED_RE = /\badded (\d+) commits? /;

export function looksLikePullRequest(lines: Line[]): boolean {
  const head = lines.slice(0, 80).map((l) => l.text);
  return head.some((t) => MERGE_RE.test(t)) && head.some((t) => /#\d+\s*$/.test(t));
}

function isEndOfCommits(t: string): boolean {
  return /^@[\w-]/.test(t) || /^Sign up for free/.test(t) || /^(Labels|Reviewers|Assignees)$/.test(t.trim());
}

export function parsePullRequest(lines: Line[], ctx: Ctx): PullRequestPage {
  let title = '';
  let version: number | null = null;
  let total: number | null = null;
  let messageId: string | null = null;
  let addedAt = -1;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].text.trim();
    let m: RegExpExecArray | null;
    if (!title && (m = /^(.+?)\s*#(\d+)$/.exec(t)) && !t.startsWith('#')) title = m[1];
    else if (total === null && (m = /^Patches:\s*(\d+)\/(\d+)/.exec(t))) total = Number(m[2]);
    else if (version === null && (m = /^Version:\s*(\d+)/.exec(t))) version = Number(m[1]);
    else if (!messageId && (m = /^Message-ID:\s*<([^>]+)>/i.exec(t))) messageId = m[1];
    if (addedAt < 0 && ADDED_RE.test(t)) addedAt = i;
  }
  const merge = lines.slice(0, 80).map((l) => MERGE_RE.exec(l.text)).find(Boolean);
  const declared = merge ? Number(merge[1]) : null;
  if (total === null) total = declared;
  else if (declared !== null && declared !== total) {
    problem(ctx, 'pr-count', `page says "${declared} commits" but "Patches: .../${total}"`);
  }
  // Commit messages follow "X added N commits <date>", one after another without titles: a message
  // ends with its trailer block; the next non-trailer line starts the next one.
  const commits: Line[][] = [];
  if (addedAt >= 0) {
    let cur: Line[] = [];
    let inTrailers = false;
    for (let i = addedAt + 1; i < lines.length; i++) {
      const l = lines[i];
      if (isEndOfCommits(l.text)) break;
      const tr = parseTrailerLine(l.text, l.line, false);
      const blank = l.text.trim() === '';
      if (tr) inTrailers = true;
      else if (inTrailers && !blank && !/^\s*\[.*\]\s*$/.test(l.text)) {
        commits.push(cur);
        cur = [];
        inTrailers = false;
      }
      cur.push(l);
    }
    if (cur.some((l) => l.text.trim())) commits.push(cur);
  }
  const messages: MailMessage[] = commits.map((c, k) => {
    const body = trimBlank(c);
    const trailers = body.map((l) => parseTrailerLine(l.text, l.line, false)).filter((t): t is NonNullable<typeof t> => !!t);
    const msgLines = body.filter((l) => !parseTrailerLine(l.text, l.line, false));
    const sob = trailers.find((t) => t.key === 'Signed-off-by');
    return {
      kind: 'series-entry',
      subject: '',
      rawSubject: '',
      version,
      versionExplicit: version !== null,
      index: k + 1,
      total,
      countersExplicit: false,
      tags: [],
      from: sob?.person ?? (sob ? parsePerson(sob.value) : null),
      date: null,
      messageId: null,
      inReplyTo: null,
      trailers,
      body: joinText(trimBlank(msgLines)),
      files: [],
      inputLine: body[0]?.line ?? c[0]?.line ?? 1,
    };
  });
  if (total !== null && messages.length !== total) {
    problem(ctx, 'pr-commit-count', `found ${messages.length} commit messages on the page, the series declares ${total}`);
  }
  problem(ctx, 'no-diff', 'a pull-request page carries commit messages only; no diff is available (and none is invented)');
  return { title, version, total, messages };
}
