/*
 * What a patch's own added releases say about the state before them.
 *
 * A fix that adds `folio_unlock(folio)` (or `brelse(bh)`, `up_read(&sem)`, `folio_put(folio)`) to an
 * error path says, in code, that the object is held there. When the function shows no acquisition of
 * that object on either side (the folio came locked from the caller, or was locked in lines the patch
 * does not show), the checker has no way to know it is held; the patch's author has told it. Both sides
 * are then run with the object held from the start, and every finding that rests on that assumption is
 * a note that says so ("assuming folio is locked when the function starts, as the folio_unlock() the
 * patch adds at line 309 implies"). The pre-image path that returns without the release is what the
 * patch fixes; nothing here can become an error.
 *
 * Only whole objects the function does not assign (a parameter, or a name from unseen code) and does
 * not hand to a function the message defines, only releases the API table models, and only when the
 * other side has fewer such calls.
 */
import type { FunctionAnalysis, Step } from './types';
import { lookupApi, type ApiTable } from './sim/index';
import { label, objectKey, rootOf } from './sim/pathModel';
import { TRAILING_GAP } from './c/synthesize';

export interface AssumedHeld {
  resource: string;
  object: string;
  /** Words for the finding: what the assumption rests on. */
  why: string;
  /**
   * Labels the patch jumps to right after its added release (`folio_unlock(folio); goto out;`), when
   * the label is not shown: by the patch's word the code there does not release the object, so a path
   * that jumps there holding it leaks it.
   */
  labels?: string[];
  /**
   * Calls (as `keptKey`: `name(args)` and what the path knew of the result) that a path of the patched
   * side makes before reaching the added release: by the patch's word they left the object held with
   * that result, so they did not take it over.
   */
  keptBy?: string[];
  /**
   * The other way round: a release the patch removes, of an object no visible line acquires, says the
   * object is not held there (a stray unlock left behind when code moved): both sides run with it free.
   */
  free?: true;
  /**
   * An ownership predicate the patch adds before releasing the object (`if
   * (nfs_netfs_folio_unlock(folio)) folio_unlock(folio);`): a release of it that does not ask first
   * is one the predicate may say belongs to someone else.
   */
  askFirst?: string;
  /**
   * The call (as `keptKey`) on the way to the added release that was handed the object's container
   * by address (`ext4_reserve_inode_write(handle, inode, &iloc)` before `brelse(iloc.bh)`): the object
   * is taken there, with that result, not on entry.
   */
  acquiredBy?: string;
  /** Taken where the code shows it: the record only says which calls left it held (`keptBy`). */
  keepOnly?: true;
  /**
   * The patch's added release is followed, without another touch of the object, by the code after
   * the last shown line: by the patch's word that unseen code does not release it. A path that passes
   * the same shown line (`line`, a context line of both sides; for a branch, taken the same way) and
   * then leaves the shown code holding the object leaks it.
   */
  exits?: PatchExit[];
}

export interface PatchExit {
  /** Input line of the anchor step (a line both sides show). */
  line: number;
  kind: Step['kind'];
  /** For a branch anchor: the way it was taken. */
  value?: boolean;
}

export { TRAILING_GAP };

/** Resources whose leaks the runner reports (a released object of these can be assumed held). */
const ASSUMABLE = new Set(['folio-lock', 'refcount', 'mutex', 'spinlock', 'rwsem', 'bit-lock', 'rcu']);

type CallStep = Extract<Step, { kind: 'call' }>;

/** Each call site of a function side once (paths share steps of one site). */
function callSites(fn: FunctionAnalysis): CallStep[] {
  // The CFG's own list when the C layer gave it; else the paths (which share the step objects of
  // their CFG nodes: identity first, then the site's words).
  const objs = new Set<CallStep>(fn.callSites ?? []);
  if (!fn.callSites) for (const p of fn.paths) for (const s of p.steps) if (s.kind === 'call') objs.add(s);
  const seen = new Set<string>();
  const out: CallStep[] = [];
  for (const s of objs) {
    const k = `${s.ref.sourceLine ?? s.ref.inputLine}|${s.text}|${s.call.name}(${s.call.args.join(',')})`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(s);
  }
  return out;
}

/** A BUG()/BUG_ON() as compared across the sides: its text without spaces. */
export const normBug = (text: string): string => text.replace(/\s+/g, '');

/**
 * BUG()s and BUG_ON()s the pre-image has and the post-image does not (a crash turned into error
 * handling, as checkpatch asks: "Avoid crashing the kernel - try using WARN_ON & recovery code").
 */
