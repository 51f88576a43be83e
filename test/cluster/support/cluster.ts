/**
 * The local cluster as the cluster tier sees it (test/cluster/run.sh starts it and exports where it
 * is): kubectl and helm pinned by tools/cluster, and HTTP through the gateway from the node, with
 * the Host header the local values name — the way a user reaches the system.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run the cluster tier with \`npm run test:cluster\` (test/cluster/run.sh)`,
    );
  return value;
}

export const CLUSTER = {
  kubeconfig: required('CLUSTER_KUBECONFIG'),
  toolBin: required('CLUSTER_TOOL_BIN'),
  nodeIp: required('CLUSTER_NODE_IP'),
  gatewayPort: Number(required('CLUSTER_GATEWAY_PORT')),
  dir: required('CLUSTER_DIR'),
  fakePodCidr: required('CLUSTER_FAKE_POD_CIDR'),
};

/** What the global setup installed, shared with every spec through a file. */
export interface Installation {
  namespace: string;
  release: string;
  host: string;
  /** Each app's own admin token (GENERATOR_ADMIN_TOKEN, PROVIDER_ADMIN_TOKEN of the chart's Secret). */
  adminTokens: { generator: string; provider: string };
  jwtSecret: string;
  installSeconds: number;
  /** Services created before the install whose names match settings' prefixes. */
  collidingServices: string[];
}

export const INSTALLATION_FILE = join(CLUSTER.dir, 'test-installation.json');

export function installation(): Installation {
  return JSON.parse(readFileSync(INSTALLATION_FILE, 'utf8')) as Installation;
}

const execFileAsync = promisify(execFile);

export interface RunOptions {
  input?: string;
  timeoutMs?: number;
  cwd?: string;
  /** Resolve to stdout followed by stderr (for tools that report progress on stderr). */
  withStderr?: boolean;
}

export async function run(bin: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const child = execFileAsync(bin, [...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, KUBECONFIG: CLUSTER.kubeconfig, PATH: `${CLUSTER.toolBin}:${process.env.PATH}` },
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });
  if (opts.input !== undefined) {
    child.child.stdin?.end(opts.input);
  }
  try {
    const { stdout, stderr } = await child;
    return opts.withStderr ? stdout + stderr : stdout;
  } catch (error) {
    const e = error as Error & { stderr?: string; stdout?: string };
    // Some tools (skaffold) report a failed step on stdout: its end says what went wrong.
    const stdoutTail = (e.stdout ?? '').slice(-4_000);
    throw new Error(
      `${bin.split('/').pop()} ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}\n${stdoutTail}`,
    );
  }
}

export const kubectl = (args: readonly string[], opts?: RunOptions) =>
  run(join(CLUSTER.toolBin, 'kubectl'), args, opts);
export const helm = (args: readonly string[], opts?: RunOptions) =>
  run(join(CLUSTER.toolBin, 'helm'), args, opts);
export const tool = (name: string, args: readonly string[], opts?: RunOptions) =>
  run(join(CLUSTER.toolBin, name), args, opts);

export async function kubectlJson<T>(args: readonly string[]): Promise<T> {
  return JSON.parse(await kubectl([...args, '-o', 'json'])) as T;
}

export interface Pod {
  metadata: {
    name: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
    /** Set once the pod is terminating (it still shows until it has drained). */
    deletionTimestamp?: string;
  };
  spec: {
    nodeName?: string;
    enableServiceLinks?: boolean;
    automountServiceAccountToken?: boolean;
    containers: Array<{
      name: string;
      image: string;
      startupProbe?: unknown;
      livenessProbe?: unknown;
      readinessProbe?: unknown;
    }>;
  };
  status: {
    phase: string;
    podIP?: string;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
    containerStatuses?: Array<{ name: string; ready: boolean; started?: boolean; restartCount: number }>;
  };
}

/** One key of a Secret, decoded. */
export async function secretValue(namespace: string, name: string, key: string): Promise<string> {
  const encoded = await kubectl(['get', 'secret', '-n', namespace, name, '-o', `jsonpath={.data.${key}}`]);
  return Buffer.from(encoded, 'base64').toString('utf8');
}

/**
 * A namespace of the spec's own: made fresh before its tests (a leftover of an earlier run is
 * deleted first) and deleted after them, without waiting for its objects to go.
 */
export function scratchNamespace(name: string): void {
  beforeAll(async () => {
    await kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait', '--timeout=120s'], {
      timeoutMs: 150_000,
    });
    await kubectl(['create', 'namespace', name]);
  }, 200_000);
  afterAll(async () => {
    await kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait=false']);
  });
}

/** The pods of `selector` that are not terminating. */
export async function podsOf(namespace: string, selector: string): Promise<Pod[]> {
  const list = await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', namespace, '-l', selector]);
  return list.items.filter((pod) => pod.metadata.deletionTimestamp === undefined);
}

/** Resolves once exactly `count` pods of `selector` run, all Ready, and none is terminating. */
export function settled(namespace: string, selector: string, count: number): Promise<Pod[]> {
  return waitFor(`${count} Ready pods of ${selector} and none terminating`, 120_000, async () => {
    const list = await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', namespace, '-l', selector]);
    const ready = list.items.filter(
      (p) =>
        !p.metadata.deletionTimestamp &&
        p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    return list.items.length === count && ready.length === count ? ready : undefined;
  });
}

export interface GatewayResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: T;
}

export interface GatewayRequest {
  method?: string;
  json?: unknown;
  token?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** One HTTP request to the gateway's NodePort on the node's address, with the release's Host. */
export function gateway<T = Record<string, unknown>>(
  path: string,
  opts: GatewayRequest = {},
  host = installation().host,
): Promise<GatewayResponse<T>> {
  const body = opts.json === undefined ? undefined : JSON.stringify(opts.json);
  const headers: Record<string, string> = { host, accept: 'application/json', ...opts.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: CLUSTER.nodeIp,
        port: CLUSTER.gatewayPort,
        path,
        method: opts.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        timeout: opts.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          if ((res.headers['content-type'] ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed as T });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`gateway ${path}: no answer within ${opts.timeoutMs ?? 30_000} ms`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls `check` until it returns a value other than undefined; fails naming `what` after timeoutMs. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = `: ${error instanceof Error ? error.message : JSON.stringify(error)}`;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Resolves once the gateway routes both apps of the release with `host`. Ready pods are not yet a
 * route: Traefik answers 404 (no route) or 503 (no endpoints) until it has caught up; each app's
 * own 401 for a request without credentials says the route is there.
 */
export async function routesReady(host: string): Promise<void> {
  const appRoutes: Array<[method: string, path: string]> = [
    ['GET', '/v1/brands/any/stats'],
    ['POST', '/v1/brands/any/claims'],
  ];
  for (const [method, path] of appRoutes) {
    await waitFor(`the gateway to route ${method} ${path} for ${host}`, 60_000, async () =>
      (await gateway(path, { method }, host)).status === 401 ? true : undefined,
    );
  }
}
