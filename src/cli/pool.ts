/*
 * Several inputs of one `check` run (`lockstep check 0001-*.patch --jobs N`) analysed in parallel: a
 * pool of worker threads, each running this same bundle with its own tree-sitter instance. Inputs are
 * independent (each is checked alone and the reports are merged in input order), so the output is
 * byte-identical to a sequential run. Only plain data crosses threads: the input's text and name, its
 * exact pre-images (from git, read by the main thread), and the options; a tree directory is read by
 * each worker itself.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { checkParsed } from '../core/api';
import { parseInput } from '../core/mail/index';
import { initTreeSitter } from '../core/c/index';
import type { CheckOptions, CheckReport, PreImage } from '../core/types';

/** What each worker is given once. */
export interface PoolOptions {
  wasmDir: string;
  traces: boolean;
  disabledChecks: string[];
  apiTable: unknown;
  maxPathsPerFunction?: number;
  loopUnroll?: number;
  timings: boolean;
}

export interface Job {
  name: string;
  text: string;
  preImages?: (PreImage | null)[][];
}

interface Reply {
  index: number;
  report?: CheckReport;
  timings?: Record<string, number>;
  error?: string;
}

const MARK = 'lockstep-check-worker';

/** The core's options for one input: the run's options, its tree reader or exact pre-images, and where timings go. */
export function checkOptions(opts: PoolOptions, treeFile: CheckOptions['treeFile'], preImages: Job['preImages'], timings: Record<string, number>): CheckOptions {
  return {
    wasmDir: opts.wasmDir, traces: opts.traces, disabledChecks: opts.disabledChecks, apiTable: opts.apiTable,
    maxPathsPerFunction: opts.maxPathsPerFunction, loopUnroll: opts.loopUnroll,
    treeFile, preImages, ...(opts.timings ? { timings } : {}),
  };
}
const MAX_WORKERS = 8;

/**
 * How many workers a run of `inputs` inputs gets: `jobs` when given (at most 8), else
 * none. Not the default because on a 2-core machine it loses: every worker warms up its own JIT and
 * wasm code, so 30 and 60 patch files took 1.2x the wall time of one thread (farm-bench, 3-5 pairs).
 */
export function poolSize(inputs: number, jobs: number | undefined): number {
  if (jobs === undefined) return 1;
  return Math.max(1, Math.min(jobs, inputs, MAX_WORKERS));
}

/** True in a worker thread started by runPool (the bundle's entry then serves jobs instead of running main). */
export function isPoolWorker(): boolean {
  return !isMainThread && (workerData as { mark?: string } | null)?.mark === MARK;
}

/** The worker side: init tree-sitter once, then check each job it is sent. */
export async function serveJobs(treeFile?: (dir: string) => CheckOptions['treeFile']): Promise<void> {
  const { opts, treeDir } = workerData as { opts: PoolOptions; treeDir?: string };
  await initTreeSitter(opts.wasmDir);
  const readTree = treeDir && treeFile ? treeFile(treeDir) : undefined;
  parentPort!.on('message', (m: { index: number; job: Job }) => {
    const timings: Record<string, number> = {};
    try {
      const report = checkParsed(parseInput(m.job.text, m.job.name), checkOptions(opts, readTree, m.job.preImages, timings));
      parentPort!.postMessage({ index: m.index, report, timings } satisfies Reply);
    } catch (e) {
      parentPort!.postMessage({ index: m.index, error: e instanceof Error ? e.message : String(e) } satisfies Reply);
    }
  });
}

/**
 * Checks `jobs` on `size` worker threads (this bundle, `script`), in input order. Adds each job's
 * phase timings to `timings` when asked for. Throws when a worker fails (a bug, not bad input).
 */
export function runPool(script: string, jobs: Job[], size: number, opts: PoolOptions, treeDir: string | undefined, timings: Record<string, number>): Promise<CheckReport[]> {
  return new Promise((resolvePool, rejectPool) => {
    const reports: (CheckReport | undefined)[] = new Array(jobs.length);
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    const stop = () => {
      for (const w of workers) void w.terminate();
    };
    const fail = (why: string) => {
      if (failed) return;
      failed = true;
      stop();
      rejectPool(new Error(why));
    };
    const feed = (w: Worker) => {
      if (next >= jobs.length) return;
      const index = next++;
      w.postMessage({ index, job: jobs[index] });
    };
    for (let i = 0; i < size; i++) {
      const w = new Worker(script, { workerData: { mark: MARK, opts, treeDir } });
      workers.push(w);
      w.on('message', (r: Reply) => {
        if (r.error !== undefined || !r.report) return fail(`worker: ${r.error ?? 'no report'} (input ${jobs[r.index]?.name})`);
        reports[r.index] = r.report;
        for (const [k, v] of Object.entries(r.timings ?? {})) timings[k] = (timings[k] ?? 0) + v;
        done++;
        if (done === jobs.length) {
          stop();
          resolvePool(reports as CheckReport[]);
        } else feed(w);
      });
      w.on('error', (e) => fail(`worker: ${e.message}`));
      w.on('exit', (code) => {
        if (done < jobs.length && code !== 0) fail(`worker exited with code ${code}`);
      });
      feed(w);
    }
  });
}
