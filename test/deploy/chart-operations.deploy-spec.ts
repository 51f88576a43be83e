/**
 * The chart's values scenarios that operators turn: replicas vs HPA and disruption budgets,
 * secrets, network policies (the monitoring switches: chart-monitoring-flags.deploy-spec). The
 * defaults and the rendered objects' validity: chart.deploy-spec.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { parse } from 'yaml';
import { CHART_DIR, findObject, ofKind, render, type RenderOptions } from './support/helm';
import { APPS } from './support/app-objects';
import { asDeployment, onlyContainer, podSpecOf, selectorLabels } from './support/pod-env';

const chart = parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as Record<string, string>;

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
