/*
 * Does this text look like kernel patch mail? Cheap, used on open to give mail-looking .txt files
 * (archive pages, scraped mails) the patch-mail language. No vscode, no DOM.
 */

/** The same first-line test as package.json's contributes.languages[patch-mail].firstLine. */
export const FIRST_LINE = /^(From [0-9a-f]{40} |From: |From nobody |Subject: |\[(PATCH|RFC)( [^\]]*)?\] )/;

const DIFF = /(^|\s)(diff --git a\/\S+ b\/|@@ -\d+(,\d+)? \+\d+(,\d+)? @@)/m;
/** A GitHub pull-request page of a patch series (commits with trailers, no diff). */
const PR_PAGE = /wants to merge \d+ commits? into/;
const MAILISH = /(^|\s)(From: |Subject: |Signed-off-by: |\[(PATCH|RFC)[^\]]*\])/m;

/** True for mail-looking text: a mail first line, or a diff (or a pull-request page) with mail headers/trailers. */
export function looksLikePatchMail(text: string): boolean {
  const head = text.slice(0, 256 * 1024);
  const firstLine = head.slice(0, head.indexOf('\n') === -1 ? head.length : head.indexOf('\n'));
  if (FIRST_LINE.test(firstLine)) return true;
  return (DIFF.test(head) || PR_PAGE.test(head)) && MAILISH.test(head);
}
