/* Text dump of analysed functions and their paths, for `lockstep paths` and for reviewers. */
import type { FunctionAnalysis, SrcRef, Step } from '../types';

function at(r: SrcRef): string {
  const s = r.sourceLine !== null ? `L${r.sourceLine}` : 'L?';
  const i = r.inputLine !== null ? `in:${r.inputLine}` : 'in:?';
  return `${s} ${i}`.padEnd(14);
}

export function renderStep(s: Step, i: number): string {
  const head = `    ${String(i).padStart(3)} ${at(s.ref)} `;
  switch (s.kind) {
    case 'call':
      return `${head}call    ${s.assignTo ? `${s.assignTo} = ` : ''}${s.call.name}(${s.call.args.join(', ')})`;
    case 'assign':
      return `${head}assign  ${s.lhs} = ${s.rhs}`;
    case 'assume': {
      const f = s.facts.map((x) => `#${x.callStep} ${x.relation}${x.value !== undefined ? ` ${x.value}` : ''}`).join(', ');
      return `${head}assume  ${s.cond} is ${s.value}${f ? `   {${f}}` : ''}`;
    }
    case 'return':
      return `${head}return  ${s.expr ?? ''}`.trimEnd();
    case 'gap':
      return `${head}gap     ${s.text}`;
    case 'bug':
      return `${head}bug     ${s.text}`;
  }
}

export function renderPathsText(fns: FunctionAnalysis[]): string {
  const out: string[] = [];
  for (const f of fns) {
    out.push(`${f.file}: ${f.name} (${f.side}) lines ${f.startLine}-${f.endLine}, input line ${f.inputLine}`);
    out.push(`  ${f.complete ? 'complete' : `partial: ${f.partialReasons.join('; ')}`}`);
    if (f.notAnalysed) out.push(`  not analysed: ${f.notAnalysed}`);
    out.push(`  paths: ${f.paths.length}${f.truncated ? ' (truncated)' : ''}`);
    if (f.callees.length) out.push(`  calls: ${f.callees.join(', ')}`);
    for (const p of f.problems) out.push(`  problem: ${p.kind ? `[${p.kind}] ` : ''}${p.message}`);
    for (const p of f.paths) {
      out.push(`  ${p.id}: ends ${p.end}${p.returnExpr !== null ? ` (return ${p.returnExpr})` : ''}${p.crossesGap ? ', crosses a gap' : ''}`);
      for (const a of p.assumptions) out.push(`    assumes ${a}`);
      p.steps.forEach((s, i) => out.push(renderStep(s, i)));
    }
    out.push('');
  }
  return out.join('\n');
}
