'use strict';
/**
 * Start/stop logic for the local stack (NATS, the FerretDB dev server, the two apps), shared by
 * `launch.mjs` / `shutdown.mjs` (make launch / make shutdown) and by the jest global setup and
 * `test/support/stack.ts`. Types: `stack.d.cts`.
 *
 * CommonJS on purpose: jest runs tests in CommonJS mode without --experimental-vm-modules, where
 * only `require` works; ESM scripts import it just as well. Node built-ins only, no build step.
 *
 * Processes are only ever stopped by PID, and only PIDs this code started; a recorded process is
 * also matched by its start time so a recycled PID is never signalled.
 */
const { Buffer } = require('node:buffer');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { setTimeout, clearTimeout } = require('node:timers');
const { setTimeout: sleep } = require('node:timers/promises');
const { URL } = require('node:url');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const APP_DEFAULT_PORTS = { generator: 5001, provider: 5002 };
const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

// ---------------------------------------------------------------------------------------------
// Ports and URLs

/** A TCP port nothing listens on right now (on any local address). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves true when something accepts a TCP connection on host:port within timeoutMs. */
function canConnect(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when `port` can be bound on all addresses and nothing answers on 127.0.0.1:port. */
async function isPortFree(port) {
  const bindable = await new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
  return bindable && !(await canConnect('127.0.0.1', port, 500));
}

/** Polls until host:port accepts connections; rejects on timeout or when isAlive() turns false. */
async function waitForPort(host, port, { timeoutMs = 30000, intervalMs = 200, isAlive } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await canConnect(host, port, 1000)) return;
    if (isAlive && !isAlive()) throw new Error(`process exited before ${host}:${port} accepted connections`);
    if (Date.now() >= deadline)
      throw new Error(`nothing accepted connections on ${host}:${port} within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

/** One HTTP request; resolves {status, headers, body} (body as text). Never follows redirects. */
function httpRequest(url, { method = 'GET', headers = {}, body, timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const allHeaders = { ...headers };
    if (payload !== undefined) {
      if (!Object.keys(allHeaders).some((h) => h.toLowerCase() === 'content-type')) {
        allHeaders['content-type'] = 'application/json';
      }
      allHeaders['content-length'] = Buffer.byteLength(payload);
    }
    const req = http.request(url, { method, headers: allHeaders, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Polls `url` until it answers `status` (default 200). Rejects after timeoutMs, or as soon as
 * isAlive() returns false (the server process died), with the last status or error seen.
 */
async function waitForHttp(url, { timeoutMs = 60000, status = 200, intervalMs = 250, isAlive } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const res = await httpRequest(url, { timeoutMs: Math.min(5000, Math.max(500, deadline - Date.now())) });
      if (res.status === status) return res;
      last = `HTTP ${res.status} ${res.body.slice(0, 300)}`;
    } catch (err) {
      last = err.code || err.message;
    }
    if (isAlive && !isAlive())
      throw new Error(`process exited before ${url} answered ${status} (last: ${last})`);
    if (Date.now() >= deadline)
      throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
    await sleep(intervalMs);
  }
}

/** {host, port} of a nats:// or mongodb:// URL (first host of a list). */
function hostPort(url, defaultPort) {
  const first = String(url).split(',')[0].trim();
  const u = new URL(/^[a-z+]+:\/\//i.test(first) ? first : `nats://${first}`);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || defaultPort) };
}

// ---------------------------------------------------------------------------------------------
// Processes

/** /proc/<pid>/stat fields we care about, or null (no such process, or not Linux). */
function procStat(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], startTime: fields[19] };
  } catch {
    return null;
  }
}

/** True when the PID exists and is not a zombie. */
function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (err.code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  return !(stat && (stat.state === 'Z' || stat.state === 'X'));
}

/** What to record about a process we started, so that a recycled PID is never mistaken for it. */
function processRecord(pid, extra = {}) {
  const stat = procStat(pid);
  return { pid, startTime: stat ? stat.startTime : null, ...extra };
}

/** True when the recorded process is still the same running process. */
function isSameProcess(record) {
  if (!record || !isAlive(record.pid)) return false;
  if (record.startTime == null) return true;
  const stat = procStat(record.pid);
  return !stat || stat.startTime === record.startTime;
}

