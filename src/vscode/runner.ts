/*
 * Runs the core's checkText: in the extension host for small inputs, in a worker thread for large
 * ones (so a big mbox never blocks the host's main thread). A newer request for the same document
 * cancels the older one: its worker is terminated and its result dropped.
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

// The worker's code: our own constant, never mail data. It loads dist/core.js next to the extension.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const core = require(workerData.corePath);
function scenario(m) {
  const result = core.runScenario(m.name, m.opts);
  return { result, trace: core.scenarioTrace(result), message: core.scenarioMessage(result) };
}
parentPort.on('message', (m) => {
  Promise.resolve()
    .then(() => (m.fn === 'scenario' ? scenario(m) : core.checkText(m.text, m.fileName, m.opts)))
    .then((report) => parentPort.postMessage({ id: m.id, report }))
    .catch((e) => parentPort.postMessage({ id: m.id, error: String((e && e.stack) || e) }));
});
`;

export class Runner {
  private worker: Worker | undefined;
  private seq = 0;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private pending = new Map<number, { resolve: (r: any) => void; reject: (e: Error) => void; key: string }>();
  private latest = new Map<string, number>();

  constructor(private readonly distDir: string, private readonly workerThresholdBytes: () => number) {}

  /** Resolves with the report, or rejects with Cancelled when a newer run for `key` started. */
  async run(key: string, text: string, fileName: string, opts: CheckOptions): Promise<CheckReport> {
    const id = ++this.seq;
    const previous = this.latest.get(key);
    this.latest.set(key, id);
    if (previous !== undefined && this.pending.has(previous)) this.cancelWorker();
    const useWorker = text.length >= this.workerThresholdBytes();
    for (let attempt = 0; ; attempt++) {
      try {
        const report = useWorker ? await this.inWorker(id, key, text, fileName, opts) : await this.inProcess(key, id, text, fileName, opts);
        if (this.latest.get(key) !== id) throw new Cancelled();
        return report;
      } catch (e) {
        // Terminating the worker for another document's newer edit cancels this run too: run it again.
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

  private inWorker(id: number, key: string, text: string, fileName: string, opts: CheckOptions): Promise<CheckReport> {
    const w = this.ensureWorker();
    return new Promise<CheckReport>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, key });
      w.ref();
      w.postMessage({ id, text, fileName, opts });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { corePath: path.join(this.distDir, 'core.js') } });
    w.on('message', (m: { id: number; report?: unknown; error?: string }) => {
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
    this.failAll(new Cancelled());
    void w?.terminate();
  }

  private failAll(e: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(e);
  }

  dispose(): void {
    this.cancelWorker();
  }
}
