/** Types of stack.cjs (the local-stack start/stop logic shared by make launch and the test tiers). */
import type { ChildProcess } from 'node:child_process';
import type { IncomingHttpHeaders } from 'node:http';

export type AppName = 'generator' | 'provider';

export declare const REPO_ROOT: string;
export declare const APP_DEFAULT_PORTS: Readonly<Record<AppName, number>>;
export declare const DEFAULT_NATS_URL: string;

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

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export declare function freePort(): Promise<number>;
export declare function canConnect(host: string, port: number, timeoutMs?: number): Promise<boolean>;
export declare function isPortFree(port: number): Promise<boolean>;
export declare function waitForPort(
  host: string,
  port: number,
  opts?: { timeoutMs?: number; intervalMs?: number; isAlive?: () => boolean },
): Promise<void>;
export declare function httpRequest(
  url: string,
  opts?: { method?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number },
): Promise<HttpResponse>;
export declare function waitForHttp(
  url: string,
  opts?: { timeoutMs?: number; status?: number; intervalMs?: number; isAlive?: () => boolean },
): Promise<HttpResponse>;
export declare function hostPort(url: string, defaultPort: number): { host: string; port: number };

export declare function isAlive(pid: number): boolean;
export declare function processRecord<T extends object = object>(pid: number, extra?: T): ProcessRecord & T;
export declare function isSameProcess(record: ProcessRecord | null | undefined): boolean;
export type StopResult = 'not-running' | 'not-ours' | 'stopped' | 'killed';
export declare function stopPid(
  pidOrRecord: number | ProcessRecord,
  opts?: { timeoutMs?: number },
): Promise<StopResult>;

export interface SpawnedProcess {
  child: ChildProcess;
  pid: number;
  logFile: string;
  logOffset: number;
  exited: Promise<ExitInfo>;
}
export declare function spawnLogged(
  command: string,
  args: readonly string[],
  opts: {
    logFile: string;
    env?: Record<string, string | undefined>;
    cwd?: string;
    truncate?: boolean;
    detached?: boolean;
  },
): Promise<SpawnedProcess>;
export declare function waitForLogLine(
  logFile: string,
  regex: RegExp,
  opts?: { fromOffset?: number; timeoutMs?: number; intervalMs?: number; isAlive?: () => boolean },
): Promise<RegExpMatchArray>;
export declare function tail(
  fileOrText: string,
  lines?: number,
  opts?: { isText?: boolean; fromOffset?: number },
): string;

export interface NatsInfo {
  jetstream?: boolean;
  version?: string;
  [key: string]: unknown;
}
export declare function probeNats(host: string, port: number, timeoutMs?: number): Promise<NatsInfo | null>;

export interface StartedServer {
  port: number;
  pid: number;
  record: ProcessRecord;
  logFile: string;
  dataDir: string;
  child: ChildProcess;
  exited: Promise<ExitInfo>;
}
export interface StartedNats extends StartedServer {
  url: string;
}
export declare function startNats(opts: {
  dataDir: string;
  logFile?: string;
  port?: number;
  detached?: boolean;
  timeoutMs?: number;
}): Promise<StartedNats>;

export type EnsuredNats =
  | { url: string; started: false; source: 'NATS_URL' | 'local'; jetstream?: boolean }
  | (StartedNats & { started: true; source: 'started'; jetstream: true });
export declare function ensureNats(opts: {
  url?: string;
  /** Used when it answers and `url` is unset; default nats://127.0.0.1:4222. */
  localUrl?: string;
  dataDir: string;
  logFile?: string;
  detached?: boolean;
}): Promise<EnsuredNats>;

export interface StartedFerretDb extends StartedServer {
  /** mongodb://127.0.0.1:PORT/<dbName> */
  uri: string;
}
export declare function buildFerretDb(): Promise<string>;
export declare function startFerretDb(opts: {
  dataDir: string;
  logFile?: string;
  port?: number;
  dbName?: string;
  detached?: boolean;
  timeoutMs?: number;
}): Promise<StartedFerretDb>;

export interface AppHandle {
  name: AppName;
  pid: number;
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  child: ChildProcess;
  record: ProcessRecord;
  logFile: string | null;
  exited: Promise<ExitInfo>;
  /** Everything the app wrote to stdout and stderr so far (the last maxLogBytes when in memory). */
  logs(): string;
  kill(signal?: NodeJS.Signals): boolean;
  /** SIGTERM, SIGKILL after timeoutMs; resolves the exit code (null when killed by a signal). */
  stop(timeoutMs?: number): Promise<number | null>;
  /** Waits for GET /health/ready = 200; on failure stops the app and rejects with its log tail. */
  ready(timeoutMs?: number): Promise<AppHandle>;
}
export interface StartAppOptions {
  /** Output to this file instead of memory. */
  logFile?: string;
  truncateLog?: boolean;
  detached?: boolean;
  /** Default true: resolve only once /health/ready answers 200. */
  waitReady?: boolean;
  timeoutMs?: number;
  readyPath?: string;
  maxLogBytes?: number;
}
export declare function appEntry(name: AppName): string;
export declare function startApp(
  name: AppName,
  env?: Record<string, string | undefined>,
  opts?: StartAppOptions,
): Promise<AppHandle>;
