// Text renderings of the CLI's results. JSON output is the plain report object.
import type { CheckReport } from '../core/types';

export function checkText(r: CheckReport): string {
  const lines: string[] = [];
  for (const f of r.findings) {
    const where = `${f.input.file}:${f.input.line ?? '?'}`;
    const src = f.line != null ? ` (${f.file}:${f.line}, ${f.side})` : '';
    lines.push(`${where}: ${f.severity}: ${f.status}: ${f.function}: ${f.message}${src} [${f.check}]`);
    for (const rel of f.related) {
      // A related place the patch does not show (tree mode) is named by its kernel source line.
      const at = rel.input.line != null ? `${f.input.file}:${rel.input.line}` : `${f.file}:${rel.line ?? '?'}`;
      lines.push(`    ${at}: note: ${rel.message}`);
    }
  }
  for (const p of r.problems) {
    lines.push(`${p.input ?? '-'}:${p.line ?? '?'}: problem: ${p.message}`);
  }
  const analysed = r.functions.filter((f) => !f.notAnalysed);
  const count = (sev: string) => r.findings.filter((f) => f.severity === sev && f.status !== 'fixed').length;
  const fixed = r.findings.filter((f) => f.status === 'fixed').length;
  const partial = analysed.filter((f) => !f.complete).length;
  lines.push(
    `lockstep: ${r.inputs.map((i) => `${i.file} (${i.format}, ${i.patches} patch${i.patches === 1 ? '' : 'es'})`).join(', ')}: ` +
      `${analysed.length} function side${analysed.length === 1 ? '' : 's'} analysed (${partial} partial), ` +
      `${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} note(s), ${fixed} fixed, ${r.problems.length} problem(s)`,
  );
  return lines.join('\n') + '\n';
}
