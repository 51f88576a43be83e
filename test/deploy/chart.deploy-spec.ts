/**
 * The Helm chart on its own: lint, Kubernetes schema validity of every render, and the behaviour
 * each values scenario promises (replicas vs HPA, PDB, secrets, checksums, security, spreading,
 * network policies, Prometheus operator objects). Routes: chart-routes; helm test pods: chart-tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPod, IPodSpec, IService } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import {
  CHART_DIR,
  findObject,
  helm,
  ofKind,
  render,
  REPO_ROOT,
  type K8sObject,
  type RenderOptions,
  INGRESS_ON,
} from './support/helm';
import { validateAll } from './support/k8s-schemas';
import { asDeployment, onlyContainer } from './support/pod-env';

const APPS = ['generator', 'provider'] as const;
const CI_FILES = readdirSync(join(CHART_DIR, 'ci')).filter((f) => f.endsWith('.yaml'));
/** The local cluster's values (tools/cluster), relative to the chart as the other values files. */
const LOCAL_VALUES = '../../deploy/local/values.yaml';
const chart = parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as Record<string, string>;

const selectorLabels = (app: string) => ({
  'app.kubernetes.io/name': 'discounts',
  'app.kubernetes.io/instance': 'discounts',
  'app.kubernetes.io/component': app,
});
const podSpecOf = (deployment: K8sObject) => asDeployment(deployment).spec!.template.spec!;
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

describe('replicas, autoscaling and disruption budgets', () => {
  it('with autoscaling: no replicas field, an HPA on each Deployment, and a PDB for each', () => {
    const objects = render({ valuesFiles: ['ci/autoscaling-values.yaml'] });
    for (const app of APPS) {
      const deployment = asDeployment(findObject(objects, 'Deployment', `discounts-${app}`));
      expect(deployment.spec).not.toHaveProperty('replicas');
      const hpa = findObject(
        objects,
        'HorizontalPodAutoscaler',
        `discounts-${app}`,
      ) as unknown as IHorizontalPodAutoscaler;
      expect(hpa.spec!.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: `discounts-${app}`,
      });
      const pdb = findObject(objects, 'PodDisruptionBudget', `discounts-${app}`);
      expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: selectorLabels(app) } });
    }
    const generatorHpa = findObject(
      objects,
      'HorizontalPodAutoscaler',
      'discounts-generator',
    ) as unknown as IHorizontalPodAutoscaler;
    expect(generatorHpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
    expect(
      generatorHpa.spec!.metrics!.map((m) => [m.resource!.name, m.resource!.target.averageUtilization]),
    ).toEqual([
      ['cpu', 60],
      ['memory', 80],
    ]);
    // The chart's behavior: up at once, down after 5 minutes by at most half the pods a minute.
    expect(generatorHpa.spec!.behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Percent', value: 100, periodSeconds: 15 },
          { type: 'Pods', value: 4, periodSeconds: 15 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
      },
    });
    // A values file's list replaces the chart's; its other settings stay.
    const providerHpa = findObject(
      objects,
      'HorizontalPodAutoscaler',
      'discounts-provider',
    ) as unknown as IHorizontalPodAutoscaler;
    expect(providerHpa.spec!.behavior!.scaleDown).toEqual({
      stabilizationWindowSeconds: 60,
      selectPolicy: 'Max',
      policies: [{ type: 'Pods', value: 1, periodSeconds: 30 }],
    });
    expect(providerHpa.spec!.behavior!.scaleUp).toEqual(generatorHpa.spec!.behavior!.scaleUp);
  });

  it('with fixed replicas: a PDB only for the app with more than one pod', () => {
    const objects = render({ valuesFiles: ['ci/replicas-values.yaml'] });
    expect(asDeployment(findObject(objects, 'Deployment', 'discounts-generator')).spec!.replicas).toBe(3);
    expect(asDeployment(findObject(objects, 'Deployment', 'discounts-provider')).spec!.replicas).toBe(1);
    expect(ofKind(objects, 'PodDisruptionBudget').map((p) => p.metadata.name)).toEqual([
      'discounts-generator',
    ]);
    expect(ofKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
    const spread = podSpecOf(
      findObject(objects, 'Deployment', 'discounts-generator'),
    ).topologySpreadConstraints!;
    expect(spread.map((c) => c.whenUnsatisfiable)).toEqual(['DoNotSchedule', 'DoNotSchedule']);
  });
});

