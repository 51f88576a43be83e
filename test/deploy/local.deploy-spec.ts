/**
 * deploy/local: what the local Kubernetes cluster (tools/cluster) runs, checked without it. The
 * kustomization (deploy/dev's NATS on a nats-server built from source, the FerretDB stand-in for
 * MongoDB) as the local cluster's pinned kubectl builds it (`kubectl kustomize`); the chart's local values render valid objects that find those dependencies, use only
 * imported images, and are reached through the Gateway API route under Traefik's rules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IStatefulSet } from 'kubernetes-models/apps/v1';
import type { IService } from 'kubernetes-models/v1';
import { parse, parseAllDocuments } from 'yaml';
import {
  CHART_DIR,
  findObject,
  ofKind,
  parseYamlDocuments,
  render,
  REPO_ROOT,
  type K8sObject,
} from './support/helm';
import { validateAll } from './support/k8s-schemas';
import { buildKustomization, containersOf, kustomizationFile, readKustomization } from './support/kustomize';
import { asDeployment, onlyContainer, resolveEnv } from './support/pod-env';
import { PUBLIC_ROUTE_CASES } from './support/public-routes';
import { traefikGatewayRouteFor, type HttpRouteSpec } from './support/traefik-routing';

const LOCAL_DIR = join(REPO_ROOT, 'deploy', 'local');
const VALUES_FILE = join(LOCAL_DIR, 'values.yaml');
const APPS = ['generator', 'provider'] as const;

const readEnvFile = (path: string): Record<string, string> =>
  Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .map((line) => /^([A-Z_]+)=(\S*)\s*$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
const clusterVersions = readEnvFile(join(REPO_ROOT, 'tools', 'cluster', 'versions.env'));
/**
 * The FerretDB the dev server embeds: its image is tagged with that version (tools/cluster/images).
 * go.mod has it on a one-line `require` or inside a `require ( … )` block.
 */
const FERRETDB_VERSION = /^(?:require |\t)github\.com\/FerretDB\/FerretDB (v\S+)$/m.exec(
  readFileSync(join(REPO_ROOT, 'tools', 'ferretdb-dev', 'go.mod'), 'utf8'),
)![1]!;

const statefulSet = (objects: readonly K8sObject[], name: string) =>
  findObject(objects, 'StatefulSet', name) as unknown as IStatefulSet;
const service = (objects: readonly K8sObject[], name: string) =>
  findObject(objects, 'Service', name) as unknown as IService;

