/*
 * Patch mail ingestion.
 *
 *   parseInput(text, file) → ParsedInput   (synchronous, never throws; problems are data)
 *   toParseJson(parsed)    → the `lockstep parse --format json` object
 *   parseSubject(raw)      → SubjectInfo    (kernel-tool subject parsing, for tests and tools)
 *
 * Formats recognised (ParsedInput.format): "mbox" (mboxo/mboxrd, series with cover letter and
 * replies), "format-patch", "eml" (single mail, MIME: multipart, QP, base64, RFC 2047; also a
 * mail scraped onto one line), "archive-page" (pipermail, lore/public-inbox, LKML archive; also
 * scraped), "reply" (a reply quoting a patch, without headers), "pull-request-page" (a series
 * turned into a GitHub PR; commit messages only), "git-log" (git show / git log -p), "diff"
 * (plain unified diff, optionally after a commit message), "text" (nothing recognised).
 *
 * Every DiffLine carries the input line it was read from; a line that cannot be proven is not
 * mapped (its hunk is reported in `problems` instead).
 */
export { parseInput } from './parse';
export { toParseJson } from './json';
export { parseSubject } from './subject';
export type { SubjectInfo } from './subject';
