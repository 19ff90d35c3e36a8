// The `lockstep parse --format json` shape.
import type { ParsedInput } from '../types';

export function toParseJson(p: ParsedInput): object {
  return {
    format: p.format,
    series: p.series ? { title: p.series.title, version: p.series.version, total: p.series.total } : null,
    messages: p.messages.map((m) => ({
      subject: m.subject,
      version: m.version,
      index: m.index,
      total: m.total,
      from: m.from ? { name: m.from.name, email: m.from.email } : null,
      date: m.date,
      messageId: m.messageId,
      inReplyTo: m.inReplyTo,
      trailers: m.trailers.map((t) => ({ key: t.key, value: t.value })),
      files: m.files.map((f) => ({
        oldPath: f.oldPath,
        newPath: f.newPath,
        status: f.status,
        hunks: f.hunks.map((h) => ({
          oldStart: h.oldStart,
          oldLines: h.oldLines,
          newStart: h.newStart,
          newLines: h.newLines,
          section: h.section,
          inputLine: h.inputLine,
        })),
      })),
    })),
    problems: p.problems.map((q) => {
      const o: Record<string, unknown> = {};
      if (q.input !== undefined) o.input = q.input;
      if (q.line !== undefined) o.line = q.line;
      if (q.kind !== undefined) o.kind = q.kind;
      o.message = q.message;
      return o;
    }),
  };
}
