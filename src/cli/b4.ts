// b4's per-patch CI check format: one message in, [{tool, status, summary, url, details}] out.
import type { CheckReport } from '../core/types';

export function toB4(r: CheckReport): object[] {
  const live = r.findings.filter((f) => f.status === 'introduced');
  const errors = live.filter((f) => f.severity === 'error');
  const warnings = live.filter((f) => f.severity === 'warning');
  const status = errors.length ? 'fail' : warnings.length ? 'warn' : 'pass';
  const analysed = r.functions.filter((f) => f.side === 'post' && !f.notAnalysed).length;
  const summary = status === 'pass'
    ? `no locking problem introduced (${analysed} changed function${analysed === 1 ? '' : 's'} simulated)`
    : `${errors.length} error(s), ${warnings.length} warning(s) introduced`;
  const details = [
    ...live.map((f) => `${f.file}:${f.line ?? '?'}: ${f.severity}: ${f.function}: ${f.message} [${f.check}]`),
    ...r.findings.filter((f) => f.status === 'fixed').map((f) => `${f.file}:${f.line ?? '?'}: fixed: ${f.function}: ${f.message} [${f.check}]`),
    ...r.problems.map((p) => `not analysed: ${p.message}`),
  ].join('\n');
  return [{ tool: 'lockstep', status, summary, url: null, details }];
}
