import { readdirSync, readFileSync } from 'node:fs';

/** /proc reports CPU times in USER_HZ, which Linux fixes at 100 per second for user space. */
const USER_HZ = 100;

/**
 * CPU time a process has used so far, in ms, to the nanosecond: the sum of its threads' run time
 * in /proc/<pid>/task/<tid>/schedstat (Node's threads live as long as the process). Falls back to
 * /proc/<pid>/stat (10 ms ticks) where schedstat is missing; null where /proc is unavailable.
 */
export function processCpuMs(pid: number): number | null {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    }
    if (Number.isFinite(ns)) return ns / 1e6;
  } catch {
    // no schedstat (kernel without CONFIG_SCHEDSTATS): ticks below
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the fields after its ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return Number.isFinite(ticks) ? (ticks * 1000) / USER_HZ : null;
  } catch {
    return null;
  }
}

export type CpuSample = Readonly<Record<string, number | null>>;

/** CPU ms used by each named process since `before`. */
export function cpuSince(pids: Readonly<Record<string, number>>, before: CpuSample): CpuSample {
  return Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => {
      const now = processCpuMs(pid);
      const then = before[name];
      return [name, now === null || then === null || then === undefined ? null : now - then];
    }),
  );
}

export function cpuSample(pids: Readonly<Record<string, number>>): CpuSample {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid)]));
}
