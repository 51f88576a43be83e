/**
 * The Helm chart on its own: lint, Kubernetes schema validity of every render, and what the
 * default values promise (checksums, security, spreading). Replicas, secrets, network policies and
 * monitoring objects: chart-operations; routes: chart-routes; helm test pods: chart-tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IPod, IPodSpec, IService } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import {
  CHART_DIR,
  findObject,
  helm,
  ofKind,
  render,
  type K8sObject,
  type RenderOptions,
  INGRESS_ON,
} from './support/helm';
import { validateAll } from './support/k8s-schemas';
import { APPS } from './support/app-objects';
import { asDeployment, onlyContainer, podSpecOf, selectorLabels } from './support/pod-env';

const CI_FILES = readdirSync(join(CHART_DIR, 'ci')).filter((f) => f.endsWith('.yaml'));
/** The local cluster's values (tools/cluster), relative to the chart as the other values files. */
const LOCAL_VALUES = '../../deploy/local/values.yaml';
const chart = parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as Record<string, string>;

/** The pod spec of every Deployment and Pod of a render. */
const podSpecsOf = (objects: readonly K8sObject[]): Array<[string, IPodSpec]> => [
  ...ofKind(objects, 'Deployment').map((d): [string, IPodSpec] => [
    `Deployment/${d.metadata.name}`,
    podSpecOf(d),
  ]),
  ...ofKind(objects, 'Pod').map((p): [string, IPodSpec] => [
    `Pod/${p.metadata.name}`,
    (p as unknown as IPod).spec!,
  ]),
];
const annotationsOf = (objects: readonly K8sObject[], app: string) =>
  asDeployment(findObject(objects, 'Deployment', `discounts-${app}`)).spec!.template.metadata!.annotations!;

describe('helm lint --strict', () => {
  it.each([
    ['(default values)'],
    ['values-production.yaml'],
    ...CI_FILES.map((f) => [`ci/${f}`]),
    [LOCAL_VALUES],
  ])('%s', (file) => {
    const args = ['lint', '--strict', CHART_DIR];
    if (!file.startsWith('(')) args.push('--values', join(CHART_DIR, file));
    const result = helm(args);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(result.status).toBe(0);
  });
});

describe('every rendered object is a valid Kubernetes object', () => {
  const scenarios: Array<[string, RenderOptions]> = [
    ['default values', {}],
    ['values-production.yaml', { valuesFiles: ['values-production.yaml'] }],
    ...CI_FILES.map((f): [string, RenderOptions] => [`ci/${f}`, { valuesFiles: [`ci/${f}`] }]),
    ['deploy/local/values.yaml', { valuesFiles: [LOCAL_VALUES] }],
    [
      'the oldest supported Kubernetes (1.27)',
      { kubeVersion: '1.27.0', valuesFiles: ['values-production.yaml'] },
    ],
  ];

  it.each(scenarios)('%s', (_name, options) => {
    const objects = render(options);
    expect(objects.length).toBeGreaterThanOrEqual(8);
    validateAll(objects);
    for (const object of objects) {
      expect(object.metadata.name.length).toBeLessThanOrEqual(63);
      expect(object.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/part-of': 'discounts',
      });
    }
    // Service links would give the pods <SERVICE>_PORT=tcp://… for every Service of the namespace,
    // and the apps refuse some of those names (chart-app-contract.deploy-spec.ts).
    for (const [name, spec] of podSpecsOf(objects)) {
      expect({ name, enableServiceLinks: spec.enableServiceLinks }).toEqual({
        name,
        enableServiceLinks: false,
      });
    }
  });

  it('refuses Kubernetes older than 1.27 (kubeVersion)', () => {
    expect(() => render({ kubeVersion: '1.26.9' })).toThrow(/chart requires kubeVersion: >=1\.27\.0-0/);
  });

  it('cuts long names to 63 characters, keeping the app suffix so that they stay distinct', () => {
    const release = 'a-very-long-release-name-that-goes-on-and-on-and-on-x'; // Helm's longest: 53
    const objects = render({ release, set: [...INGRESS_ON] });
    validateAll(objects);
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
    for (const object of objects) expect(object.metadata.name.length).toBeLessThanOrEqual(63);
    const deployments = ofKind(objects, 'Deployment').map((d) => d.metadata.name);
    expect(deployments.map((n) => n.split('-').pop())).toEqual(['generator', 'provider']);
  });
});