describe('secrets', () => {
  it('existingSecret: no chart Secret; required keys referenced as required, the rest optional, by their configured names', () => {
    const objects = render({ valuesFiles: ['ci/existing-secret-values.yaml'] });
    expect(ofKind(objects, 'Secret')).toEqual([]);
    const provider = onlyContainer(findObject(objects, 'Deployment', 'discounts-provider'));
    const refs = Object.fromEntries((provider.env ?? []).map((e) => [e.name, e.valueFrom?.secretKeyRef]));
    expect(refs).toEqual({
      ADMIN_TOKEN: { name: 'discounts-credentials', key: 'provider-admin-token' },
      MONGODB_URI: { name: 'discounts-credentials', key: 'mongodb-uri' },
      NATS_USER: { name: 'discounts-credentials', key: 'nats-user', optional: true },
      NATS_PASSWORD: { name: 'discounts-credentials', key: 'nats-password', optional: true },
      NATS_TOKEN: { name: 'discounts-credentials', key: 'nats-token', optional: true },
      JWT_SECRET: { name: 'discounts-credentials', key: 'jwt-secret', optional: true },
      USER_SECRET_PEPPER: { name: 'discounts-credentials', key: 'user-secret-pepper' },
    });
    const generatorEnv = (
      onlyContainer(findObject(objects, 'Deployment', 'discounts-generator')).env ?? []
    ).map((e) => e.name);
    expect(generatorEnv).not.toContain('JWT_SECRET');
    const generatorAdmin = onlyContainer(findObject(objects, 'Deployment', 'discounts-generator')).env!.find(
      (e) => e.name === 'ADMIN_TOKEN',
    )!;
    expect(generatorAdmin.valueFrom!.secretKeyRef).toEqual({
      name: 'discounts-credentials',
      key: 'generator-admin-token',
    });
  });

  it('with a JWKS URL no JWT_SECRET is generated or referenced', () => {
    const objects = render({ valuesFiles: ['ci/jwks-values.yaml'] });
    expect(Object.keys(findObject(objects, 'Secret', 'discounts-secrets').data as object)).not.toContain(
      'JWT_SECRET',
    );
    const env = (onlyContainer(findObject(objects, 'Deployment', 'discounts-provider')).env ?? []).map(
      (e) => e.name,
    );
    expect(env).not.toContain('JWT_SECRET');
  });

  it('given credentials are used as they are', () => {
    const objects = render({ valuesFiles: ['ci/all-settings-values.yaml'] });
    const data = findObject(objects, 'Secret', 'shop-discounts-secrets').data as Record<string, string>;
    const decoded = Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );
    expect(decoded).toMatchObject({
      GENERATOR_ADMIN_TOKEN: 'ci-generator-admin-token-0123456789',
      PROVIDER_ADMIN_TOKEN: 'ci-provider-admin-token-0123456789',
      NATS_USER: 'ci-nats-user',
      NATS_PASSWORD: 'nats-password',
    });
    const generator = onlyContainer(findObject(objects, 'Deployment', 'shop-discounts-generator'));
    expect(generator.image).toBe(
      `discounts-generator:${chart.appVersion}@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`,
    );
    expect(onlyContainer(findObject(objects, 'Deployment', 'shop-discounts-provider')).image).toBe(
      'discounts-provider:1.2.3',
    );
    expect(podSpecOf(findObject(objects, 'Deployment', 'shop-discounts-provider')).serviceAccountName).toBe(
      'shared-sa',
    );
    expect(ofKind(objects, 'ServiceAccount').map((s) => s.metadata.name)).toEqual([
      'shop-discounts-generator',
    ]);
  });
});

