/**
 * `--profile`: the provider runs under V8's CPU profiler (--cpu-prof) and writes its profile as it
 * stops. Only the samples taken while the provider's first-claim runs (http-v1) were measured are
 * kept (the profile's clock is the machine's monotonic clock, which the runs' windows use too), and
 * summed up two ways: by where the code lives (each npm package, each of the repository's libs and
 * apps, Node's own code, the garbage collector) and by function.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { renderTable, type RunRecord } from './report';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

/** The .cpuprofile format: sample i was taken timeDeltas[0..i] µs after startTime. */
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The runs whose samples are kept: the provider's first claims. */
const PROFILED_TARGET = 'http-v1';

/** Where a function lives, in the words of the table. */
export function placeOf(url: string, functionName: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collector';
    if (functionName.startsWith('(')) return functionName;
    return 'V8 built-ins';
  }
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.startsWith('node:')) return 'Node.js core';
  const inRepo = /\/dist\/((?:libs|apps)\/[^/]+)/.exec(url);
  return inRepo ? inRepo[1]! : 'other';
}

const functionOf = ({ functionName, url, lineNumber }: ProfileNode['callFrame']) =>
  url === '' ? functionName : `${functionName || '(anonymous)'} ${basename(url)}:${lineNumber + 1}`;

/** Self time (ms) of the samples inside `windows`, idle left out, keyed by `keyOf`. */
function selfTime(
  profile: CpuProfile,
  windows: readonly RunRecord['window'][],
  keyOf: (frame: ProfileNode['callFrame']) => string,
): Map<string, number> {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const totals = new Map<string, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    const frame = nodes.get(id);
    if (!frame || frame.functionName === '(idle)') return;
    if (!windows.some((w) => at >= w.fromUs && at <= w.toUs)) return;
    const key = keyOf(frame);
    totals.set(key, (totals.get(key) ?? 0) + delta / 1000);
  });
  return totals;
}

function tableOf(title: string, totals: Map<string, number>, claims: number, rowsAtMost: number): string {
  const busy = [...totals.values()].reduce((a, b) => a + b, 0);
  const rows = [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rowsAtMost)
    .map(([key, ms]) => [key, ms.toFixed(0), `${((100 * ms) / busy).toFixed(1)}%`, (ms / claims).toFixed(3)]);
  return renderTable(
    [
      { title: '', columns: [title] },
      { title: `of ${busy.toFixed(0)} ms busy`, columns: ['ms', 'share', 'ms/claim'] },
    ],
    rows,
  );
}

/** The two tables of the provider's profile(s) in `dir`, cut to its first-claim runs. */
export function profileTables(dir: string, runs: readonly RunRecord[]): string {
  const profiled = runs.filter((r) => r.target === PROFILED_TARGET);
  const claims = profiled.reduce((sum, r) => sum + r.audit.totals.answers.created, 0);
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0 || claims === 0)
    return `nothing to show: ${files.length} profile(s), ${claims} claims`;
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const add = (into: Map<string, number>, from: Map<string, number>) => {
    for (const [key, ms] of from) into.set(key, (into.get(key) ?? 0) + ms);
  };
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const windows = profiled.map((r) => r.window);
    add(
      byPlace,
      selfTime(profile, windows, (f) => placeOf(f.url, f.functionName)),
    );
    add(byFunction, selfTime(profile, windows, functionOf));
  }
  return [
    `${claims} first claims (${profiled.length} run(s) of ${PROFILED_TARGET}); self time, idle left out`,
    tableOf('where the code lives', byPlace, claims, 20),
    '',
    tableOf('function', byFunction, claims, 25),
  ].join('\n');
}
