// Whole-process timing shared by the benches that compare commands in one run: round-robin runs, so
// that drift on a busy machine hits every command alike, and the phases of Lockstep's `check --timings`
// line (its own phases by name, the analysis' as `check.<name>`).
import { spawnSync } from 'node:child_process';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)] * 10) / 10;
};

/**
 * Runs each command ([exe, args]) `runs` times, round-robin. Per command: the median wall time (ms),
 * the last run's stdout, and the median of each --timings phase (`phases`, and `phase(name)` → 0 when absent).
 * `lockstep: true` in opts makes an exit status of 2 (Lockstep's usage or input error) throw.
 */
export function measure(cmds, runs, opts = {}) {
  const acc = cmds.map(() => ({ wall: [], phases: {}, out: '' }));
  for (let i = 0; i < runs; i++) {
    cmds.forEach(([exe, args], k) => {
      const t0 = performance.now();
      const r = spawnSync(exe, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...(opts.env ? { env: opts.env } : {}) });
      acc[k].wall.push(performance.now() - t0);
      if (r.error) throw r.error;
      if (opts.lockstep && r.status === 2) throw new Error(`lockstep ${args.join(' ')} failed: ${r.stderr}`);
      acc[k].out = r.stdout;
      const line = (r.stderr ?? '').split('\n').find((l) => l.startsWith('{"timings"'));
      const t = line ? JSON.parse(line) : { timings: {}, check: {} };
      for (const [p, ms] of Object.entries(t.timings)) (acc[k].phases[p] ??= []).push(ms);
      for (const [p, ms] of Object.entries(t.check ?? {})) (acc[k].phases[`check.${p}`] ??= []).push(ms);
    });
  }
  return acc.map((a) => {
    const phases = Object.fromEntries(Object.entries(a.phases).map(([p, v]) => [p, median(v)]));
    return { ms: median(a.wall), out: a.out, phases, phase: (p) => phases[p] ?? 0 };
  });
}
