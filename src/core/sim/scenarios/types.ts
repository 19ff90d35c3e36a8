import type { Model } from '../explorer';

/** One scenario of the library: a small readable model tied to a seed. */
export interface ScenarioDef {
  name: string;
  description: string;
  /** The seed (../shared/seeds) the scenario comes from. */
  seed: string;
  /** What the --fixed variant changes. */
  fixedDescription: string;
  defaultTasks: number;
  minTasks: number;
  maxTasks: number;
  build(opts: { tasks: number; fixed: boolean }): Model;
}