describe('default values', () => {
  const objects = render();
  const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();

  it('installs each app as ServiceAccount, ConfigMap, Service, admin Service, Deployment and helm test Pod, plus one Secret, and nothing optional', () => {
    expect(kinds).toEqual(
      [
        'ConfigMap/discounts-generator',
        'ConfigMap/discounts-provider',
        'Deployment/discounts-generator',
        'Deployment/discounts-provider',
        'Pod/discounts-generator-test',
        'Pod/discounts-provider-test',
        'Secret/discounts-secrets',
        'Service/discounts-generator',
        'Service/discounts-generator-admin',
        'Service/discounts-provider',
        'Service/discounts-provider-admin',
        'ServiceAccount/discounts-generator',
        'ServiceAccount/discounts-provider',
      ].sort(),
    );
  });

  it.each(APPS)('%s: one replica, image tag = appVersion, selectors = name + instance + component', (app) => {
    const deployment = asDeployment(findObject(objects, 'Deployment', `discounts-${app}`));
    expect(deployment.spec!.replicas).toBe(1);
    expect(onlyContainer(findObject(objects, 'Deployment', `discounts-${app}`)).image).toBe(
      `discounts-${app}:${chart.appVersion}`,
    );
    expect(deployment.spec!.selector.matchLabels).toEqual(selectorLabels(app));
    expect(deployment.spec!.template.metadata!.labels).toMatchObject(selectorLabels(app));
    const service = findObject(objects, 'Service', `discounts-${app}`) as unknown as IService;
    expect(service.spec!.selector).toEqual(selectorLabels(app));
    expect(service.spec!.ports).toEqual([expect.objectContaining({ name: 'http', targetPort: 'http' })]);
  });

  it.each(APPS)(
    '%s: non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp, writable /tmp',
    (app) => {
      const deployment = findObject(objects, 'Deployment', `discounts-${app}`);
      const pod = podSpecOf(deployment);
      const container = onlyContainer(deployment);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
      expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.serviceAccountName).toBe(`discounts-${app}`);
      expect(container.resources?.requests).toMatchObject({
        cpu: expect.any(String) as unknown,
        memory: expect.any(String) as unknown,
      });
      expect(container.resources?.limits).toMatchObject({ memory: expect.any(String) as unknown });
      expect(container.lifecycle?.preStop?.exec?.command).toEqual(['sleep', '5']);
    },
  );

  it.each(APPS)('%s: spread over zones and nodes, counting only its own pods of the same revision', (app) => {
    const constraints = podSpecOf(
      findObject(objects, 'Deployment', `discounts-${app}`),
    ).topologySpreadConstraints!;
    expect(constraints.map((c) => c.topologyKey)).toEqual([
      'topology.kubernetes.io/zone',
      'kubernetes.io/hostname',
    ]);
    for (const constraint of constraints) {
      expect(constraint.labelSelector?.matchLabels).toEqual(selectorLabels(app));
      expect(constraint.matchLabelKeys).toEqual(['pod-template-hash']);
      // A cordoned zone is no domain, so a zone drain can move its pods (17-scale-simulation).
      expect(constraint.nodeTaintsPolicy).toBe('Honor');
      // Never required by default: a node without the zone label would take no pod at all.
      expect(constraint.whenUnsatisfiable).toBe('ScheduleAnyway');
    }
  });

  it('each spread key has its own setting', () => {
    const spread = podSpecOf(
      findObject(
        render({ set: ['topologySpread.hostname.whenUnsatisfiable=DoNotSchedule'] }),
        'Deployment',
        'discounts-provider',
      ),
    ).topologySpreadConstraints!;
    expect(spread.map((c) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway'],
      ['kubernetes.io/hostname', 'DoNotSchedule'],
    ]);
  });

  it('generates both admin tokens, JWT_SECRET, WEBHOOK_SECRET_KEYS and USER_SECRET_PEPPER and keeps MONGODB_URI in the Secret, not in the ConfigMaps; no NATS login by default', () => {
    const data = findObject(objects, 'Secret', 'discounts-secrets').data as Record<string, string>;
    const decoded = Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );
    expect(Object.keys(decoded).sort()).toEqual([
      'GENERATOR_ADMIN_TOKEN',
      'JWT_SECRET',
      'MONGODB_URI',
      'PROVIDER_ADMIN_TOKEN',
      'USER_SECRET_PEPPER',
      'WEBHOOK_SECRET_KEYS',
    ]);
    expect(decoded.GENERATOR_ADMIN_TOKEN).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(decoded.PROVIDER_ADMIN_TOKEN).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(decoded.PROVIDER_ADMIN_TOKEN).not.toBe(decoded.GENERATOR_ADMIN_TOKEN);
    // One key of 32 random bytes, in the form the generator reads.
    expect(decoded.WEBHOOK_SECRET_KEYS).toMatch(/^k1:[A-Za-z0-9+/]{43}=$/);
    expect(decoded.JWT_SECRET).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(decoded.USER_SECRET_PEPPER).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(decoded.USER_SECRET_PEPPER).not.toBe(decoded.JWT_SECRET);
    for (const configMap of ofKind(objects, 'ConfigMap')) {
      const keys = Object.keys(configMap.data as object);
      expect(keys.filter((k) => k.endsWith('ADMIN_TOKEN'))).toEqual([]);
      expect(keys.filter((k) => /TOKEN|SECRET|PASSWORD|MONGODB_URI|NATS_USER|KEYS/.test(k))).toEqual([]);
    }
  });
});