/**
 * Stops one process by PID: SIGTERM, then SIGKILL after timeoutMs. Accepts a PID or a record from
 * processRecord() (then a PID now used by another process is left alone). Resolves 'not-running',
 * 'not-ours', 'stopped' (exited after SIGTERM) or 'killed'.
 */
async function stopPid(pidOrRecord, { timeoutMs = 10000 } = {}) {
  const record = typeof pidOrRecord === 'number' ? { pid: pidOrRecord, startTime: null } : pidOrRecord;
  if (!record || !isAlive(record.pid)) return 'not-running';
  if (!isSameProcess(record)) return 'not-ours';
  const waitGone = async (ms) => {
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
const attachedChildren = new Set();
let exitHookInstalled = false;
function trackAttached(child) {
  attachedChildren.add(child);
  child.once('exit', () => attachedChildren.delete(child));
  if (!exitHookInstalled) {
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
}

/**
 * Spawns `command` with stdout and stderr appended to logFile (or truncated first with
 * truncate: true). detached: true makes it outlive this process (its own session, unref'ed),
 * for make launch; otherwise it is killed when this process exits. Resolves once spawned:
 * {child, pid, logFile, logOffset (where this run's output starts), exited (promise)}.
 */
async function spawnLogged(
  command,
  args,
  { env, cwd = REPO_ROOT, logFile, truncate = false, detached = false } = {},
) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, truncate ? 'w' : 'a');
  const logOffset = fs.fstatSync(fd).size;
  let child;
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
  return { child, pid: child.pid, logFile, logOffset, exited };
}

/** Promise of {code, signal} when the child exits; also marks child.exitInfo. */
function watchExit(child) {
  return new Promise((resolve) => {
    child.once('error', (err) => {
      if (child.pid === undefined) {
        child.exitInfo = { code: null, signal: null, error: err };
        resolve(child.exitInfo);
      }
    });
    child.once('exit', (code, signal) => {
      child.exitInfo = { code, signal };
      resolve(child.exitInfo);
    });
  });
}

/** Waits up to ms for the child's exit event (so describeExit can say how it ended). */
async function settleExit(exited, ms = 1000) {
  let timer;
  await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** " (exit code 1)" / " (killed by SIGKILL)" once the child has exited, else "". */
function describeExit(child) {
  const info = child.exitInfo;
  if (!info) return '';
  if (info.error) return ` (${info.error.message})`;
  return info.signal ? ` (killed by ${info.signal})` : ` (exit code ${info.code})`;
}

/** process.env merged with `env`, dropping undefined values (spawn would pass "undefined"). */
function cleanEnv(env) {
  const merged = { ...process.env, ...env };
  for (const key of Object.keys(merged))
    if (merged[key] === undefined || merged[key] === null) delete merged[key];
  for (const key of Object.keys(merged)) merged[key] = String(merged[key]);
  return merged;
}

/** Polls logFile (from byte `fromOffset`) until `regex` matches; resolves the match. */
async function waitForLogLine(
  logFile,
  regex,
  { fromOffset = 0, timeoutMs = 60000, intervalMs = 100, isAlive } = {},
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = readFrom(logFile, fromOffset).match(regex);
    if (match) return match;
    if (isAlive && !isAlive()) throw new Error(`process exited before logging ${regex}`);
    if (Date.now() >= deadline)
      throw new Error(`${logFile}: no line matching ${regex} within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

function readFrom(file, offset) {
  try {
    const buf = fs.readFileSync(file);
    return buf.subarray(Math.min(offset, buf.length)).toString('utf8');
  } catch {
    return '';
  }
}

/** The last `lines` lines of a text file (or of a string), for error messages. */
function tail(fileOrText, lines = 40, { isText = false, fromOffset = 0 } = {}) {
  const text = isText ? fileOrText : readFrom(fileOrText, fromOffset);
  return text.replace(/\s+$/, '').split('\n').slice(-lines).join('\n');
}

function runCommand(command, args, { cwd = REPO_ROOT, env, stderr = 'inherit' } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', stderr] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    if (child.stderr) child.stderr.on('data', (c) => err.push(c));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderrText = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve({ stdout, stderr: stderrText });
      else {
        const detail = stderrText ? `\n${tail(stderrText, 30, { isText: true })}` : '';
        reject(new Error(`${command} ${args.join(' ')} failed (${signal || `exit ${code}`})${detail}`));
      }
    });
  });
}

function which(name, fallbacks = []) {
  for (const dir of (process.env.PATH || '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return fallbacks.find((f) => fs.existsSync(f)) || null;
}

// ---------------------------------------------------------------------------------------------
// NATS

/** Connects and reads the server's INFO line; resolves the parsed INFO object, or null. */
function probeNats(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let data = '';
    const done = (info) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(info);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      const eol = data.indexOf('\r\n');
      if (eol === -1 && data.length < 65536) return;
      const line = eol === -1 ? data : data.slice(0, eol);
      if (!line.startsWith('INFO ')) return done(null);
      try {
        done(JSON.parse(line.slice(5)));
      } catch {
        done(null);
      }
    });
    socket.once('error', () => done(null));
    socket.once('close', () => done(null));
  });
}

function natsServerBin() {
  const bin =
    process.env.NATS_SERVER_BIN ||
    which('nats-server', ['/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server']);
  if (!bin)
    throw new Error('nats-server not found: install it (apt-get install nats-server) or set NATS_URL');
  return bin;
}

/**
 * Starts `nats-server -js` on 127.0.0.1 (a free port unless `port` is given), JetStream store in
 * dataDir, output in logFile. Resolves {url, port, pid, record, logFile, child, exited}.
 */
async function startNats({ dataDir, logFile, port, detached = false, timeoutMs = 20000 } = {}) {
  if (!dataDir) throw new Error('startNats: dataDir is required');
  logFile = logFile || path.join(dataDir, 'nats-server.log');
  fs.mkdirSync(dataDir, { recursive: true });
  const bin = natsServerBin();
  let lastError;
  // A free port can be taken between freePort() and the bind; try again on another one.
  for (let attempt = 0; attempt < (port ? 1 : 3); attempt++) {
    const usePort = port || (await freePort());
    // Otherwise the probe below could be answered by whatever already holds the port.
    if (!(await isPortFree(usePort))) {
      lastError = new Error(`cannot start nats-server: port ${usePort} is already in use`);
      continue;
    }
    const proc = await spawnLogged(bin, ['-a', '127.0.0.1', '-p', String(usePort), '-js', '-sd', dataDir], {
      logFile,
      detached,
    });
    const alive = () => !proc.child.exitInfo && isAlive(proc.pid);
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const info = await probeNats('127.0.0.1', usePort, 1000);
        if (info && alive()) break;
        if (!alive()) throw new Error('nats-server exited during start-up');
        if (Date.now() >= deadline) throw new Error(`nats-server did not answer within ${timeoutMs} ms`);
        await sleep(100);
      }
      return {
        url: `nats://127.0.0.1:${usePort}`,
        port: usePort,
        pid: proc.pid,
        record: processRecord(proc.pid, { name: 'nats-server' }),
        logFile,
        dataDir,
        child: proc.child,
        exited: proc.exited,
      };
    } catch (err) {
      await stopPid(proc.pid, { timeoutMs: 3000 });
      await settleExit(proc.exited);
      lastError = new Error(
        `${err.message}${describeExit(proc.child)}\n--- ${logFile} ---\n` +
          tail(logFile, 20, { fromOffset: proc.logOffset }),
      );
    }
  }
  throw lastError;
}

