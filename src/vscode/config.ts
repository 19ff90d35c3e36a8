// Typed access to the lockstep.* settings.
import * as vscode from 'vscode';
import type { Severity } from '../core/types';

export interface LockstepConfig {
  codeLensEnabled: boolean;
  maxPathsPerFunction: number;
  loopUnroll: number;
  disabledChecks: string[];
  severityOverrides: Record<string, Severity | 'off'>;
  debounceMs: number;
  detectTextFiles: boolean;
  workerThresholdBytes: number;
  /** User API table extension ({ functions: [...] }), or undefined. */
  apiTable: unknown;
  /** Take whole functions from the kernel tree when a workspace folder holds the patched files. */
  useKernelTree: boolean;
  /** The kernel tree (a git repository or a directory); '' = the workspace folder that is a kernel tree. */
  kernelTree: string;
}

export function readConfig(scope?: vscode.ConfigurationScope): LockstepConfig {
  const c = vscode.workspace.getConfiguration('lockstep', scope);
  const overrides = c.get<Record<string, string>>('checks.severity', {}) ?? {};
  const severityOverrides: Record<string, Severity | 'off'> = {};
  for (const [k, v] of Object.entries(overrides)) {
    if (v === 'error' || v === 'warning' || v === 'info' || v === 'off') severityOverrides[k] = v;
  }
  const disabled = (c.get<string[]>('checks.disabled', []) ?? []).filter((s) => typeof s === 'string');
  for (const [k, v] of Object.entries(severityOverrides)) if (v === 'off' && !disabled.includes(k)) disabled.push(k);
  return {
    codeLensEnabled: c.get<boolean>('codeLens.enabled', true) ?? true,
    maxPathsPerFunction: clamp(c.get<number>('maxPathsPerFunction', 64) ?? 64, 1, 4096),
    loopUnroll: clamp(c.get<number>('loopUnroll', 2) ?? 2, 0, 16),
    disabledChecks: disabled.sort(),
    severityOverrides,
    debounceMs: clamp(c.get<number>('analysis.debounceMs', 400) ?? 400, 0, 10000),
    detectTextFiles: c.get<boolean>('detectTextFiles', true) ?? true,
    useKernelTree: c.get<boolean>('kernelTree.enabled', true) ?? true,
    kernelTree: c.get<string>('kernelTree.path', '') ?? '',
    // A restricted setting: in Restricted Mode VS Code returns only the user's own value.
    apiTable: plainJson(c.get('apiTable')),
    workerThresholdBytes: clamp(c.get<number>('analysis.workerThresholdBytes', 0) ?? 0, 0, 1e9),
  };
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.round(n))) : lo;
}

/** Settings objects are read-only proxies: copy to plain data (worker messages must be cloneable). Empty → undefined. */
function plainJson(v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  const copy: unknown = JSON.parse(JSON.stringify(v));
  if (copy && typeof copy === 'object' && Object.keys(copy as object).length === 0) return undefined;
  return copy;
}