export function bugsRemoved(pre: FunctionAnalysis, post: FunctionAnalysis): string[] {
  const bugs = (fn: FunctionAnalysis) => {
    const out = new Set<string>();
    for (const p of fn.paths) { const l = p.steps[p.steps.length - 1]; if (l?.kind === 'bug') out.add(normBug(l.text)); }
    return out;
  };
  const after = bugs(post);
  return [...bugs(pre)].filter((b) => !after.has(b));
}

/** A call as `name(args)|what the path knew of its result`: it left the object held with that result. */
export const keptKey = (callSig: string, relations: string[]): string => `${callSig}|${[...new Set(relations)].sort().join(',')}`;

const sigCache = new WeakMap<object, string>();
export const sig = (s: { call: { name: string; args: string[] } }): string => {
  let v = sigCache.get(s);
  if (v === undefined) sigCache.set(s, (v = `${s.call.name}(${s.call.args.map((a) => a.replace(/\s+/g, '')).join(',')})`));
  return v;
};

/** Names the function assigns as a whole (its own objects: the engine follows those). */
function assigned(fn: FunctionAnalysis): Set<string> {
  if (fn.assignedNames) return new Set(fn.assignedNames);
  const steps = new Set<Step>();
  for (const p of fn.paths) for (const s of p.steps) steps.add(s);
  const out = new Set<string>();
  for (const s of steps) {
    const lhs = s.kind === 'assign' ? s.lhs : s.kind === 'call' ? s.assignTo : null;
    if (lhs && /^\s*[A-Za-z_]\w*\s*$/.test(lhs)) out.add(lhs.trim());
  }
  return out;
}

/**
 * The objects one side releases in calls the other side lacks, with no visible acquisition on either
 * side: for `from` = post, what a fix adds; for `from` = pre, what a change removes (then the pre-image
 * releases it, and the post-image may leak it).
 */
