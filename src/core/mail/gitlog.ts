/*
 * `git show` / `git log -p` output: "commit <sha>", "Author: Name <addr>", "Date: ...", the
 * commit message indented by four spaces, then the diff. Each commit becomes one message.
 */
import type { MailMessage } from '../types';
import type { Line } from './lines';
import type { Ctx } from './context';
import { buildMessage } from './message';
import { parsePerson } from './person';

const COMMIT_RE = /^commit [0-9a-f]{7,64}\b/;

export function looksLikeGitLog(lines: Line[]): boolean {
  let i = 0;
  while (i < lines.length && lines[i].text.trim() === '') i++;
  return COMMIT_RE.test(lines[i]?.text ?? '') && lines.slice(i + 1, i + 5).some((l) => /^Author: /.test(l.text));
}

export function parseGitLog(lines: Line[], ctx: Ctx): MailMessage[] {
  const starts: number[] = [];
  lines.forEach((l, i) => { if (COMMIT_RE.test(l.text)) starts.push(i); });
  const out: MailMessage[] = [];
  for (let k = 0; k < starts.length; k++) {
    const a = starts[k];
    const b = k + 1 < starts.length ? starts[k + 1] : lines.length;
    let i = a + 1;
    let author: string | null = null;
    let date: string | null = null;
    for (; i < b && lines[i].text.trim() !== ''; i++) {
      const t = lines[i].text;
      if (t.startsWith('Author: ')) author = t.slice(8);
      else if (/^(Date|AuthorDate): /.test(t)) date = t.replace(/^\w+:\s*/, '');
    }
    // Message lines are indented by four spaces; the first is the subject.
    const msg: Line[] = [];
    for (i++; i < b && (lines[i].text.startsWith('    ') || lines[i].text.trim() === ''); i++) {
      if (lines[i].text.trim() === '' && i + 1 < b && !lines[i + 1].text.startsWith('    ') && lines[i + 1].text.trim() !== '') { i++; break; }
      msg.push({ text: lines[i].text.slice(4), line: lines[i].line });
    }
    while (msg.length && msg[0].text.trim() === '') msg.shift();
    const subject = msg.shift()?.text.trim() ?? '';
    const body = [...msg, ...lines.slice(i, b)];
    const m = buildMessage(
      { subject, from: author ? parsePerson(author) : null, date, messageId: null, inReplyTo: null, inputLine: lines[a].line },
      body,
      ctx,
    );
    out.push(m);
  }
  return out;
}
