/**
 * Connection probes from inside pods, for specs about who may reach whom. Nothing like busybox can
 * be pulled here, so the probes run in Node: in the apps' own containers (kubectl exec) or in
 * short-lived pods on the generator's image, which has Node and coreutils.
 */
import { get as httpGet } from 'node:http';
import { connect } from 'node:net';
import { kubectl, waitFor } from './cluster';

/**
 * Where to connect; with `path`, an HTTP GET instead of a bare TCP connect. With `lookup`, no
 * connection: an A-record query for that name to the pod's DNS server (resolv.conf).
 */
export type ProbeTarget = { host: string; port: number; path?: string } | { lookup: string };

/**
 * What a probe saw: 'connected' (TCP), 'http <status>' (an HTTP answer), 'timeout', or the
 * connect error's code (ECONNREFUSED: kube-router rejects with ICMP port unreachable).
 */
export type ProbeOutcome = string;

export const PROBE_IMAGE = 'localhost/discounts-generator:dev';
/** How long one connect may take: long enough on a busy 2-core node, short enough to stay fast. */
export const CONNECT_TIMEOUT_MS = 3_000;

// Runs every target at once and prints one JSON array of outcomes, so a batch costs one exec.
const PROBE_SCRIPT = `
const targets = JSON.parse(process.argv[1]);
const timeout = ${CONNECT_TIMEOUT_MS};
const probe = (t) => new Promise((done) => {
  if (t.lookup) {
    const resolver = new (require('node:dns').promises.Resolver)({ timeout, tries: 1 });
    resolver.resolve4(t.lookup).then((ips) => done('resolved ' + ips.join(',')), (e) => done(e.code || e.message));
    return;
  }
  if (t.path) {
    const req = require('node:http').get({ host: t.host, port: t.port, path: t.path, timeout }, (res) => {
      res.resume();
      done('http ' + res.statusCode);
    });
    req.on('timeout', () => { req.destroy(); done('timeout'); });
    req.on('error', (e) => done(e.code || e.message));
    return;
  }
  const socket = require('node:net').connect({ host: t.host, port: t.port });
  socket.setTimeout(timeout, () => { socket.destroy(); done('timeout'); });
  socket.on('connect', () => { socket.destroy(); done('connected'); });
  socket.on('error', (e) => done(e.code || e.message));
});
Promise.all(targets.map(probe)).then((outcomes) => console.log(JSON.stringify(outcomes)));
`;

/** The same probe from the node itself (this process), which every policy lets through. */
export function probeFromNode(target: { host: string; port: number; path?: string }): Promise<ProbeOutcome> {
  return new Promise((done) => {
    if (target.path !== undefined) {
      const req = httpGet(
        { host: target.host, port: target.port, path: target.path, timeout: CONNECT_TIMEOUT_MS },
        (res) => {
          res.resume();
          done(`http ${res.statusCode}`);
        },
      );
      req.on('timeout', () => {
        req.destroy();
        done('timeout');
      });
      req.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
      return;
    }
    const socket = connect({ host: target.host, port: target.port });
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => {
      socket.destroy();
      done('timeout');
    });
    socket.on('connect', () => {
      socket.destroy();
      done('connected');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}

/** Probes `targets` from inside `pod` (its first container must have node). */
export async function probeFrom(
  namespace: string,
  pod: string,
  targets: readonly ProbeTarget[],
): Promise<ProbeOutcome[]> {
  const out = await kubectl(
    ['exec', '-n', namespace, pod, '--', 'node', '-e', PROBE_SCRIPT, JSON.stringify(targets)],
    {
      timeoutMs: 30_000,
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as ProbeOutcome[];
}

/** A refusal or a timeout: the outcome of a connection the policy stops (never an answer). */
export const BLOCKED = /^(timeout|ECONNREFUSED|EHOSTUNREACH)$/;

export interface ProbePodSpec {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** What the container runs; by default it just waits to be exec'ed into. */
  command?: string[];
  /** A TCP port whose accepting makes the pod Ready. */
  readyPort?: number;
}

/**
 * Starts a pod on PROBE_IMAGE, non-root and without API access, gone by itself after five minutes
 * at the latest, and resolves once it is Ready.
 */
export async function startProbePod(spec: ProbePodSpec): Promise<{ name: string; ip: string }> {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: {
      restartPolicy: 'Never',
      activeDeadlineSeconds: 300,
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'probe',
          image: PROBE_IMAGE,
          imagePullPolicy: 'Never',
          command: spec.command ?? ['sleep', '300'],
          ...(spec.readyPort === undefined
            ? {}
            : { readinessProbe: { tcpSocket: { port: spec.readyPort }, periodSeconds: 1 } }),
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          },
        },
      ],
    },
  };
  await kubectl(['apply', '-f', '-'], { input: JSON.stringify(pod) });
  await kubectl(
    ['wait', '-n', spec.namespace, '--for=condition=Ready', `pod/${spec.name}`, '--timeout=90s'],
    {
      timeoutMs: 100_000,
    },
  );
  const ip = await kubectl(['get', 'pod', '-n', spec.namespace, spec.name, '-o', 'jsonpath={.status.podIP}']);
  return { name: spec.name, ip };
}

export async function deleteProbePods(namespace: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await kubectl(['delete', 'pod', '-n', namespace, ...names, '--ignore-not-found', '--wait=false']);
}

/**
 * Probes until `want` holds for the outcomes: the controller writes a new pod into its address
 * sets some moments after the pod is Ready, so an allowed peer may still be refused at first.
 */
export function probeUntil(
  what: string,
  namespace: string,
  pod: string,
  targets: readonly ProbeTarget[],
  want: (outcomes: ProbeOutcome[]) => boolean,
): Promise<ProbeOutcome[]> {
  let last: ProbeOutcome[] = [];
  return waitFor(what, 45_000, async () => {
    last = await probeFrom(namespace, pod, targets);
    return want(last) ? last : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; last outcomes ${JSON.stringify(last)} for ${JSON.stringify(targets)}`);
  });
}