export function patchAssumptions(pre: FunctionAnalysis, post: FunctionAnalysis, table: ApiTable, defined: Set<string> = new Set()): AssumedHeld[] {
  if (pre.notAnalysed || post.notAnalysed) return [];
  const sitesPre = callSites(pre);
  const sitesPost = callSites(post);
  const count = (sites: CallStep[]) => {
    const m = new Map<string, number>();
    for (const s of sites) m.set(sig(s), (m.get(sig(s)) ?? 0) + 1);
    return m;
  };
  const nPre = count(sitesPre);
  const nPost = count(sitesPost);
  /** The patched side has more calls like this one (added), or fewer (removed, for a pre-image site). */
  const gained = (s: CallStep) => (nPost.get(sig(s)) ?? 0) > (nPre.get(sig(s)) ?? 0);
  const lost = (s: CallStep) => (nPre.get(sig(s)) ?? 0) > (nPost.get(sig(s)) ?? 0);
  // Nothing to say unless one side has a release the other lacks.
  const releases = (s: CallStep) => (lookupApi(table, s.call.name, s.call.args)?.ops ?? []).some((op) => (op.kind === 'release' && ASSUMABLE.has(op.resource)) || (op.kind === 'handoff' && !!op.when));
  if (!sitesPost.some((s) => gained(s) && releases(s)) && !sitesPre.some((s) => lost(s) && releases(s))) return [];
  const own = new Set([...assigned(pre), ...assigned(post)]);
  // Input lines of the pre-image's steps: a post-image step on one of them is a context line.
  const preLines = new Set<number>();
  for (const p of pre.paths) for (const t of p.steps) if (t.ref.inputLine !== null) preLines.add(t.ref.inputLine);
  const acquired = new Set<string>();
  // (An acquisition the patch removes, as where it turns a lock into an unlock, shows nothing held.)
  for (const s of [...sitesPre.filter((t) => !lost(t)), ...sitesPost]) {
    // A function the message defines is summarised: what it takes is seen, not assumed.
    if (defined.has(s.call.name)) for (const a of s.call.args) { const r = rootOf(a); if (r) acquired.add(`*|${r}`); }
    for (const op of lookupApi(table, s.call.name, s.call.args)?.ops ?? []) {
      if (op.kind !== 'acquire') continue;
      const x = op.obj === 'result' ? s.assignTo : typeof op.obj === 'number' ? s.call.args[op.obj] : null;
      if (x) acquired.add(`${op.resource}|${objectKey(op.resource, x)}`);
    }
  }
  // A call on the object that the patch removed (`__folio_put(f)` → `folio_put(f)`): the patch
  // changed how the object is let go, it did not add a release the old code lacked.
  // A removed call that took the object (`mutex_lock(&m)` turned into `mutex_unlock(&m)`) is no such
  // change: by the patch's word the object is held there, and the old code took it a second time.
  const replaced = new Set<string>();
  for (const s of sitesPre) {
    if (!lost(s)) continue;
    const ops = lookupApi(table, s.call.name, s.call.args)?.ops ?? [];
    s.call.args.forEach((a, i) => {
      if (!rootOf(a)) return;
      if (ops.some((op) => op.kind === 'acquire' && op.obj === i)) return;
      replaced.add(a.replace(/\s+/g, ''));
    });
  }
  const out: AssumedHeld[] = [];
  const said = new Set<string>();
  for (const s of sitesPost) {
    if (!gained(s)) continue;
    for (const op of lookupApi(table, s.call.name, s.call.args)?.ops ?? []) {
      if (op.kind !== 'release' || op.when || typeof op.obj !== 'number' || !ASSUMABLE.has(op.resource)) continue;
      const x = s.call.args[op.obj];
      const root = x ? rootOf(x) : null;
      if (!x || !root) continue;
      const key = `${op.resource}|${objectKey(op.resource, x)}`;
      if (said.has(key) || replaced.has(x.replace(/\s+/g, ''))) continue;
      // Taken where the code shows it: only what the calls on the way to the release did is the patch's word.
      const visible = acquired.has(key) || acquired.has(`*|${root}`);
      // A name the function assigns is the function's own object: by the patch's word only when a call
      // with no model gave it (`bh = nilfs_grab_buffer(…)` before `folio_unlock(bh->b_folio)`), below.
      const ownRoot = own.has(root);
      if (visible && ownRoot) continue;
      said.add(key);
      const line = s.ref.sourceLine !== null ? ` at line ${s.ref.sourceLine}` : '';
      const labels = new Set<string>();
      const exits: PatchExit[] = [];
      const keptBy = new Set<string>();
      let acquiredBy: string | undefined;
      let contradicted = false;
      /** The call with no model whose result the root is, on the way to the release (null: a modelled one). */
      let givenBy: string | null | undefined;
      // Which of the sites with this call is the new one is not known (the counts differ): all of them.
      const at = (t: CallStep) => `${t.ref.sourceLine ?? t.ref.inputLine}|${t.text}`;
      const same = new Set(sitesPost.filter((t) => sig(t) === sig(s)).map(at));
      const word = new RegExp(`(^|[^\\w])${root}([^\\w]|$)`);
      for (const p of post.paths) {
        const j = p.steps.findIndex((st) => st.kind === 'call' && same.has(at(st)));
        if (j < 0) continue;
        // The jump that follows the release (`brelse(bh); ret = -EIO; goto out;`): past assignments
        // and calls that do not touch the object.
        let q = j + 1;
        while (q < p.steps.length) {
          const t = p.steps[q];
          if (t.kind === 'assign' && !word.test(t.lhs) && !word.test(t.rhs)) q++;
          else if (t.kind === 'call' && !t.call.args.some((a) => word.test(a))) q++;
          else break;
        }
        const next = p.steps[q];
        const g = next?.kind === 'gap' ? /^goto (\w+):/.exec(next.text) : null;
        if (g) labels.add(g[1]);
        if (next?.kind === 'gap' && next.text === TRAILING_GAP && q === p.steps.length - 1) {
          // The nearest line both sides show, after the release (else before it): the pre-image's
          // paths through it are the ones the patch changed.
          const shown = (t: Step) => t.kind !== 'gap' && t.ref.inputLine !== null && preLines.has(t.ref.inputLine);
          let a = -1;
          for (let k = j + 1; k < q && a < 0; k++) if (shown(p.steps[k])) a = k;
          for (let k = j - 1; k >= 0 && a < 0; k--) if (shown(p.steps[k])) a = k;
          const at = a >= 0 ? p.steps[a] : null;
          if (at && at.ref.inputLine !== null) {
            const e: PatchExit = { line: at.ref.inputLine, kind: at.kind, ...(at.kind === 'assume' ? { value: at.value } : {}) };
            if (!exits.some((x) => x.line === e.line && x.kind === e.kind && x.value === e.value)) exits.push(e);
          }
        }
        // What this path knew of each call's result.
        const rels = new Map<number, string[]>();
        for (const x of p.steps) if (x.kind === 'assume') for (const f of x.facts) {
          const l = rels.get(f.callStep);
          if (l) l.push(f.relation);
          else rels.set(f.callStep, [f.relation]);
        }
        for (let k = 0; k < j; k++) {
          const b = p.steps[k];
          if (b.kind === 'assign' && ownRoot && b.lhs.trim() === root) givenBy = null;
          if (b.kind !== 'call') continue;
          // A call on the way that the table says releases the object whatever it returns
          // (smb2_compound_op() puts its cfile): the added release is a second one, not the patch's word.
          if ((lookupApi(table, b.call.name, b.call.args)?.ops ?? []).some((o) => o.kind === 'release' && !o.when && o.resource === op.resource && typeof o.obj === 'number' && objectKey(op.resource, b.call.args[o.obj] ?? '') === objectKey(op.resource, x))) contradicted = true;
          keptBy.add(keptKey(sig(b), rels.get(k) ?? []));
          // An out-parameter filled by a callee with no model: the object is taken there; so it is when
          // such a callee's result is the object's root (the last one before the release).
          if (x !== root && b.call.args.some((a) => a.replace(/\s+/g, '') === `&${root}`) && !lookupApi(table, b.call.name, b.call.args)) acquiredBy ??= keptKey(sig(b), rels.get(k) ?? []);
          if (ownRoot && b.assignTo?.trim() === root) givenBy = !lookupApi(table, b.call.name, b.call.args) ? keptKey(sig(b), rels.get(k) ?? []) : null;
        }
      }
      if (ownRoot && !visible) {
        // Assigned on the way only by a call with no model: that call gave it, with that result.
        if (!givenBy || acquiredBy) continue;
        acquiredBy = givenBy;
      }
      if (contradicted) continue;
      if (visible) {
        if (keptBy.size) out.push({ resource: op.resource, object: x, keepOnly: true, keptBy: [...keptBy], why: `assuming the calls before the ${s.call.name}() the patch adds${line} left the ${label(op.resource)} of ${x} with the caller, as that release implies` });
        continue;
      }
      out.push({
        resource: op.resource, object: x,
        why: acquiredBy
          ? `assuming ${acquiredBy.split('|')[0].replace(/\(.*$/, '')}() takes the ${label(op.resource)} of ${x} for the caller, as the ${s.call.name}() the patch adds${line} implies`
          : `assuming the ${label(op.resource)} of ${x} is held when the function starts, as the ${s.call.name}() the patch adds${line} implies`,
        ...(acquiredBy ? { acquiredBy } : {}),
        ...(labels.size ? { labels: [...labels] } : {}),
        ...(exits.length ? { exits } : {}),
        ...(keptBy.size ? { keptBy: [...keptBy] } : {}),
      });
    }
  }
  // Ownership predicates the patch adds (an entry whose hand-off depends on its answer), asked
  // about an object that the other side releases without asking.
  for (const s of sitesPost) {
    if (!gained(s)) continue;
    const entry = lookupApi(table, s.call.name, s.call.args);
    for (const op of entry?.ops ?? []) {
      if (op.kind !== 'handoff' || !op.when || typeof op.obj !== 'number') continue;
      const x = s.call.args[op.obj];
      if (!x) continue;
      const releasedUnasked = sitesPre.some((p) => (lookupApi(table, p.call.name, p.call.args)?.ops ?? [])
        .some((o) => o.kind === 'release' && o.resource === op.resource && typeof o.obj === 'number' && p.call.args[o.obj] !== undefined && objectKey(op.resource, p.call.args[o.obj]) === objectKey(op.resource, x)));
      const askedBefore = sitesPre.some((p) => p.call.name === s.call.name);
      if (!releasedUnasked || askedBefore) continue;
      const line = s.ref.sourceLine !== null ? ` at line ${s.ref.sourceLine}` : '';
      out.push({ resource: op.resource, object: x, askFirst: s.call.name, why: `${s.call.name}() decides who releases the ${label(op.resource)} of ${x}, as the call the patch adds${line} says` });
    }
  }
  // Releases the patch removes (the pre-image has more of them) of objects nothing visible takes.
  const added = new Set<string>();
  for (const s of sitesPost) {
    if (!gained(s)) continue;
    for (const a of s.call.args) added.add(a.replace(/\s+/g, ''));
  }
  for (const s of sitesPre) {
    if (!lost(s)) continue;
    for (const op of lookupApi(table, s.call.name, s.call.args)?.ops ?? []) {
      if (op.kind !== 'release' || op.when || typeof op.obj !== 'number' || !ASSUMABLE.has(op.resource)) continue;
      const x = s.call.args[op.obj];
      const root = x ? rootOf(x) : null;
      if (!x || !root || own.has(root)) continue;
      const key = `${op.resource}|${objectKey(op.resource, x)}`;
      // Moved or replaced rather than removed: the post-image does something else with it.
      if (acquired.has(key) || acquired.has(`*|${root}`) || said.has(key) || added.has(x.replace(/\s+/g, ''))) continue;
      // Still let go elsewhere in the post-image: the patch dropped one of several releases.
      if (sitesPost.some((p) => p.call.args.some((a) => objectKey(op.resource, a) === objectKey(op.resource, x)))) continue;
      said.add(key);
      const line = s.ref.sourceLine !== null ? ` at line ${s.ref.sourceLine}` : '';
      out.push({ resource: op.resource, object: x, free: true, why: `assuming the ${label(op.resource)} of ${x} is not held here, as the patch's removal of the ${s.call.name}()${line} implies` });
    }
  }
  return out;
}
