/*
 * Plain-data types shared by every core layer (mail → C → paths → simulator → checks).
 * No vscode, no DOM, no classes with behaviour: everything here must survive JSON.stringify.
 */

/** Something the core could not do, or did only partly. Never thrown: listed. */
export interface Problem {
  /** Input file (as given by the caller) the problem is about, if any. */
  input?: string;
  /** 1-based line in that input file, if known. */
  line?: number;
  /** Short machine-readable kind, e.g. "hunk-count-mismatch", "parse-errors", "path-cap". */
  kind?: string;
  message: string;
}

// ───────────────────────────── mail ─────────────────────────────

export type DiffLineKind = 'context' | 'add' | 'del';

export interface DiffLine {
  kind: DiffLineKind;
  /** The line without its leading ' ', '+' or '-' (and without any reply quote prefix). */
  text: string;
  /** 1-based line in the input file this diff line was read from. */
  inputLine: number;
  /** Line in the pre-image source file (context and del), else null. */
  oldLine: number | null;
  /** Line in the post-image source file (context and add), else null. */
  newLine: number | null;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The text after the second @@ (git's function context heading), '' when absent. */
  section: string;
  /** 1-based input line of the @@ header. */
  inputLine: number;
  lines: DiffLine[];
}

export type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied' | 'mode-change' | 'binary';

export interface FileDiff {
  oldPath: string | null;
  newPath: string | null;
  status: FileStatus;
  /** 1-based input line of the `diff --git` (or `---`) header. */
  inputLine: number;
  hunks: Hunk[];
}

export interface Person {
  name: string;
  email: string;
}

export interface Trailer {
  key: string;
  value: string;
  person?: Person;
  inputLine?: number;
  /** For Fixes: the commit id; for Link/Closes/BugLink: the URL (kept for later linking). */
  target?: string;
}

export type MessageKind = 'patch' | 'cover' | 'reply-with-patch' | 'discussion' | 'series-entry';

export interface MailMessage {
  kind: MessageKind;
  /** Subject with tags removed ("netfs: Replace wb_lock ..."). */
  subject: string;
  rawSubject: string;
  version: number | null;
  versionExplicit: boolean;
  index: number | null;
  total: number | null;
  countersExplicit: boolean;
  tags: string[];
  from: Person | null;
  date: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  trailers: Trailer[];
  /** The commit message (before the `---`), as text. */
  body: string;
  files: FileDiff[];
  /** 1-based input line where this message starts. */
  inputLine: number;
  /** Set when a newer version of the same series is in the same input (newest wins, older kept). */
  superseded?: boolean;
  /** Notes between the `---` and the diff (changelog, diffstat), as text. */
  notes?: string;
}

export interface ParsedInput {
  file: string;
  /** e.g. "archive-page", "mbox", "format-patch", "eml", "diff", "reply", "pull-request-page". */
  format: string;
  series: { title: string; version: number | null; total: number | null } | null;
  messages: MailMessage[];
  problems: Problem[];
}

// ───────────────────────────── C: functions and paths ─────────────────────────────

export type Side = 'pre' | 'post';

/** Where a step came from: the input file line and the kernel source line on the analysed side. */
export interface SrcRef {
  inputLine: number | null;
  sourceLine: number | null;
}

export interface CallInfo {
  /** Callee name as written ("netfs_wb_begin", "folio_unlock"). Indirect calls: the expression text. */
  name: string;
  /** Argument expressions as source text, trimmed. */
  args: string[];
}

/** A fact a branch assumed about the result of an earlier call step on the same path. */
export interface CallFact {
  /** Index (into Path.steps) of the call step the fact is about. */
  callStep: number;
  /** What the branch tells about the result. */
  relation: 'true' | 'false' | 'zero' | 'nonzero' | 'negative' | 'nonnegative' | 'is-err' | 'not-err' | 'null' | 'nonnull' | 'eq' | 'ne';
  /** For eq/ne: the compared expression text ("VM_FAULT_LOCKED", "-ENOMEM"). */
  value?: string;
}

export type Step =
  | { kind: 'call'; call: CallInfo; assignTo: string | null; text: string; ref: SrcRef }
  | { kind: 'assign'; lhs: string; rhs: string; text: string; ref: SrcRef }
  | { kind: 'assume'; cond: string; value: boolean; facts: CallFact[]; text: string; ref: SrcRef }
  | { kind: 'return'; expr: string | null; text: string; ref: SrcRef }
  /** Code the patch does not show (between hunks, before the first or after the last). */
  | {
      kind: 'gap';
      lines: number | null;
      text: string;
      ref: SrcRef;
      /**
       * Set when the unseen code can only be the signature and leading declarations of the function
       * (kernel C declares before statements): it cannot branch, return or jump, though declaration
       * initialisers may call functions. Absent otherwise.
       */
      declarationsOnly?: boolean;
    }
  /** BUG()/BUG_ON(true branch): the path ends here. */
  | { kind: 'bug'; text: string; ref: SrcRef };

export type PathEnd = 'return' | 'fallthrough' | 'unknown-exit' | 'bug' | 'cut';

export interface Path {
  /** Deterministic id within the function: "p0", "p1", ... in enumeration order. */
  id: string;
  steps: Step[];
  end: PathEnd;
  /** The return expression text when end === 'return' ("0", "error", "ERR_PTR(-ENOMEM)"), else null. */
  returnExpr: string | null;
  /** The branch conditions taken, in words, in order ("!netfs_wb_begin(...) is true"). */
  assumptions: string[];
  /** True when some step is a gap (the path crosses code the patch does not show). */
  crossesGap: boolean;
}

export interface FunctionAnalysis {
  name: string;
  /** Kernel source path of the side analysed (newPath for post, oldPath for pre). */
  file: string;
  side: Side;
  /** Signature and closing brace seen, no gaps inside. */
  complete: boolean;
  /** Why not complete, in words ("starts mid-function at line 551", "gap of 30 lines"). */
  partialReasons: string[];
  /** First and last source lines of the reconstructed text on this side. */
  startLine: number;
  endLine: number;
  /** Input line of the first line of the function shown in the patch. */
  inputLine: number;
  paths: Path[];
  /** True when a bound (states, witness paths, loop cap) cut the search. */
  truncated: boolean;
  /** Distinct (join node, state) pairs the path search visited. */
  states?: number;
  /** Set when the function was not analysed (too many parse errors, ...). Paths are then empty. */
  notAnalysed: string | null;
  /** Names of the functions this one calls (for inter-procedural summaries, opaque-callee listing). */
  callees: string[];
  /** Parameter names in order, when the signature was seen (for inter-procedural summaries). Optional. */
  params?: string[];
  /** Their types as written (`struct folio *`), when the signature was seen (internal: the role of a function). */
  paramTypes?: string[];
  /**
   * Variables the function body declares, as far as the patch shows it (with a partial function,
   * locals declared in unseen lines are missing). A name that is neither a parameter nor a local of a
   * complete function is a global. Optional.
   */
  locals?: string[];
  /** sparse context annotations on the definition (__acquires(x), __releases(x), __must_hold(x)), when any. */
  lockAnnotations?: { acquires: string[]; releases: string[]; mustHold: string[] };
  /**
   * Objects the patch's own added releases say are held, though neither side shows them acquired
   * (patchIntent.ts): both sides run with them held on entry, and findings resting on that are notes.
   */
  /** BUG()s the patch removes from this (pre-image) side (patchIntent.ts), compared without spaces. */
  bugsRemoved?: string[];
  /** Every call site of the function once, and the whole variables it assigns (internal; not in the JSON). */
  callSites?: Extract<Step, { kind: 'call' }>[];
  assignedNames?: string[];
  assumedHeld?: { resource: string; object: string; why: string; labels?: string[]; exits?: { line: number; kind: Step['kind']; value?: boolean }[]; keptBy?: string[]; free?: true; askFirst?: string; acquiredBy?: string; keepOnly?: true }[];
  problems: Problem[];
}

// ───────────────────────────── simulation traces ─────────────────────────────

export type Severity = 'error' | 'warning' | 'info';

/** One simulated step as the timeline draws it. */
export interface TraceStep {
  /** Task lane ("writer", "flusher", "collector", "caller"). */
  task: string;
  /** Operation in words ("netfs_wb_begin(ictx, nowait=true) → true"). */
  op: string;
  location: SrcRef & { file?: string } | null;
  /** Snapshot of the observable state after the step, as display strings keyed by object. */
  state: Record<string, string>;
  /** Set on the violating step: the kernel's own message or the invariant broken. */
  violation?: string;
  /** For a single-path trace: the index of the Path step this trace step shows. */
  pathStep?: number;
}

export interface Trace {
  title: string;
  tasks: string[];
  steps: TraceStep[];
  verdict: 'ok' | 'violation' | 'deadlock' | 'bounded' | 'unknown';
  summary: string;
}

/**
 * What the simulator reports while it runs one path (or one scenario). Checks subscribe to these,
 * as Smatch checks subscribe to lock/unlock/end-of-function hooks; a check never re-simulates.
 */
export interface SimEvent {
  /** Index of the path step (or trace step, for scenarios) the event happened at. */
  step: number;
  kind:
    | 'acquire'        // a resource became held by the running task
    | 'release'        // a held resource was released
    | 'handoff'        // the obligation to release moved to another object/task (request, collector, fault core)
    | 'violation'      // a kernel assertion or a model rule broke (double unlock, end without lock, ...)
    | 'leak'           // at a return: still held, not returned held, not handed off
    | 'ignored-result' // a conditional acquire whose result the path never tested
    | 'dropped-dirty'  // dirty state lost (skip path that does not re-dirty, cleared-but-unwritten folio)
    | 'opaque-call'    // a callee with no model and no summary: its effects are unknown
    | 'note';          // anything else worth showing on the timeline
  /** Resource class: 'wb-lock', 'folio-lock', 'writeback-bit', 'stable-writes', 'mutex', 'spinlock', 'refcount', 'inode-dirty', 'wb-iter'. */
  resource: string;
  /** The object, named from the source ("ictx", "folio", "&vnode->netfs"). */
  object: string;
  /** Rule id from the kernel model when a rule is broken ("WB2", "WB3", "R1", "ST1"). */
  rule?: string;
  message: string;
  /** Step indices of related events (where it was acquired, handed off, ...). */
  related?: number[];
  /** opaque-call: the arguments whose fate is unknown after the call (all of them when absent). */
  escaping?: string[];
  /** Evidence that is only a hint (a label's name, code not shown): reported as info at most, and says so. */
  hint?: boolean;
  /**
   * The finding holds only on some kernels (a convention that changed between versions), and the code
   * analysed does not show which one it is written for: reported as info at most, with this condition.
   */
  onlyIf?: string;
  /** Rests on what the patch's own added release says is held (patchIntent.ts): no contract is inferred from it. */
  byPatch?: true;
  /** Rests on the function's role (a ->read_folio must unlock its folio): no contract is inferred from it. */
  byRole?: true;
  /** A call that is wrong whatever the object's state (an internal helper, `__folio_put`): no hand-off excuses it. */
  misuse?: true;
  /**
   * True when a gap step (code the patch does not show) lies between the related step and this one,
   * so the unseen code might have changed the outcome. Checks soften or drop such findings.
   */
  acrossGap?: boolean;
  /** leak: the simulator's key of the object (matches FinalHeld.key). */
  key?: string;
  /** leak: found at a return (not at an overwrite or a continue). */
  atReturn?: boolean;
}

// ───────────────────────────── check results (the JSON contract) ─────────────────────────────

export type FindingStatus = 'introduced' | 'fixed' | 'persists';

export interface Related {
  message: string;
  line: number | null;
  input: { file: string; line: number | null };
}

export interface Finding {
  check: string;
  severity: Severity;
  status: FindingStatus;
  /** Kernel source file. */
  file: string;
  function: string;
  /** Line in the kernel source file on the side the finding is about. */
  line: number | null;
  input: { file: string; line: number | null };
  message: string;
  side: Side;
  /** Path id on that side ("p3"). */
  path: string | null;
  rule?: string;
  related: Related[];
  /** Set on an introduced finding that a later patch of the same series fixes. */
  fixedLater?: { message: number; subject: string };
}

/** The interleaving explorer run on functions of the patch against each other. */
export interface CrossTaskReport {
  title: string;
  check: string;
  side: Side;
  /** Index of the mail message the functions belong to. */
  message: number;
  functions: string[];
  verdict: 'holds' | 'violation' | 'deadlock' | 'bounded';
  /** What was found, or that it holds, in words. */
  summary: string;
  states: number;
  transitions: number;
  notExplored: string | null;
  /** The interleaving (a counterexample, or empty when it holds). Omitted from CLI JSON unless --traces. */
  trace?: Trace;
}

/** One path's outcome, as the code lens quick pick and the timeline show it. */
export interface PathReport {
  id: string;
  /** "ok", or the problem in words ("returns 0 with the wb lock held"). */
  outcome: string;
  severity: Severity | null;
  assumptions: string[];
  trace: Trace;
}

export interface FunctionReport {
  name: string;
  file: string;
  side: Side;
  complete: boolean;
  /** Number of distinct witness paths the state search found (each one is simulated and can be shown). */
  paths: number;
  /** Distinct (join node, state) pairs the search visited. */
  states?: number;
  /** True only when a real bound (states, witness paths, loop cap, work) stopped the search. */
  truncated: boolean;
  /** Input line of the first line of the function the patch shows (where the code lens goes). */
  inputLine: number | null;
  startLine: number;
  notAnalysed: string | null;
  partialReasons: string[];
  /** Index of the mail message (patch) in ParsedInput.messages the function belongs to. */
  message: number;
  /** Per-path outcomes. Omitted from CLI JSON unless asked for (--traces). */
  pathReports?: PathReport[];
  /** Tree mode only: where the function's text came from. */
  source?: PreImageSource;
}

export interface CheckReport {
  tool: 'lockstep';
  version: string;
  inputs: { file: string; format: string; patches: number; tree?: TreeInfo }[];
  functions: FunctionReport[];
  findings: Finding[];
  problems: Problem[];
  /** Callees with no model and no summary, per function ("name": [...]): never guessed. */
  opaqueCallees: Record<string, string[]>;
  /** Cross-task explorations built from the patch's own functions (one per protocol pair and side). */
  crossTask: CrossTaskReport[];
  /** Built-in scenarios that replay what a message is about (series view, "Simulate with other tasks"). */
  scenarios: { input: string; message: number; scenario: string; reason: string }[];
}

/** Where a function's pre-image came from: the patch's index blob, a named base, the work tree, or the hunks alone. */
export type PreImageSource = 'blob' | 'base' | 'worktree' | 'hunks';

export interface PreImage {
  text: string | null;
  source: PreImageSource;
}

/** The kernel tree an input was analysed against (git tree mode and --git). */
export interface TreeInfo {
  path: string;
  kind: 'git' | 'directory';
  /** Files whose pre-image was the exact blob the patch names, of the files looked up. */
  blobsMatched: number;
  files: number;
  base?: string;
  range?: string;
  commits?: { commit: string; subject: string }[];
}

export interface CheckOptions {
  /** Directory holding tree-sitter.wasm and tree-sitter-c.wasm. */
  wasmDir: string;
  maxPathsPerFunction?: number;
  loopUnroll?: number;
  /** Check ids switched off. */
  disabledChecks?: string[];
  /** Include pathReports (with traces) in the report. */
  traces?: boolean;
  /** Bounds (defaults in api.ts DEFAULT_LIMITS); each one hit is listed in problems. */
  maxMessages?: number;
  maxFunctions?: number;
  timeBudgetMs?: number;
  /**
   * Kernel tree mode: returns the text of a kernel source file (path as in the patch, e.g.
   * "fs/netfs/write_issue.c") or null when the tree does not have it. The caller does the I/O.
   */
  treeFile?: (path: string) => string | null;
  /** The same as plain data (path → text), for callers that cannot pass a function (a worker thread). */
  treeFiles?: Record<string, string>;
  /**
   * Git tree mode: the exact pre-image of each file, indexed [message][file], found by the caller
   * (src/node/git.ts). `text: null` means none was found (the hunks alone are used). Wins over treeFile(s).
   */
  preImages?: (PreImage | null | undefined)[][];
  /** Polled between files: true stops the analysis with a partial, labelled result. */
  isCancelled?: () => boolean;
  /**
   * A series: called after each message with code but the last, with a function that builds the
   * report so far (plain data, a copy; its problems say how many messages are still to come), so a
   * caller can show the first patches' findings before the whole series is done. Building it costs
   * a copy of everything found so far: the caller decides when it is worth it (the editor's worker:
   * at most every 200 ms). The final report is still the return value.
   */
  onProgress?: (analysed: number, total: number, partial: () => CheckReport) => void;
  /**
   * When given, the time (ms) each phase took is added to it: `c` (rebuilding the changed functions:
   * tree-sitter parse, lowering, paths), `summaries`, `cross` (the cross-task explorer), `simulate`
   * (paths through the simulator and the checks). For benchmarks; never part of the report.
   */
  timings?: Record<string, number>;
  /**
   * User extension of the API table, as JSON ({ "functions": [ApiEntry, ...] }), merged over the
   * built-in table with loadApiTable (the VS Code setting lockstep.apiTable). Bad entries are problems.
   */
  apiTable?: unknown;
}