describe('network policies', () => {
  const policies = (options: RenderOptions) => {
    const objects = render(options);
    return Object.fromEntries(
      APPS.map((app) => [
        app,
        findObject(objects, 'NetworkPolicy', `discounts-${app}`) as unknown as INetworkPolicy,
      ]),
    );
  };

  it.each([
    ['default peers', { set: ['networkPolicy.enabled=true'] }],
    ['ci/network-policy-values.yaml', { valuesFiles: ['ci/network-policy-values.yaml'] }],
  ])(
    '%s: in only from the ingress controller and Prometheus (never the other app); out only to DNS, MongoDB, NATS, webhooks',
    (_name, options: RenderOptions) => {
      const byApp = policies(options);
      for (const app of APPS) {
        const spec = byApp[app]!.spec!;
        expect(spec.podSelector.matchLabels).toEqual(selectorLabels(app));
        expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
        // The admin port has a rule of its own, from networkPolicy.adminFrom only (none by default).
        expect(spec.ingress).toHaveLength(_name === 'default peers' ? 1 : 2);
        const from = spec.ingress![0]!.from!;
        expect(from).toHaveLength(3);
        expect(from[2]).toEqual({ podSelector: { matchLabels: selectorLabels('test') } });
        expect(spec.ingress![0]!.ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
        const egressPorts = spec.egress!.map((rule) =>
          rule.ports!.map((p) => `${p.protocol}/${p.port}`).join(','),
        );
        const expected = ['TCP/53,UDP/53', 'TCP/27017', 'TCP/4222'];
        if (app === 'generator') expected.push(_name === 'default peers' ? 'TCP/443' : 'TCP/443,TCP/8443');
        expect(egressPorts).toEqual(expected);
      }
    },
  );

  it("webhooks go to public addresses only by default, never to the cluster's or the cloud metadata's", () => {
    const webhookRule = policies({ set: ['networkPolicy.enabled=true'] }).generator!.spec!.egress![3]!;
    const blocks = webhookRule.to!.map((peer) => peer.ipBlock!);
    expect(blocks.map((b) => b.cidr)).toEqual(['0.0.0.0/0', '::/0']);
    expect(blocks[0]!.except).toEqual(
      expect.arrayContaining([
        '10.0.0.0/8',
        '172.16.0.0/12',
        '192.168.0.0/16',
        '169.254.0.0/16',
        '127.0.0.0/8',
      ]),
    );
    expect(blocks[1]!.except).toEqual(expect.arrayContaining(['fc00::/7', 'fe80::/10', '::1/128']));
  });

  it('the webhook egress can be turned off', () => {
    const byApp = policies({
      set: ['networkPolicy.enabled=true', 'networkPolicy.egress.webhooks.enabled=false'],
    });
    expect(byApp.generator!.spec!.egress).toHaveLength(3);
  });
});

describe('Prometheus operator objects and Grafana dashboards (flags)', () => {
  const rulesFile = join(REPO_ROOT, 'deploy', 'prometheus', 'rules.yaml');
  const dashboardsDir = join(REPO_ROOT, 'deploy', 'grafana', 'dashboards');
  const dashboards = readdirSync(dashboardsDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const operatorApis = ['monitoring.coreos.com/v1/ServiceMonitor', 'monitoring.coreos.com/v1/PrometheusRule'];
  const objects = render({ valuesFiles: ['ci/monitoring-values.yaml'], apiVersions: operatorApis });

  it('a ServiceMonitor scrapes /metrics on the http port of both Services, with job = the app', () => {
    const monitor = findObject(objects, 'ServiceMonitor', 'discounts');
    const spec = monitor.spec as {
      selector: {
        matchLabels: Record<string, string>;
        matchExpressions?: Array<{ key: string; operator: string; values: string[] }>;
      };
      jobLabel: string;
      endpoints: Array<Record<string, unknown>>;
    };
    expect(monitor.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(spec.endpoints).toEqual([
      { port: 'http', path: '/metrics', interval: '15s', scrapeTimeout: '10s' },
    ]);
    const services = ofKind(objects, 'Service') as unknown as IService[];
    const selected = services.filter(
      (s) =>
        Object.entries(spec.selector.matchLabels).every(([k, v]) => s.metadata!.labels?.[k] === v) &&
        (spec.selector.matchExpressions ?? []).every((e) => {
          expect(e.operator).toBe('In');
          return e.values.includes(s.metadata!.labels?.[e.key] ?? '');
        }),
    );
    // The apps' Services, not their admin Services (no /metrics there).
    expect(services.map((s) => s.metadata!.name)).toContain('discounts-generator-admin');
    expect(selected.map((s) => s.metadata!.labels![spec.jobLabel]).sort()).toEqual(['generator', 'provider']);
    for (const service of selected) expect(service.spec!.ports!.map((p) => p.name)).toContain('http');
  });

  it('a PrometheusRule carries deploy/prometheus/rules.yaml exactly, once that file exists', () => {
    const rules = ofKind(objects, 'PrometheusRule');
    if (!existsSync(rulesFile)) {
      expect(rules).toEqual([]);
      return;
    }
    const file = parse(readFileSync(rulesFile, 'utf8')) as { groups: unknown[] };
    expect(rules).toHaveLength(1);
    expect((rules[0]!.spec as { groups: unknown[] }).groups).toEqual(file.groups);
  });

  it('a dashboards ConfigMap with the sidecar label carries every deploy/grafana/dashboards/*.json, once there are any', () => {
    const configMaps = ofKind(objects, 'ConfigMap').filter(
      (c) => c.metadata.labels?.grafana_dashboard === '1',
    );
    if (dashboards.length === 0) {
      expect(configMaps).toEqual([]);
      return;
    }
    expect(configMaps).toHaveLength(1);
    const data = configMaps[0]!.data as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual(dashboards);
    for (const file of dashboards) {
      expect(JSON.parse(data[file]!)).toEqual(JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8')));
    }
  });

  it('nothing of the kind without the flags', () => {
    const kinds = render({ apiVersions: operatorApis }).map((o) => o.kind);
    expect(kinds).not.toContain('ServiceMonitor');
    expect(kinds).not.toContain('PrometheusRule');
  });

  it('nothing of the kind on a cluster without the operator, even with the flags (values-production.yaml)', () => {
    const kinds = render({ valuesFiles: ['values-production.yaml'] }).map((o) => o.kind);
    expect(kinds).not.toContain('ServiceMonitor');
    expect(kinds).not.toContain('PrometheusRule');
    const withOperator = render({ valuesFiles: ['values-production.yaml'], apiVersions: operatorApis });
    expect(ofKind(withOperator, 'ServiceMonitor')).toHaveLength(1);
  });
});
