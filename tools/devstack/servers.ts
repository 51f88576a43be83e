import type { ChildProcess } from 'node:child_process';
import { tail } from './commands';
import {
  describeExit,
  exitInfoOf,
  isAlive,
  processRecord,
  settleExit,
  stopPid,
  type ExitInfo,
  type ProcessRecord,
  type SpawnedProcess,
} from './processes';

/** How to start a local server: its data and log, its port (default: any free one), its lifetime. */
export interface ServerOptions {
  dataDir: string;
  logFile?: string;
  port?: number;
  /** Outlives this process (make launch); otherwise killed when this process exits. */
  detached?: boolean;
  timeoutMs?: number;
  /** A server configuration file (nats-server -c), e.g. to require credentials. */
  configFile?: string;
}

/** A server process this code started and saw answer. */
export interface StartedServer {
  port: number;
  pid: number;
  record: ProcessRecord;
  logFile: string;
  dataDir: string;
  child: ChildProcess;
  exited: Promise<ExitInfo>;
}

/** True while the spawned server runs. */
export const aliveCheck = (proc: SpawnedProcess) => (): boolean =>
  !exitInfoOf(proc.child) && isAlive(proc.pid);

export function startedServer(
  proc: SpawnedProcess,
  name: string,
  port: number,
  dataDir: string,
): StartedServer {
  return {
    port,
    pid: proc.pid,
    record: processRecord(proc.pid, { name }),
    logFile: proc.logFile,
    dataDir,
    child: proc.child,
    exited: proc.exited,
  };
}

/** Stops a server that did not come up, and says why: how it ended, and the tail of its log. */
export async function failedStart(proc: SpawnedProcess, what: string, error: unknown): Promise<Error> {
  await stopPid(proc.pid, { timeoutMs: 5000 });
  await settleExit(proc.exited);
  return new Error(
    `${what} failed to start${describeExit(proc.child)}: ${(error as Error).message}\n` +
      `--- ${proc.logFile} ---\n${tail(proc.logFile, 30, { fromOffset: proc.logOffset })}`,
  );
}
