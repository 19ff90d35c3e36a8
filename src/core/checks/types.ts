import type { FunctionAnalysis, Path, SimEvent, Severity } from '../types';

/** What a check sees for one path run under one entry variant. */
export interface CheckContext {
  fn: FunctionAnalysis;
  path: Path;
  variant: string;
  events: SimEvent[];
}

/** A finding before pre/post labelling: tied to a step of the path. */
export interface RawFinding {
  severity: Severity;
  rule?: string;
  message: string;
  /** Index into path.steps where the problem shows. */
  step: number;
  /** Other steps worth pointing at (where the lock was taken, handed off, ...). */
  related: { step: number; message: string }[];
  /** A stable, side-independent key part used to match the same finding before and after the patch. */
  kind: string;
}

export interface Check {
  id: string;
  title: string;
  /** One line: the kernel rule the check enforces. */
  rule: string;
  run(ctx: CheckContext): RawFinding[];
}
