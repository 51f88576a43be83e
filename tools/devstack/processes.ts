import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from './paths';

/**
 * Processes are only ever stopped by PID, and only PIDs this code started; a recorded process is
 * also matched by its start time so a recycled PID is never signalled.
 */
export interface ProcessRecord {
  pid: number;
  /** Start time from /proc/<pid>/stat, so a recycled PID is not mistaken for the process. */
  startTime: string | null;
  name?: string;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

export type StopResult = 'not-running' | 'not-ours' | 'stopped' | 'killed';

export type ChildEnv = Record<string, string | undefined>;

/** /proc/<pid>/stat fields we care about, or null (no such process, or not Linux). */
function procStat(pid: number): { state: string; startTime: string } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, startTime: fields[19]! };
  } catch {
    return null;
  }
}

/** True when the PID exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  return !(stat && (stat.state === 'Z' || stat.state === 'X'));
}

/** What to record about a process we started, so that a recycled PID is never mistaken for it. */
export function processRecord<T extends object = object>(pid: number, extra?: T): ProcessRecord & T {
  const stat = procStat(pid);
  return { pid, startTime: stat ? stat.startTime : null, ...(extra as T) };
}

/** True when the recorded process is still the same running process. */
export function isSameProcess(record: ProcessRecord | null | undefined): boolean {
  if (!record || !isAlive(record.pid)) return false;
  if (record.startTime == null) return true;
  const stat = procStat(record.pid);
  return !stat || stat.startTime === record.startTime;
}

/**
 * Stops one process by PID: SIGTERM, then SIGKILL after timeoutMs. Accepts a PID or a record from
 * processRecord() (then a PID now used by another process is left alone).
 */
export async function stopPid(
  pidOrRecord: number | ProcessRecord,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<StopResult> {
  const record: ProcessRecord =
    typeof pidOrRecord === 'number' ? { pid: pidOrRecord, startTime: null } : pidOrRecord;
  if (!isAlive(record.pid)) return 'not-running';
  if (!isSameProcess(record)) return 'not-ours';
  const waitGone = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!isAlive(record.pid)) return true;
      await sleep(50);
    }
    return !isAlive(record.pid);
  };
  try {
    process.kill(record.pid, 'SIGTERM');
  } catch {
    return 'not-running';
  }
  if (await waitGone(timeoutMs)) return 'stopped';
  try {
    process.kill(record.pid, 'SIGKILL');
  } catch {
    return 'stopped';
  }
  await waitGone(5000);
  return 'killed';
}

/** Children started without `detached`: killed when this process exits, whatever the reason. */
const attachedChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
export function trackAttached(child: ChildProcess): void {
  attachedChildren.add(child);
  child.once('exit', () => attachedChildren.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of attachedChildren) {
      try {
        c.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

const exits = new WeakMap<ChildProcess, ExitInfo>();

/** How the child ended, once it has. */
export const exitInfoOf = (child: ChildProcess): ExitInfo | undefined => exits.get(child);

/** Resolves how the child ended, once it has (also for exitInfoOf). */
export function watchExit(child: ChildProcess): Promise<ExitInfo> {
  return new Promise((resolve) => {
    const ended = (info: ExitInfo) => {
      exits.set(child, info);
      resolve(info);
    };
    child.once('error', (error) => {
      if (child.pid === undefined) ended({ code: null, signal: null, error });
    });
    child.once('exit', (code, signal) => ended({ code, signal }));
  });
}

/** Waits up to ms for the child's exit (so describeExit can say how it ended). */
export async function settleExit(exited: Promise<ExitInfo>, ms = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** " (exit code 1)" / " (killed by SIGKILL)" once the child has exited, else "". */
export function describeExit(child: ChildProcess): string {
  const info = exitInfoOf(child);
  if (!info) return '';
  if (info.error) return ` (${info.error.message})`;
  return info.signal ? ` (killed by ${info.signal})` : ` (exit code ${info.code})`;
}

/** process.env merged with `env`, dropping undefined values (spawn would pass "undefined"). */
export function cleanEnv(env: ChildEnv = {}): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...env }))
    if (value !== undefined && value !== null) merged[key] = String(value);
  return merged;
}

export interface SpawnedProcess {
  child: ChildProcess;
  pid: number;
  logFile: string;
  /** Where this run's output starts in logFile. */
  logOffset: number;
  exited: Promise<ExitInfo>;
}

/**
 * Spawns `command` with stdout and stderr appended to logFile (or truncated first with
 * truncate: true). detached: true makes it outlive this process (its own session, unref'ed),
 * for make launch; otherwise it is killed when this process exits. Resolves once spawned.
 */
export async function spawnLogged(
  command: string,
  args: readonly string[],
  {
    env,
    cwd = REPO_ROOT,
    logFile,
    truncate = false,
    detached = false,
  }: { logFile: string; env?: ChildEnv; cwd?: string; truncate?: boolean; detached?: boolean },
): Promise<SpawnedProcess> {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, truncate ? 'w' : 'a');
  const logOffset = fs.fstatSync(fd).size;
  let child: ChildProcess;
  try {
    child = spawn(command, args, { cwd, env: cleanEnv(env), stdio: ['ignore', fd, fd], detached });
  } finally {
    fs.closeSync(fd);
  }
  const exited = watchExit(child);
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  child.unref();
  if (!detached) trackAttached(child);
  return { child, pid: child.pid!, logFile, logOffset, exited };
}