describe('pods roll when their settings or credentials change (checksum annotations)', () => {
  const base = render({ set: ['secrets.generatorAdminToken=admin-token-0123456789'] });

  it('the same values give the same checksums', () => {
    const again = render({ set: ['secrets.generatorAdminToken=admin-token-0123456789'] });
    for (const app of APPS) expect(annotationsOf(again, app)).toEqual(annotationsOf(base, app));
  });

  it('a shared setting changes both apps’ config checksum, and only that', () => {
    const changed = render({
      set: ['secrets.generatorAdminToken=admin-token-0123456789', 'settings.logLevel=debug'],
    });
    for (const app of APPS) {
      expect(annotationsOf(changed, app)['checksum/config']).not.toBe(
        annotationsOf(base, app)['checksum/config'],
      );
      expect(annotationsOf(changed, app)['checksum/secret']).toBe(
        annotationsOf(base, app)['checksum/secret'],
      );
    }
  });

  it("one app's setting changes only that app's checksum", () => {
    const changed = render({
      set: [
        'secrets.generatorAdminToken=admin-token-0123456789',
        'generator.settings.generationBatchSize=2000',
      ],
    });
    expect(annotationsOf(changed, 'generator')['checksum/config']).not.toBe(
      annotationsOf(base, 'generator')['checksum/config'],
    );
    expect(annotationsOf(changed, 'provider')['checksum/config']).toBe(
      annotationsOf(base, 'provider')['checksum/config'],
    );
  });

  it('a credential changes the secret checksum of both apps', () => {
    const changed = render({ set: ['secrets.generatorAdminToken=another-admin-token-0123456789'] });
    for (const app of APPS) {
      expect(annotationsOf(changed, app)['checksum/secret']).not.toBe(
        annotationsOf(base, app)['checksum/secret'],
      );
    }
  });
});