describe('deploy/local/kustomization.yaml', () => {
  const objects = buildKustomization(LOCAL_DIR);
  const ids = (list: readonly K8sObject[]) => list.map((o) => `${o.kind}/${o.metadata.name}`).sort();

  it("is deploy/dev's NATS and the FerretDB stand-in, nothing of deploy/dev's MongoDB", () => {
    expect(ids(objects)).toEqual([
      // Who may reach them: test/deploy/local-network-policy.deploy-spec.ts.
      'NetworkPolicy/discounts-mongodb',
      'NetworkPolicy/discounts-nats',
      'Secret/discounts-nats-auth',
      'Service/discounts-mongodb',
      'Service/discounts-nats',
      'StatefulSet/discounts-mongodb',
      'StatefulSet/discounts-nats',
    ]);
    validateAll(objects);
    const dev = buildKustomization(join(REPO_ROOT, 'deploy', 'dev'));
    const nats = (list: readonly K8sObject[]) =>
      list.filter((o) => o.kind !== 'NetworkPolicy' && o.metadata.name.startsWith('discounts-nats'));
    const withoutImages = (list: readonly K8sObject[]) =>
      JSON.stringify(nats(list)).replace(/"image":"[^"]*"/g, '"image":""');
    expect(withoutImages(objects)).toBe(withoutImages(dev));
  });

  it('uses only images built for the local cluster: localhost/…, pinned, nothing to pull', () => {
    const images = containersOf(objects)
      .map((c) => c.image)
      .sort();
    expect(images).toEqual([
      `localhost/discounts-local/ferretdb-dev:${FERRETDB_VERSION}`,
      `localhost/discounts-local/nats-server:${clusterVersions.NATS_SERVER_VERSION}`,
    ]);
    const ferret = statefulSet(objects, 'discounts-mongodb').spec!.template.spec!.containers[0]!;
    expect(ferret.imagePullPolicy).toBe('Never');
    // A fixed tag and no policy: IfNotPresent, so the imported image is used.
    const nats = statefulSet(objects, 'discounts-nats').spec!.template.spec!.containers[0]!;
    expect(nats.image).not.toMatch(/:latest$/);
    expect(nats.imagePullPolicy ?? 'IfNotPresent').toBe('IfNotPresent');
  });

  it("NATS: deploy/dev's arguments go straight to the nats-server binary, JetStream on the volume", () => {
    const set = statefulSet(objects, 'discounts-nats');
    const container = set.spec!.template.spec!.containers[0]!;
    expect(container.command).toBeUndefined();
    // The image's entrypoint is nats-server itself, so the first argument must be a flag.
    for (const arg of container.args!) expect(arg).toMatch(/^--?[a-z_]+(=.*)?$/);
    expect(container.args).toEqual(
      expect.arrayContaining(['--jetstream', '--port=4222', '--http_port=8222']),
    );
    const storeDir = container.args!.find((a) => a.startsWith('--store_dir='))!.split('=')[1];
    const claim = set.spec!.volumeClaimTemplates![0]!.metadata!.name;
    expect(container.volumeMounts).toContainEqual({ name: claim, mountPath: storeDir });
  });

  it('NATS wants a login, the user and password of its Secret, which deploy/local/values.yaml gives the apps', () => {
    const container = statefulSet(objects, 'discounts-nats').spec!.template.spec!.containers[0]!;
    // Kubernetes puts the variables' values into $(…) of the arguments.
    expect(container.args).toEqual(
      expect.arrayContaining(['--user=$(NATS_USER)', '--pass=$(NATS_PASSWORD)']),
    );
    const secret = findObject(objects, 'Secret', 'discounts-nats-auth') as K8sObject & {
      stringData: Record<string, string>;
    };
    const fromSecret = Object.fromEntries(
      (container.env ?? []).map((e) => {
        const ref = e.valueFrom!.secretKeyRef!;
        expect(ref.name).toBe('discounts-nats-auth');
        return [e.name, secret.stringData[ref.key]];
      }),
    );
    expect(Object.keys(fromSecret).sort()).toEqual(['NATS_PASSWORD', 'NATS_USER']);
    const chart = render({ valuesFiles: [join('..', '..', 'deploy', 'local', 'values.yaml')] });
    for (const app of APPS) {
      const env = resolveEnv(chart, findObject(chart, 'Deployment', `discounts-${app}`)).values;
      expect({ NATS_USER: env.NATS_USER, NATS_PASSWORD: env.NATS_PASSWORD }).toEqual(fromSecret);
    }
  });

  it('FerretDB: a plain ClusterIP Service on 27017 in front of one non-root pod with a volume', () => {
    const svc = service(objects, 'discounts-mongodb');
    expect(svc.spec!.clusterIP).toBeUndefined();
    expect(svc.spec!.type ?? 'ClusterIP').toBe('ClusterIP');
    expect(svc.spec!.ports).toEqual([{ name: 'mongodb', port: 27017, targetPort: 'mongodb' }]);
    const set = statefulSet(objects, 'discounts-mongodb');
    expect(set.spec!.replicas).toBe(1);
    expect(svc.spec!.selector).toEqual(set.spec!.selector.matchLabels);
    const pod = set.spec!.template.spec!;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 });
    expect(pod.automountServiceAccountToken).toBe(false);
    const container = pod.containers[0]!;
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.ports).toEqual([{ name: 'mongodb', containerPort: 27017 }]);
    // The image's entrypoint is the ferretdb-dev binary (tools/ferretdb-dev/main.go's flags).
    expect(container.command).toBeUndefined();
    expect(container.args).toEqual([
      '-listen',
      '0.0.0.0:27017',
      '-sqlite-dir',
      '/data',
      '-log-level',
      'warn',
    ]);
    const [claim] = set.spec!.volumeClaimTemplates!;
    expect(container.volumeMounts).toContainEqual({ name: claim!.metadata!.name, mountPath: '/data' });
    // The cluster's default StorageClass.
    expect(claim!.spec!.storageClassName).toBeUndefined();
    expect(claim!.spec!.accessModes).toEqual(['ReadWriteOnce']);
    // No shell or mongosh in the image: the probes are TCP.
    expect(container.readinessProbe?.tcpSocket?.port).toBe('mongodb');
    expect(container.livenessProbe?.tcpSocket?.port).toBe('mongodb');
    expect(containersOf(objects).length).toBe(2);
  });

  it('says at the top that it is FerretDB, not MongoDB', () => {
    const header = readFileSync(join(LOCAL_DIR, 'mongodb.yaml'), 'utf8').split('\napiVersion:')[0]!;
    expect(header).toMatch(/NOT MongoDB/);
    expect(header).toMatch(/FerretDB/);
    expect(header).toMatch(/no replica set/);
  });

  it("deploy/dev's kustomization holds what the skaffold dev profile applies from deploy/dev", () => {
    const [dependencies] = parseAllDocuments(readFileSync(join(REPO_ROOT, 'skaffold.yaml'), 'utf8')).map(
      (doc) =>
        doc.toJS() as {
          metadata: { name: string };
          profiles: Array<{ name: string; manifests?: { rawYaml?: string[] } }>;
        },
    );
    expect(dependencies!.metadata.name).toBe('dependencies');
    const dev = dependencies!.profiles.find((p) => p.name === 'dev')!.manifests!.rawYaml!;
    const kustomization = readKustomization(join(REPO_ROOT, 'deploy', 'dev'));
    expect(kustomization.resources!.map((r) => `deploy/dev/${r}`).sort()).toEqual(dev.slice().sort());
  });

  it('`kubectl apply -f deploy/dev/` still reads only manifests: the kustomization file has no extension it reads', () => {
    expect(kustomizationFile(join(REPO_ROOT, 'deploy', 'dev'))).toBe(
      join(REPO_ROOT, 'deploy', 'dev', 'Kustomization'),
    );
    // kubectl's -f takes the directory's *.json, *.yaml and *.yml, without recursing.
    const read = readdirSync(join(REPO_ROOT, 'deploy', 'dev'), { withFileTypes: true })
      .filter((e) => e.isFile() && /\.(json|ya?ml)$/.test(e.name))
      .map((e) => e.name)
      .sort();
    expect(read).toEqual(['mongodb.yaml', 'nats.yaml']);
    for (const file of read) {
      const objects = parseYamlDocuments(readFileSync(join(REPO_ROOT, 'deploy', 'dev', file), 'utf8'), file);
      validateAll(objects);
    }
  });
});

