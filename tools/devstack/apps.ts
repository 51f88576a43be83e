import { Buffer } from 'node:buffer';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readFrom, tail } from './commands';
import { isPortFree, waitForHttp } from './net';
import { APP_DEFAULT_PORTS, REPO_ROOT, type AppName } from './paths';
import {
  cleanEnv,
  describeExit,
  exitInfoOf,
  processRecord,
  spawnLogged,
  trackAttached,
  watchExit,
  type ChildEnv,
  type ExitInfo,
  type ProcessRecord,
} from './processes';

export interface AppHandle {
  name: AppName;
  pid: number;
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** http://127.0.0.1:ADMIN_PORT when the app was given one (admin requests go there), else null. */
  adminUrl: string | null;
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
  /** Extra Node options before the entry point (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
  nodeArgs?: readonly string[];
}

/**
 * Node arguments that start tracing before the app loads (a no-op unless an OTLP endpoint is
 * configured), as the image and the npm start scripts do.
 */
function preloadArgs(): string[] {
  const preload = path.join(REPO_ROOT, 'dist', 'libs', 'observability', 'src', 'tracing', 'preload.js');
  return fs.existsSync(preload) ? ['--require', preload] : [];
}

/** dist entry point of an app; throws when it has not been built. */
export function appEntry(name: AppName): string {
  if (!(name in APP_DEFAULT_PORTS)) throw new Error(`unknown app "${name}" (expected generator or provider)`);
  const entry = path.join(REPO_ROOT, 'dist', 'apps', name, 'src', 'main.js');
  if (!fs.existsSync(entry))
    throw new Error(`${path.relative(REPO_ROOT, entry)} not found: run npm run build first`);
  return entry;
}

/** Output kept in memory, the last maxBytes of it. */
function memoryLog(child: ChildProcess, maxBytes: number): () => string {
  const chunks: Buffer[] = [];
  let bytes = 0;
  const keep = (chunk: Buffer) => {
    chunks.push(chunk);
    bytes += chunk.length;
    while (bytes > maxBytes && chunks.length > 1) bytes -= chunks.shift()!.length;
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts an app from dist/ with process.env + env (env.PORT, else its default port). Output goes
 * to logFile when given, else is kept in memory (the last maxLogBytes). Unless waitReady is false,
 * waits for GET /health/ready = 200 and, when that fails, stops the app and rejects with the log
 * tail.
 */
export async function startApp(
  name: AppName,
  env: ChildEnv = {},
  opts: StartAppOptions = {},
): Promise<AppHandle> {
  const {
    logFile,
    truncateLog = true,
    detached = false,
    waitReady = true,
    timeoutMs = 60_000,
    readyPath = '/health/ready',
    maxLogBytes = 1 << 20,
    nodeArgs = [],
  } = opts;
  const entry = appEntry(name);
  const port = Number(env.PORT || APP_DEFAULT_PORTS[name]);
  const url = `http://127.0.0.1:${port}`;
  const adminUrl = env.ADMIN_PORT ? `http://127.0.0.1:${env.ADMIN_PORT}` : null;
  // Otherwise the readiness probe could be answered by whatever already holds the port.
  if (!(await isPortFree(port))) throw new Error(`cannot start ${name}: port ${port} is already in use`);
  if (env.ADMIN_PORT && !(await isPortFree(Number(env.ADMIN_PORT))))
    throw new Error(`cannot start ${name}: admin port ${env.ADMIN_PORT} is already in use`);
  const childEnv = { ...env, PORT: String(port) };
  const args = [...nodeArgs, ...preloadArgs(), entry];

  let child: ChildProcess;
  let exited: Promise<ExitInfo>;
  let logs: () => string;
  if (logFile) {
    const proc = await spawnLogged(process.execPath, args, {
      env: childEnv,
      logFile,
      truncate: truncateLog,
      detached,
    });
    ({ child, exited } = proc);
    logs = () => readFrom(logFile, proc.logOffset);
  } else {
    const spawned = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: cleanEnv(childEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached,
    });
    child = spawned;
    logs = memoryLog(spawned, maxLogBytes);
    exited = watchExit(spawned);
    await new Promise((resolve, reject) => {
      spawned.once('spawn', resolve);
      spawned.once('error', reject);
    });
    if (!detached) trackAttached(spawned);
  }
  const alive = () => !exitInfoOf(child);

  const handle: AppHandle = {
    name,
    pid: child.pid!,
    port,
    url,
    adminUrl,
    child,
    logFile: logFile ?? null,
    record: processRecord(child.pid!, { name }),
    exited,
    logs,
    kill: (signal = 'SIGTERM') => (alive() ? child.kill(signal) : false),
    async stop(stopTimeoutMs = 10_000) {
      if (alive()) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          exited.then(() => false),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), stopTimeoutMs))),
        ]);
        clearTimeout(timer);
        if (timedOut && alive()) child.kill('SIGKILL');
      }
      return (await exited).code;
    },
    async ready(readyTimeoutMs = timeoutMs) {
      try {
        await waitForHttp(url + readyPath, { timeoutMs: readyTimeoutMs, isAlive: alive });
      } catch (err) {
        const how = describeExit(child); // before stop(): how it ended by itself, if it did
        await handle.stop(3000);
        throw new Error(
          `${name} did not become ready at ${url}${readyPath}${how}: ${(err as Error).message}\n` +
            `--- last ${name} log lines${logFile ? ` (${logFile})` : ''} ---\n${tail(handle.logs(), 40, { isText: true })}`,
        );
      }
      return handle;
    },
  };
  if (waitReady) await handle.ready();
  return handle;
}
