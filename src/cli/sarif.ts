// SARIF 2.1.0 rendering of a CheckReport, for code-scanning dashboards.
import type { CheckReport, Finding } from '../core/types';
import { CHECKS } from '../core/checks/index';
import { VERSION } from '../core/version';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;
const BASELINE = { introduced: 'new', persists: 'unchanged', fixed: 'absent' } as const;

function location(file: string, line: number | null) {
  return {
    physicalLocation: {
      artifactLocation: { uri: file.split('\\').join('/') },
      ...(line != null ? { region: { startLine: line } } : {}),
    },
  };
}

export function toSarif(r: CheckReport): object {
  const result = (f: Finding) => ({
    ruleId: f.check,
    level: LEVEL[f.severity],
    baselineState: BASELINE[f.status],
    message: { text: `${f.function}: ${f.message}` },
    locations: [location(f.input.file, f.input.line)],
    relatedLocations: f.related.map((rel, i) => ({ id: i + 1, ...location(rel.input.file, rel.input.line), message: { text: rel.message } })),
    properties: { status: f.status, function: f.function, kernelFile: f.file, kernelLine: f.line, side: f.side, rule: f.rule ?? null },
  });
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: {
        driver: {
          name: 'lockstep',
          version: VERSION,
          rules: CHECKS.map((c) => ({ id: c.id, name: c.title, shortDescription: { text: c.rule } })),
        },
      },
      results: r.findings.map(result),
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: r.problems.map((p) => ({
          level: 'warning',
          message: { text: p.message },
          ...(p.input ? { locations: [location(p.input, p.line ?? null)] } : {}),
        })),
      }],
    }],
  };
}
