/*
 * Runs the core's checkText off the extension host's main thread, in one long-lived worker thread
 * (inputs below lockstep.analysis.workerThresholdBytes, 0 by default, run in the host instead).
 * A newer request for the same document cancels the older one cooperatively: a shared flag the
 * worker's analysis polls between functions and paths, so the worker stops within a path and stays
 * loaded; only a worker that does not answer within CANCEL_GRACE_MS of the flag is terminated.
 * A series reports its progress: the worker posts the report so far after each message
 * (at most every PROGRESS_MS), so the first patches' diagnostics show before the series is done.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkText } from '../core/api';
import type { CheckOptions, CheckReport, Trace } from '../core/types';

export interface ScenarioRun {
  result: { scenario: string; verdict: string; states: number; transitions: number; ms: number };
  trace: Trace;
  message: string | null;
}

export class Cancelled extends Error {
  constructor() {
    super('analysis cancelled');
  }
}

/** How long a cancelled run may take to notice its flag before its worker is terminated. */
const CANCEL_GRACE_MS = 3000;
/** The least time between two progress reports of one run. */
export const PROGRESS_MS = 200;

// The worker's code: our own constant, never mail data. It loads dist/core.js next to the extension.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const core = require(workerData.corePath);
function scenario(m) {
  const result = core.runScenario(m.name, m.opts);
  return { result, trace: core.scenarioTrace(result), message: core.scenarioMessage(result) };
}
function check(m) {
  const flag = new Int32Array(m.cancel);
  const opts = { ...m.opts, isCancelled: () => Atomics.load(flag, 0) !== 0 };
  if (m.progress) {
    // At most every progressMs, and never more than a fifth of the time on copying reports out.
    let next = 0;
    opts.onProgress = (done, total, partial) => {
      const now = Date.now();
      if (now < next || Atomics.load(flag, 0) !== 0) return;
      parentPort.postMessage({ id: m.id, partial: partial(), done, total });
      next = Date.now() + Math.max(m.progressMs, 4 * (Date.now() - now));
    };
  }
  return core.checkText(m.text, m.fileName, opts);
}
parentPort.on('message', (m) => {
  Promise.resolve()
    .then(() => (m.fn === 'scenario' ? scenario(m) : check(m)))
    .then((report) => parentPort.postMessage({ id: m.id, report }))
    .catch((e) => parentPort.postMessage({ id: m.id, error: String((e && e.stack) || e) }));
});
`;

/** Progress of a series: the report of the messages analysed so far. */
export type OnPartial = (partial: CheckReport, analysed: number, total: number) => void;

export class Runner {
  private worker: Worker | undefined;
  private seq = 0;
  private pending = new Map<number, {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    resolve: (r: any) => void; reject: (e: Error) => void; key: string; cancel?: Int32Array; onPartial?: OnPartial;
  }>();
  private latest = new Map<string, number>();

  constructor(private readonly distDir: string, private readonly workerThresholdBytes: () => number) {}

  /** Resolves with the report, or rejects with Cancelled when a newer run for `key` started. */
  async run(key: string, text: string, fileName: string, opts: CheckOptions, onPartial?: OnPartial): Promise<CheckReport> {
    const id = ++this.seq;
    const previous = this.latest.get(key);
    this.latest.set(key, id);
    if (previous !== undefined) this.cancelRun(previous);
    const useWorker = text.length >= this.workerThresholdBytes();
    for (let attempt = 0; ; attempt++) {
      try {
        const report = useWorker ? await this.inWorker(id, key, text, fileName, opts, onPartial) : await this.inProcess(key, id, text, fileName, opts);
        if (this.latest.get(key) !== id) throw new Cancelled();
        return report;
      } catch (e) {
        // A worker terminated for another document's run that would not stop cancels this run too: run it again.
        if (e instanceof Cancelled && this.latest.get(key) === id && attempt < 3) continue;
        throw e;
      }
    }
  }

  private async inProcess(key: string, id: number, text: string, fileName: string, opts: CheckOptions): Promise<CheckReport> {
    // Let pending UI events run first: edits arriving now supersede this run.
    await new Promise((r) => setImmediate(r));
    if (this.latest.get(key) !== id) throw new Cancelled();
    return checkText(text, fileName, { ...opts, isCancelled: () => this.latest.get(key) !== id });
  }

  /** Runs a built-in scenario (an exhaustive search: always in the worker). */
  scenario(name: string, opts: { fixed?: boolean; tasks?: number; timeMs?: number }): Promise<ScenarioRun> {
    const id = ++this.seq;
    const w = this.ensureWorker();
    return new Promise<ScenarioRun>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, key: `scenario:${name}` });
      w.ref();
      w.postMessage({ id, fn: 'scenario', name, opts });
    });
  }

  private inWorker(id: number, key: string, text: string, fileName: string, opts: CheckOptions, onPartial?: OnPartial): Promise<CheckReport> {
    const w = this.ensureWorker();
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    return new Promise<CheckReport>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, key, cancel, onPartial });
      w.ref();
      w.postMessage({ id, text, fileName, opts, cancel: cancel.buffer, progress: !!onPartial, progressMs: PROGRESS_MS });
    });
  }

  /**
   * Cancels run `id`: its promise rejects now; the worker sees the flag at its next poll. A worker
   * that has not answered within the grace time is terminated (the runs queued behind it rerun).
   */
  private cancelRun(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.reject(new Cancelled());
    if (!p.cancel) return;
    Atomics.store(p.cancel, 0, 1);
    const w = this.worker;
    if (!w) return;
    this.stale.add(id);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.worker === w && this.stale.has(id)) this.cancelWorker();
    }, CANCEL_GRACE_MS);
    timer.unref?.();
    this.timers.add(timer);
  }

  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  /** Cancelled runs whose worker has not answered yet. */
  private readonly stale = new Set<number>();

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { corePath: path.join(this.distDir, 'core.js') } });
    w.on('message', (m: { id: number; report?: unknown; error?: string; partial?: CheckReport; done?: number; total?: number }) => {
      if (m.partial) {
        const p = this.pending.get(m.id);
        p?.onPartial?.(m.partial, m.done ?? 0, m.total ?? 0);
        return;
      }
      this.stale.delete(m.id);
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      // An idle worker does not keep the process alive.
      if (this.pending.size === 0) w.unref();
      if (m.report) p.resolve(m.report);
      else p.reject(new Error(m.error ?? 'worker failed'));
    });
    w.on('error', (e) => this.failAll(e instanceof Error ? e : new Error(String(e))));
    w.on('exit', () => {
      if (this.worker === w) this.worker = undefined;
      this.failAll(new Cancelled());
    });
    w.unref();
    this.worker = w;
    return w;
  }

  private cancelWorker(): void {
    const w = this.worker;
    this.worker = undefined;
    this.stale.clear();
    this.failAll(new Cancelled());
    void w?.terminate();
  }

  private failAll(e: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(e);
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.cancelWorker();
  }
}
