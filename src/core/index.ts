// The core as a library (dist/core.js): for the tests, the benchmarks and the CLI.
export * from './types';
export * from './mail/index';
export * from './c/index';
export * from './cfg/index';
export * from './sim/index';
export * from './checks/index';
export * from './api';
export * from './hints';
export * from './contract';
export * from './cross/index';
export * from './effects';
