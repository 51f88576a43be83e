import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { which } from './commands';
import { freePort, hostPort, isPortFree } from './net';
import { DEFAULT_NATS_URL } from './paths';
import { spawnLogged } from './processes';
import { aliveCheck, failedStart, startedServer, type ServerOptions, type StartedServer } from './servers';

export interface NatsInfo {
  jetstream?: boolean;
  version?: string;
  [key: string]: unknown;
}

export interface StartedNats extends StartedServer {
  url: string;
}

export type EnsuredNats =
  | { url: string; started: false; source: 'NATS_URL' | 'local'; jetstream?: boolean }
  | (StartedNats & { started: true; source: 'started'; jetstream: true });

/** Connects and reads the server's INFO line; resolves the parsed INFO object, or null. */
export function probeNats(host: string, port: number, timeoutMs = 1500): Promise<NatsInfo | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let data = '';
    const done = (info: NatsInfo | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(info);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('utf8');
      const eol = data.indexOf('\r\n');
      if (eol === -1 && data.length < 65536) return;
      const line = eol === -1 ? data : data.slice(0, eol);
      if (!line.startsWith('INFO ')) return done(null);
      try {
        done(JSON.parse(line.slice(5)) as NatsInfo);
      } catch {
        done(null);
      }
    });
    socket.once('error', () => done(null));
    socket.once('close', () => done(null));
  });
}

function natsServerBin(): string {
  const bin =
    process.env.NATS_SERVER_BIN ||
    which('nats-server', ['/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server']);
  if (!bin)
    throw new Error('nats-server not found: install it (apt-get install nats-server) or set NATS_URL');
  return bin;
}

/**
 * Starts `nats-server -js` on 127.0.0.1 (a free port unless `port` is given), JetStream store in
 * dataDir, output in logFile.
 */
export async function startNats({
  dataDir,
  logFile = path.join(dataDir, 'nats-server.log'),
  port,
  detached = false,
  timeoutMs = 20_000,
  configFile,
}: ServerOptions): Promise<StartedNats> {
  fs.mkdirSync(dataDir, { recursive: true });
  const bin = natsServerBin();
  let lastError: Error | undefined;
  // A free port can be taken between freePort() and the bind; try again on another one.
  for (let attempt = 0; attempt < (port ? 1 : 3); attempt++) {
    const usePort = port || (await freePort());
    // Otherwise the probe below could be answered by whatever already holds the port.
    if (!(await isPortFree(usePort))) {
      lastError = new Error(`cannot start nats-server: port ${usePort} is already in use`);
      continue;
    }
    const args = ['-a', '127.0.0.1', '-p', String(usePort), '-js', '-sd', dataDir];
    if (configFile) args.push('-c', configFile);
    const proc = await spawnLogged(bin, args, {
      logFile,
      detached,
    });
    const alive = aliveCheck(proc);
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const info = await probeNats('127.0.0.1', usePort, 1000);
        if (info && alive()) break;
        if (!alive()) throw new Error('nats-server exited during start-up');
        if (Date.now() >= deadline) throw new Error(`nats-server did not answer within ${timeoutMs} ms`);
        await sleep(100);
      }
      return { ...startedServer(proc, 'nats-server', usePort, dataDir), url: `nats://127.0.0.1:${usePort}` };
    } catch (err) {
      lastError = await failedStart(proc, `nats-server (${bin})`, err);
    }
  }
  throw lastError ?? new Error('nats-server did not start');
}

/**
 * NATS for local runs: `url` (default: $NATS_URL) when set; else `localUrl` when a NATS server
 * answers there; else a nats-server started by startNats(). `started` is true only when this call
 * started a server.
 */
export async function ensureNats({
  url = process.env.NATS_URL,
  localUrl = DEFAULT_NATS_URL,
  dataDir,
  logFile,
  detached = false,
}: {
  url?: string;
  /** Used when it answers and `url` is unset; default nats://127.0.0.1:4222. */
  localUrl?: string;
  dataDir: string;
  logFile?: string;
  detached?: boolean;
}): Promise<EnsuredNats> {
  if (url) return { url, started: false, source: 'NATS_URL' };
  const { host, port } = hostPort(localUrl, 4222);
  const info = await probeNats(host, port);
  if (info) return { url: localUrl, started: false, source: 'local', jetstream: Boolean(info.jetstream) };
  const nats = await startNats({ dataDir, logFile, detached });
  return { ...nats, started: true, source: 'started', jetstream: true };
}
