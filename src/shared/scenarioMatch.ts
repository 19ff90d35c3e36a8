/*
 * Which built-in cross-task scenarios bear on a changed function: a table of patterns matched against
 * the function's name and the operations on its simulated paths. Data, not code paths; no vscode.
 */
export interface ScenarioRule {
  scenario: string;
  /** Tested against the function name and each step's operation text. */
  pattern: RegExp;
}

export const SCENARIO_RULES: ScenarioRule[] = [
  { scenario: 'wb-handoff', pattern: /\bnetfs_wb_(?:begin|end)\b|\bnetfs_write_collection\b|\bnetfs_writepages\b/ },
  { scenario: 'writeback-iter-break', pattern: /\bwriteback_iter\b/ },
  { scenario: 'stable-writes-race', pattern: /\bi_wt_count\b|\bAS_STABLE_WRITES\b|stable_writes|\bnetfs_(?:begin|end)_writethrough\b/ },
  { scenario: 'writeback-under-folio-lock', pattern: /\bfilemap_(?:write_and_wait\w*|fdatawrite\w*)\b|\bwrite_inode_now\b|\bsync_inode\w*\b|\bwriteback_single_inode\b/ },
  { scenario: 'abandoned-read-double-unlock', pattern: /\bnetfs_write_begin\b|\bNETFS_RREQ_NO_UNLOCK_FOLIO\b|\bnetfs_read_collection\b/ },
];

/** Scenario names that apply, in table order, restricted to the ones the core knows. */
export function scenariosFor(functionName: string, ops: string[], known: string[]): string[] {
  const texts = [functionName, ...ops];
  return SCENARIO_RULES.filter((r) => known.includes(r.scenario) && texts.some((t) => r.pattern.test(t))).map((r) => r.scenario);
}