describe('deploy/local/values.yaml', () => {
  const values = parse(readFileSync(VALUES_FILE, 'utf8')) as Record<string, Record<string, unknown>>;
  const objects = render({ valuesFiles: [join('..', '..', 'deploy', 'local', 'values.yaml')] });
  const dependencies = buildKustomization(LOCAL_DIR);
  const deployment = (app: string) => findObject(objects, 'Deployment', `discounts-${app}`);

  it('is an overlay of the chart: nothing the chart does not have', () => {
    const defaults = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as Record<string, unknown>;
    const unknown: string[] = [];
    const walk = (node: unknown, base: unknown, path: string) => {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
      for (const [key, value] of Object.entries(node)) {
        const next = (base as Record<string, unknown> | undefined)?.[key];
        if (next === undefined) unknown.push(`${path}${key}`);
        else walk(value, next, `${path}${key}.`);
      }
    };
    walk(values, defaults, '');
    expect(unknown).toEqual([]);
  });

  it("sets no credential but deploy/dev's NATS login: the chart generates both admin tokens, JWT_SECRET, WEBHOOK_SECRET_KEYS and USER_SECRET_PEPPER, and the tests read them from the Secret", () => {
    expect(Object.keys(values.secrets!)).toEqual(['mongodbUri', 'natsUser', 'natsPassword']);
    const data = findObject(objects, 'Secret', 'discounts-secrets').data as Record<string, string>;
    for (const key of ['GENERATOR_ADMIN_TOKEN', 'PROVIDER_ADMIN_TOKEN'])
      expect(Buffer.from(data[key]!, 'base64').toString()).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(Object.keys(data).sort()).toEqual([
      'GENERATOR_ADMIN_TOKEN',
      'JWT_SECRET',
      'MONGODB_URI',
      'NATS_PASSWORD',
      'NATS_USER',
      'PROVIDER_ADMIN_TOKEN',
      'USER_SECRET_PEPPER',
      'WEBHOOK_SECRET_KEYS',
    ]);
  });

  it('a development setup: the admin tokens work through the gateway (admin.exposeOnPublicPort), as the cluster tests call them', () => {
    expect(values.admin).toEqual({ exposeOnPublicPort: true });
    for (const app of APPS) {
      const env = resolveEnv(objects, deployment(app)).values;
      expect(env.ADMIN_PORT).toBeUndefined();
      expect(env.ADMIN_TOKEN).toMatch(/^[A-Za-z0-9]{40}$/);
    }
    expect(ofKind(objects, 'Service').map((s) => s.metadata.name)).toEqual([
      'discounts-generator',
      'discounts-provider',
    ]);
  });

  it.each(APPS)('%s: the image imported into the cluster, tag dev, never pulled', (app) => {
    const container = onlyContainer(deployment(app));
    expect(container.image).toBe(`localhost/discounts-${app}:dev`);
    expect(container.imagePullPolicy).toBe('Never');
  });

  it('two generators (a job spreads over both), two providers (the stand-in serializes their claims)', () => {
    expect(asDeployment(deployment('generator')).spec!.replicas).toBe(2);
    expect(asDeployment(deployment('provider')).spec!.replicas).toBe(2);
    expect(ofKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
  });

  it.each(APPS)("%s: MONGODB_URI and NATS_URL name deploy/local's Services and ports", (app) => {
    const env = resolveEnv(objects, deployment(app)).values;
    const mongo = new URL(env.MONGODB_URI!);
    expect(mongo.searchParams.get('replicaSet')).toBeNull();
    expect(mongo.pathname).toBe('/discounts');
    // The chart's default NATS URL: the local values leave it alone.
    expect(values.settings?.natsUrl).toBeUndefined();
    for (const url of [mongo, new URL(env.NATS_URL!)]) {
      expect(service(dependencies, url.hostname).spec!.ports!.map((p) => p.port)).toContain(Number(url.port));
    }
  });

  it('no Ingress; an HTTPRoute on the Gateway gateway-system/local, listener web, for discounts.local', () => {
    expect(ofKind(objects, 'Ingress')).toEqual([]);
    const route = findObject(objects, 'HTTPRoute', 'discounts');
    const spec = route.spec as HttpRouteSpec & { parentRefs: unknown };
    expect(spec.parentRefs).toEqual([{ name: 'local', namespace: 'gateway-system', sectionName: 'web' }]);
    expect(spec.hostnames).toEqual(['discounts.local']);
  });

  it.each(PUBLIC_ROUTE_CASES)('through Traefik: %s %s goes to %s', (_method, path, target) => {
    const spec = findObject(objects, 'HTTPRoute', 'discounts').spec as HttpRouteSpec;
    expect(traefikGatewayRouteFor(spec, 'discounts.local', path)).toBe(target);
  });

  it('asks little of a 2-core node: all the pods together request at most half a core', () => {
    const millicores = (q: string | number | undefined) =>
      q === undefined ? 0 : String(q).endsWith('m') ? Number(String(q).slice(0, -1)) : Number(q) * 1000;
    const replicas = (o: K8sObject) =>
      o.kind === 'Pod' ? 0 : ((o.spec as { replicas?: number }).replicas ?? 1);
    let total = 0;
    for (const object of [...objects, ...dependencies]) {
      const spec = object.spec as {
        template?: { spec?: { containers?: Array<{ resources?: { requests?: { cpu?: string } } }> } };
      };
      for (const container of spec?.template?.spec?.containers ?? []) {
        total += replicas(object) * millicores(container.resources?.requests?.cpu);
      }
    }
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(500);
  });
});
