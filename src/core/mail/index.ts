// Patch mail ingestion: parseInput(text, file) → ParsedInput; toParseJson for `lockstep parse`.
export { parseInput } from './parse';
export { toParseJson } from './json';
export { parseSubject } from './subject';
export type { SubjectInfo } from './subject';
