/**
 * Start/stop logic for the local stack (NATS, the FerretDB dev server, the two apps), shared by
 * make launch / make shutdown (launch.ts, shutdown.ts), the jest global setup and
 * test/support/stack.ts, and the benchmarks. Node built-ins only.
 */
export { startApp, appEntry, type AppHandle, type StartAppOptions } from './apps';
export { tail, waitForLogLine } from './commands';
export {
  chooseDevServerStorage,
  databaseOf,
  LOCAL_POSTGRESQL_URL,
  postgresqlUrlFor,
  redactUrl,
  type DevServerStorage,
} from './dev-database';
export {
  buildFerretDb,
  startFerretDb,
  type FerretDbHandler,
  type FerretDbOptions,
  type StartedFerretDb,
} from './ferretdb';
export { ensureNats, probeNats, startNats, type EnsuredNats, type NatsInfo, type StartedNats } from './nats';
export type { ServerOptions, StartedServer } from './servers';
export {
  canConnect,
  freePort,
  hostPort,
  httpRequest,
  isPortFree,
  waitForHttp,
  waitForPort,
  type HttpResponse,
} from './net';
export { APP_DEFAULT_PORTS, DEFAULT_NATS_URL, REPO_ROOT, type AppName } from './paths';
export {
  isAlive,
  isSameProcess,
  processRecord,
  spawnLogged,
  stopPid,
  type ExitInfo,
  type ProcessRecord,
  type SpawnedProcess,
  type StopResult,
} from './processes';
