/*
 * The diffstat between `---` and the diff ("fs/netfs/locking.c | 95 +++", "5 files changed, ...")
 * cross-checks the diff we read: a file count that disagrees is reported.
 */
import type { FileDiff } from '../types';
import type { Line } from './lines';
import { type Ctx, problem } from './context';

export function checkDiffstat(notes: Line[], files: FileDiff[], ctx: Ctx): void {
  for (const l of notes) {
    const m = /^\s*(\d+) files? changed/.exec(l.text);
    if (m) {
      const n = Number(m[1]);
      if (n !== files.length) {
        problem(ctx, 'diffstat-mismatch', `diffstat says ${n} file(s) changed, the diff has ${files.length}`, l.line);
      }
      return;
    }
  }
}
