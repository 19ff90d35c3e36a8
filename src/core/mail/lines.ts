/*
 * Lines with their provenance. Every layer of mail parsing works on `Line[]`: the decoded text of
 * one line and the 1-based input line it was read from (null when no single input line can be
 * proven, e.g. text rebuilt from a line-less scrape with no line boundaries at all).
 */

export interface Line {
  text: string;
  /** 1-based line of the input file as given. */
  line: number;
}

/** Split text into lines (LF, CRLF or lone CR), numbering from 1. A final newline adds no line. */
export function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const hasCR = text.includes('\r');
  let start = 0;
  let n = 1;
  const len = text.length;
  if (!hasCR) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
      out.push({ text: text.slice(start, i), line: n++ });
      start = i + 1;
    }
  } else {
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        out.push({ text: text.slice(start, i), line: n++ });
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
      }
    }
  }
  if (start < len) out.push({ text: text.slice(start), line: n });
  return out;
}

export function joinText(lines: Line[]): string {
  return lines.map((l) => l.text).join('\n');
}

/** Trim leading and trailing blank lines. */
export function trimBlank(lines: Line[]): Line[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].text.trim() === '') a++;
  while (b > a && lines[b - 1].text.trim() === '') b--;
  return lines.slice(a, b);
}