/**
 * NATS for local runs: `url` (default: $NATS_URL) when set; else `localUrl` (nats://127.0.0.1:4222)
 * when a NATS server answers there; else a nats-server started by startNats(). Resolves {url, started, source, pid?,
 * record?, jetstream?, ...}; `started` is true only when this call started a server.
 */
async function ensureNats({
  url = process.env.NATS_URL,
  localUrl = DEFAULT_NATS_URL,
  dataDir,
  logFile,
  detached = false,
} = {}) {
  if (url) return { url, started: false, source: 'NATS_URL' };
  const { host, port } = hostPort(localUrl, 4222);
  const info = await probeNats(host, port);
  if (info) return { url: localUrl, started: false, source: 'local', jetstream: Boolean(info.jetstream) };
  const nats = await startNats({ dataDir, logFile, detached });
  return { ...nats, started: true, source: 'started', jetstream: true };
}

// ---------------------------------------------------------------------------------------------
// FerretDB dev server (MongoDB wire protocol on SQLite; built from tools/ferretdb-dev)

/**
 * Path of the ferretdb-dev binary: $FERRETDB_DEV_BIN, else what tools/ferretdb-dev/build.sh
 * builds (cached; the first build takes minutes) and prints as its last stdout line.
 */
async function buildFerretDb() {
  if (process.env.FERRETDB_DEV_BIN) return process.env.FERRETDB_DEV_BIN;
  const script = path.join(REPO_ROOT, 'tools', 'ferretdb-dev', 'build.sh');
  if (!fs.existsSync(script)) throw new Error(`${script} not found`);
  const { stdout } = await runCommand('bash', [script]);
  const bin = stdout.trim().split('\n').pop();
  if (!bin || !fs.existsSync(bin)) throw new Error(`build.sh printed no usable binary path (got "${bin}")`);
  return bin;
}

