// A small argument reader: positional arguments and --flag / --flag value options. No dependencies.
export interface Args {
  positional: string[];
  options: Map<string, string | true>;
}

/** Options that take a value; every other --option is a boolean switch. */
const VALUED = new Set(['format', 'function', 'side', 'tree', 'tasks', 'max-paths', 'loop-unroll', 'max-states', 'disable', 'out', 'api-table', 'base', 'git', 'jobs']);

export function readArgs(argv: string[]): Args {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) options.set(name, a.slice(eq + 1));
      else if (VALUED.has(name)) {
        const v = argv[i + 1];
        if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
        options.set(name, v);
        i++;
      } else options.set(name, true);
    } else positional.push(a);
  }
  return { positional, options };
}

export class UsageError extends Error {}

export function optString(args: Args, name: string, fallback: string): string {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : fallback;
}

export function optInt(args: Args, name: string): number | undefined {
  const v = args.options.get(name);
  if (v === undefined) return undefined;
  const n = typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} takes a whole number of at least 1`);
  return n;
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${what} must be one of ${allowed.join(', ')}`);
  return value as T;
}
