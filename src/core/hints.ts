/*
 * Which built-in scenario a patch (or a discussion) is about, from what it says and touches, and which
 * ones bear on one changed function. Data, so that a reviewer of a series — even one whose diffs we do
 * not have, like a pull-request page — is offered the scenario that replays the race or deadlock the
 * patch is about.
 */
import type { MailMessage } from './types';

export interface ScenarioHint {
  /** Index of the message in ParsedInput.messages. */
  message: number;
  scenario: string;
  /** Why, in words ("mentions netfs_unlock_abandoned_read_pages"). */
  reason: string;
}

interface Trigger {
  scenario: string;
  /** Every pattern must match somewhere in the message's subject, body or diff lines. */
  all: RegExp[];
  what: string;
}

export const SCENARIO_TRIGGERS: readonly Trigger[] = [
  { scenario: 'abandoned-read-double-unlock', all: [/netfs_unlock_abandoned_read_pages|NO_UNLOCK_FOLIO/, /unlock/i], what: 'the abandoned-read folio unlock and NO_UNLOCK_FOLIO' },
  { scenario: 'wb-handoff', all: [/netfs_wb_(begin|end)\b|NETFS_ICTX_WB_LOCK|\bwb_lock\b/], what: 'the netfs writeback lock' },
  { scenario: 'stable-writes-race', all: [/inode_writethrough_(begin|end)|i_wt_count/], what: 'the writethrough stable-writes counter' },
  { scenario: 'writeback-iter-break', all: [/\bwriteback_iter\b/], what: 'the writeback_iter() loop' },
  { scenario: 'writeback-under-folio-lock', all: [/prepare_write|write_begin|lock_page|folio_lock/, /writepages?\b|write_cache_pages|sync_inodes|filemap_write_and_wait/, /deadlock/i], what: 'starting writeback while holding a page lock' },
];

function haystack(m: MailMessage): string {
  const parts = [m.rawSubject, m.subject, m.body];
  for (const f of m.files) for (const h of f.hunks) for (const l of h.lines) parts.push(l.text);
  return parts.join('\n');
}

export function scenarioHints(messages: MailMessage[]): ScenarioHint[] {
  const out: ScenarioHint[] = [];
  messages.forEach((m, i) => {
    const text = haystack(m);
    for (const t of SCENARIO_TRIGGERS) {
      if (t.all.every((re) => re.test(text))) out.push({ message: i, scenario: t.scenario, reason: `it is about ${t.what}` });
    }
  });
  return out;
}

/** Per changed function (its name and the operations on its simulated paths): the code lens's "Simulate with other tasks". */
export interface FunctionScenarioRule {
  scenario: string;
  /** Tested against the function name and each step's operation text. */
  pattern: RegExp;
}

export const FUNCTION_SCENARIO_RULES: readonly FunctionScenarioRule[] = [
  { scenario: 'wb-handoff', pattern: /\bnetfs_wb_(?:begin|end)\b|\bnetfs_write_collection\b|\bnetfs_writepages\b/ },
  { scenario: 'writeback-iter-break', pattern: /\bwriteback_iter\b/ },
  { scenario: 'stable-writes-race', pattern: /\bi_wt_count\b|\bAS_STABLE_WRITES\b|stable_writes|\bnetfs_(?:begin|end)_writethrough\b/ },
  { scenario: 'writeback-under-folio-lock', pattern: /\bfilemap_(?:write_and_wait\w*|fdatawrite\w*)\b|\bwrite_inode_now\b|\bsync_inode\w*\b|\bwriteback_single_inode\b/ },
  { scenario: 'abandoned-read-double-unlock', pattern: /\bnetfs_write_begin\b|\bNETFS_RREQ_NO_UNLOCK_FOLIO\b|\bnetfs_read_collection\b/ },
];

/** Scenario names that apply to a function, in table order, restricted to the ones known. */
export function scenariosForFunction(functionName: string, ops: string[], known: string[]): string[] {
  const texts = [functionName, ...ops];
  return FUNCTION_SCENARIO_RULES.filter((r) => known.includes(r.scenario) && texts.some((t) => r.pattern.test(t))).map((r) => r.scenario);
}