/**
 * Starts the FerretDB dev server with its SQLite files in dataDir, on 127.0.0.1:`port` (0 = a free
 * port chosen by the server itself, read back from its "listening on" line). Resolves {uri
 * (mongodb://127.0.0.1:PORT/<dbName>), port, pid, record, logFile, child, exited}.
 */
async function startFerretDb({
  dataDir,
  logFile,
  port = 0,
  dbName = 'discounts',
  detached = false,
  timeoutMs = 60000,
} = {}) {
  if (!dataDir) throw new Error('startFerretDb: dataDir is required');
  logFile = logFile || path.join(dataDir, 'ferretdb.log');
  fs.mkdirSync(dataDir, { recursive: true });
  const bin = await buildFerretDb();
  const proc = await spawnLogged(
    bin,
    ['-listen', `127.0.0.1:${port}`, '-sqlite-dir', dataDir, '-log-level', 'warn'],
    {
      logFile,
      detached,
    },
  );
  const alive = () => !proc.child.exitInfo && isAlive(proc.pid);
  try {
    const match = await waitForLogLine(logFile, /ferretdb-dev listening on (\S+)/, {
      fromOffset: proc.logOffset,
      timeoutMs,
      isAlive: alive,
    });
    const address = match[1];
    const actualPort = Number(address.slice(address.lastIndexOf(':') + 1));
    await waitForPort('127.0.0.1', actualPort, { timeoutMs: 10000, isAlive: alive });
    return {
      uri: `mongodb://127.0.0.1:${actualPort}/${dbName}`,
      port: actualPort,
      pid: proc.pid,
      record: processRecord(proc.pid, { name: 'ferretdb-dev' }),
      logFile,
      dataDir,
      child: proc.child,
      exited: proc.exited,
    };
  } catch (err) {
    await stopPid(proc.pid, { timeoutMs: 5000 });
    await settleExit(proc.exited);
    throw new Error(
      `FerretDB dev server (${bin}) failed to start${describeExit(proc.child)}: ${err.message}\n` +
        `--- ${logFile} ---\n` +
        tail(logFile, 30, { fromOffset: proc.logOffset }),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Apps

/**
 * Node arguments that start tracing before the app loads (a no-op unless an OTLP endpoint is
 * configured), as the image and the npm start scripts do.
 */
function preloadArgs() {
  const preload = path.join(REPO_ROOT, 'dist', 'libs', 'observability', 'src', 'tracing', 'preload.js');
  return fs.existsSync(preload) ? ['--require', preload] : [];
}

/** dist entry point of an app; throws when it has not been built. */
function appEntry(name) {
  if (!(name in APP_DEFAULT_PORTS)) throw new Error(`unknown app "${name}" (expected generator or provider)`);
  const entry = path.join(REPO_ROOT, 'dist', 'apps', name, 'src', 'main.js');
  if (!fs.existsSync(entry)) {
    throw new Error(`${path.relative(REPO_ROOT, entry)} not found: run npm run build first`);
  }
  return entry;
}

/**
 * Starts an app from dist/ with process.env + env (env.PORT, else its default port). Output goes
 * to logFile when given, else is kept in memory (the last maxLogBytes). Unless waitReady is false,
 * waits for GET /health/ready = 200 and, when that fails, stops the app and rejects with the log
 * tail. Resolves a handle {name, pid, port, url, child, record, logFile, logs(), kill(signal),
 * stop(timeoutMs) → exit code or null, exited, ready()}.
 */
async function startApp(name, env = {}, opts = {}) {
  const {
    logFile,
    truncateLog = true,
    detached = false,
    waitReady = true,
    timeoutMs = 60000,
    readyPath = '/health/ready',
    maxLogBytes = 1 << 20,
  } = opts;
  const entry = appEntry(name);
  const port = Number(env.PORT || APP_DEFAULT_PORTS[name]);
  const url = `http://127.0.0.1:${port}`;
  // Otherwise the readiness probe could be answered by whatever already holds the port.
  if (!(await isPortFree(port))) throw new Error(`cannot start ${name}: port ${port} is already in use`);
  const childEnv = { ...env, PORT: String(port) };

  let child;
  let exited;
  let logOffset = 0;
  const memory = [];
  let memoryBytes = 0;
  if (logFile) {
    const proc = await spawnLogged(process.execPath, [...preloadArgs(), entry], {
      env: childEnv,
      logFile,
      truncate: truncateLog,
      detached,
    });
    ({ child, exited, logOffset } = proc);
  } else {
    child = spawn(process.execPath, [...preloadArgs(), entry], {
      cwd: REPO_ROOT,
      env: cleanEnv(childEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached,
    });
    const keep = (chunk) => {
      memory.push(chunk);
      memoryBytes += chunk.length;
      while (memoryBytes > maxLogBytes && memory.length > 1) memoryBytes -= memory.shift().length;
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    exited = watchExit(child);
    await new Promise((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    if (!detached) trackAttached(child);
  }
  const alive = () => !child.exitInfo;

  const handle = {
    name,
    pid: child.pid,
    port,
    url,
    child,
    logFile: logFile || null,
    record: processRecord(child.pid, { name }),
    exited,
    logs: () => (logFile ? readFrom(logFile, logOffset) : Buffer.concat(memory).toString('utf8')),
    kill: (signal = 'SIGTERM') => (alive() ? child.kill(signal) : false),
    async stop(stopTimeoutMs = 10000) {
      if (alive()) {
        child.kill('SIGTERM');
        let timer;
        const timedOut = await Promise.race([
          exited.then(() => false),
          new Promise((resolve) => (timer = setTimeout(() => resolve(true), stopTimeoutMs))),
        ]);
        clearTimeout(timer);
        if (timedOut && alive()) child.kill('SIGKILL');
      }
      const { code } = await exited;
      return code;
    },
    async ready(readyTimeoutMs = timeoutMs) {
      try {
        await waitForHttp(url + readyPath, { timeoutMs: readyTimeoutMs, isAlive: alive });
      } catch (err) {
        const how = describeExit(child); // before stop(): how it ended by itself, if it did
        await handle.stop(3000);
        throw new Error(
          `${name} did not become ready at ${url}${readyPath}${how}: ${err.message}\n` +
            `--- last ${name} log lines${logFile ? ` (${logFile})` : ''} ---\n${tail(handle.logs(), 40, { isText: true })}`,
        );
      }
      return handle;
    },
  };
  if (waitReady) await handle.ready();
  return handle;
}

module.exports = {
  REPO_ROOT,
  APP_DEFAULT_PORTS,
  DEFAULT_NATS_URL,
  freePort,
  canConnect,
  isPortFree,
  waitForPort,
  httpRequest,
  waitForHttp,
  hostPort,
  isAlive,
  processRecord,
  isSameProcess,
  stopPid,
  spawnLogged,
  waitForLogLine,
  tail,
  probeNats,
  startNats,
  ensureNats,
  buildFerretDb,
  startFerretDb,
  appEntry,
  startApp,
};
