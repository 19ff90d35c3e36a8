// C understanding: tree-sitter (one owner), IR, function reconstruction from hunks.
export { initTreeSitter, treeSitterReady } from './treesitter';
export { analyzeFileDiff, analyzeFileDiffReport, analyzeSource, analyzeFunctionText } from './analyze';
export type { SourceOptions } from './analyze';
export { reconstructFunctions } from './reconstruct';
export type { FunctionText, GapInfo } from './reconstruct';
export { analyzeWithTree, carriesImage, treeSides } from './tree';
export { mapLine, lineMapper } from './lineMap';
export type { MappedLine, LineMapper } from './lineMap';
export type { TreeAnalysis, TreeState } from './tree';
export { splitFunctions } from './reconstruct';
export { bareParseMs, parseStats } from './treesitter';
