// The simulator: API table (data), function contracts, the path runner, the world model, the
// interleaving explorer and the scenario library (kernel-model.md; issue 5).
export { builtinApiTable, builtinEntries, loadApiTable, lookupApi } from './apiTable';
export type { ApiEntry, ApiOp, ApiTable, OpKind, ResultCondition } from './apiTable';
export { evalCondition, returnClass } from './conditions';
export type { ReturnClass } from './conditions';
export { contractFor, isWritepagesLike, WB_OWNING_ORIGINS, WB_FREE_ORIGINS } from './contracts';
export type { FunctionContract, ContractVariant, EntryHeld } from './contracts';
export { runPath, objectKey } from './runPath';
export { summarizeFunction, summarizeAll } from './summaries';
export { returnContracts } from './returnContracts';
export type { ReturnVerdict, RunOfPath } from './returnContracts';
export type { PathRun, RunPathOptions, FunctionSummary, SummaryEffect } from './runPath';
export { explore } from './explorer';
export type { Model, Move, Invariant, ExploreOptions, ExploreResult, ExploreStep } from './explorer';
export { scenarioList, scenarioDef, runScenario, scenarioTrace, renderScenarioText, scenarioMessage } from './scenarios/index';
export type { ScenarioResult, ScenarioOptions, ScenarioDef } from './scenarios/index';
// The world's kernel primitives (folio bits with the kernel's assertions) and the writeback_iter model,
// for scenario authors and tests.
export * as simWorld from './world';
export { writebackIterMove } from './wbIter';
export type { IterRegs, IterCtx } from './wbIter';
