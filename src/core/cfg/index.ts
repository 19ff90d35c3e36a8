// Control flow and paths: CFG from the IR of core/c, bounded deterministic path enumeration.
export { buildCfg } from './graph';
export type { Cfg, GapMeta } from './graph';
export { enumeratePaths } from './paths';
export type { PathOptions, PathResult } from './paths';
export { renderPathsText, renderStep } from './render';
