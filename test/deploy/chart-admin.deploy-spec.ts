/**
 * The chart's admin API: admin requests off the public way in (an admin port per app behind an
 * admin Service that no Ingress, HTTPRoute or open NetworkPolicy rule reaches), the
 * admin.exposeOnPublicPort opt-in, one admin token per app, the egress to MongoDB and NATS, and
 * the NOTES that tell users how to reach the admin API and read its tokens. The rest of the
 * credentials (existingSecret, NATS, what an upgrade keeps): chart-credentials.deploy-spec.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IIngress, INetworkPolicy, INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1';
import type { IService } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import { APPS, configOf, deploymentOf, envOf, secretOf, secretRefOf, type App } from './support/app-objects';
import {
  CHART_DIR,
  findObject,
  helmTemplateRaw,
  INGRESS_ON,
  ofKind,
  render,
  renderNotes,
  type K8sObject,
} from './support/helm';
import { onlyContainer } from './support/pod-env';
import type { HttpRouteSpec } from './support/traefik-routing';

const HTTP_ROUTE_ON = ['httpRoute.enabled=true', 'httpRoute.parentRefs[0].name=local'];
const OPT_IN = 'admin.exposeOnPublicPort=true';
const ADMIN_TOOL = 'networkPolicy.adminFrom[0].podSelector.matchLabels.role=admin-tool';

const policyOf = (objects: readonly K8sObject[], app: App) =>
  findObject(objects, 'NetworkPolicy', `discounts-${app}`) as unknown as INetworkPolicy;
/** The ingress rules of a policy that admit the named port. */
const rulesFor = (policy: INetworkPolicy, port: string) =>
  (policy.spec!.ingress ?? []).filter((rule) => (rule.ports ?? []).some((p) => p.port === port));
const readValues = (file: string) =>
  parse(readFileSync(join(CHART_DIR, file), 'utf8')) as Record<string, unknown>;

describe('the admin API, by default: on an admin port that nothing public reaches', () => {
  const objects = render({ set: [...INGRESS_ON, ...HTTP_ROUTE_ON, 'networkPolicy.enabled=true'] });

  it.each(APPS)(
    '%s: an admin port named admin, given to the app as ADMIN_PORT, behind a ClusterIP Service of its own',
    (app) => {
      const ports = onlyContainer(deploymentOf(objects, app)).ports ?? [];
      expect(ports.find((p) => p.name === 'admin')).toEqual({
        name: 'admin',
        containerPort: 8081,
        protocol: 'TCP',
      });
      expect(configOf(objects, app).ADMIN_PORT).toBe('8081');
      const admin = findObject(objects, 'Service', `discounts-${app}-admin`) as unknown as IService;
      const publicService = findObject(objects, 'Service', `discounts-${app}`) as unknown as IService;
      expect(admin.spec!.type).toBe('ClusterIP');
      expect(admin.spec!.selector).toEqual(publicService.spec!.selector);
      expect(admin.spec!.ports).toEqual([
        { name: 'admin', port: 8081, targetPort: 'admin', protocol: 'TCP', appProtocol: 'http' },
      ]);
      // The app's own Service carries the public port only.
      expect(publicService.spec!.ports!.map((p) => p.targetPort)).toEqual(['http']);
    },
  );

  it('the Ingress and the HTTPRoute lead only to the apps’ public Services and ports, never to an admin Service', () => {
    const ingress = findObject(objects, 'Ingress', 'discounts') as unknown as IIngress;
    const ingressBackends = ingress.spec!.rules!.flatMap((rule) =>
      rule.http!.paths.map((p) => `${p.backend.service!.name}:${p.backend.service!.port!.name}`),
    );
    const route = findObject(objects, 'HTTPRoute', 'discounts').spec as HttpRouteSpec;
    const routeBackends = (route.rules ?? []).flatMap((rule) =>
      (rule.backendRefs ?? []).map((ref) => `${ref.name}:${ref.port}`),
    );
    expect(new Set(ingressBackends)).toEqual(
      new Set(['discounts-generator:http', 'discounts-provider:http']),
    );
    expect(new Set(routeBackends)).toEqual(new Set(['discounts-generator:5001', 'discounts-provider:5002']));
    const adminServices = ofKind(objects, 'Service')
      .map((s) => s.metadata.name)
      .filter((name) => name.endsWith('-admin'));
    expect(adminServices.sort()).toEqual(['discounts-generator-admin', 'discounts-provider-admin']);
    for (const backend of [...ingressBackends, ...routeBackends]) {
      expect(backend).not.toMatch(/-admin:|:admin$|:8081$/);
    }
  });

  it.each(APPS)(
    '%s: with the NetworkPolicy on and no adminFrom, no pod gets in on the admin port; the public rule names only http',
    (app) => {
      const policy = policyOf(objects, app);
      expect(rulesFor(policy, 'admin')).toEqual([]);
      for (const rule of policy.spec!.ingress ?? []) {
        expect(rule.ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
      }
    },
  );

  it.each(APPS)('%s: networkPolicy.adminFrom lets exactly those peers in, on the admin port only', (app) => {
    const policy = policyOf(render({ set: ['networkPolicy.enabled=true', ADMIN_TOOL] }), app);
    expect(rulesFor(policy, 'admin')).toEqual([
      {
        from: [{ podSelector: { matchLabels: { role: 'admin-tool' } } }],
        ports: [{ port: 'admin', protocol: 'TCP' }],
      },
    ]);
    // The ingress controller, Prometheus and the test pods: the public port only.
    const publicRules = rulesFor(policy, 'http');
    expect(publicRules).toHaveLength(1);
    expect(publicRules[0]!.ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
    expect(publicRules[0]!.from).not.toContainEqual({ podSelector: { matchLabels: { role: 'admin-tool' } } });
  });

  it('ci/network-policy-values.yaml: the admin tool of its adminFrom, on the admin port', () => {
    const values = readValues('ci/network-policy-values.yaml') as {
      networkPolicy: { adminFrom: INetworkPolicyPeer[] };
    };
    const objects = render({ valuesFiles: ['ci/network-policy-values.yaml'] });
    for (const app of APPS) {
      expect(rulesFor(policyOf(objects, app), 'admin')).toEqual([
        { from: values.networkPolicy.adminFrom, ports: [{ port: 'admin', protocol: 'TCP' }] },
      ]);
    }
  });

  it("admin.port moves the apps' admin listener and the admin Services together", () => {
    const moved = render({ set: ['admin.port=9443'] });
    for (const app of APPS) {
      expect(configOf(moved, app).ADMIN_PORT).toBe('9443');
      const admin = findObject(moved, 'Service', `discounts-${app}-admin`) as unknown as IService;
      expect(admin.spec!.ports![0]!.port).toBe(9443);
      expect(onlyContainer(deploymentOf(moved, app)).ports).toContainEqual({
        name: 'admin',
        containerPort: 9443,
        protocol: 'TCP',
      });
    }
  });

  it.each(APPS)('refuses an admin port that is the %s port, naming both', (app) => {
    const port = app === 'generator' ? 5001 : 5002;
    const result = helmTemplateRaw({ set: [`admin.port=${port}`] });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`admin.port (${port}) must differ from ${app}.port`);
    // Without an admin port there is nothing to collide with.
    expect(helmTemplateRaw({ set: [`admin.port=${port}`, OPT_IN] }).status).toBe(0);
  });
});

describe('admin.exposeOnPublicPort (development only)', () => {
  const objects = render({ set: [OPT_IN, 'networkPolicy.enabled=true', ADMIN_TOOL] });

  it.each(APPS)('%s: no ADMIN_PORT, no admin container port, no admin Service, no admin rule', (app) => {
    expect(configOf(objects, app)).not.toHaveProperty('ADMIN_PORT');
    expect((onlyContainer(deploymentOf(objects, app)).ports ?? []).map((p) => p.name)).toEqual(['http']);
    expect(ofKind(objects, 'Service').map((s) => s.metadata.name)).not.toContain(`discounts-${app}-admin`);
    expect(rulesFor(policyOf(objects, app), 'admin')).toEqual([]);
  });

  it('the admin tokens stay one per app', () => {
    expect(secretRefOf(objects, 'generator', 'ADMIN_TOKEN')!.key).toBe('GENERATOR_ADMIN_TOKEN');
    expect(secretRefOf(objects, 'provider', 'ADMIN_TOKEN')!.key).toBe('PROVIDER_ADMIN_TOKEN');
  });
});

describe('one admin token per app', () => {
  it('two tokens are generated, different, and each Deployment reads its own key as ADMIN_TOKEN', () => {
    const objects = render();
    const secret = secretOf(objects);
    expect(secret.GENERATOR_ADMIN_TOKEN).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(secret.PROVIDER_ADMIN_TOKEN).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(secret.GENERATOR_ADMIN_TOKEN).not.toBe(secret.PROVIDER_ADMIN_TOKEN);
    expect(secret).not.toHaveProperty('ADMIN_TOKEN');
    for (const app of APPS) {
      expect(secretRefOf(objects, app, 'ADMIN_TOKEN')).toEqual({
        name: 'discounts-secrets',
        key: `${app.toUpperCase()}_ADMIN_TOKEN`,
      });
      expect(envOf(objects, app).filter((e) => e.name === 'ADMIN_TOKEN')).toHaveLength(1);
    }
  });

  it('given tokens are used as they are', () => {
    const secret = secretOf(
      render({
        set: [
          'secrets.generatorAdminToken=generator-admin-0123456789',
          'secrets.providerAdminToken=provider-admin-0123456789',
        ],
      }),
    );
    expect(secret.GENERATOR_ADMIN_TOKEN).toBe('generator-admin-0123456789');
    expect(secret.PROVIDER_ADMIN_TOKEN).toBe('provider-admin-0123456789');
  });

  it('the deprecated secrets.adminToken still works, for each app without a value of its own', () => {
    const shared = secretOf(render({ set: ['secrets.adminToken=shared-admin-0123456789'] }));
    expect(shared.GENERATOR_ADMIN_TOKEN).toBe('shared-admin-0123456789');
    expect(shared.PROVIDER_ADMIN_TOKEN).toBe('shared-admin-0123456789');
    const mixed = secretOf(
      render({
        set: [
          'secrets.adminToken=shared-admin-0123456789',
          'secrets.providerAdminToken=provider-admin-0123456789',
        ],
      }),
    );
    expect(mixed.GENERATOR_ADMIN_TOKEN).toBe('shared-admin-0123456789');
    expect(mixed.PROVIDER_ADMIN_TOKEN).toBe('provider-admin-0123456789');
  });

  it('with existingSecret, the deprecated secrets.keys.adminToken makes both apps read that one key', () => {
    const objects = render({
      set: ['secrets.existingSecret=old-secret', 'secrets.keys.adminToken=ADMIN_TOKEN'],
    });
    for (const app of APPS) {
      expect(secretRefOf(objects, app, 'ADMIN_TOKEN')).toEqual({ name: 'old-secret', key: 'ADMIN_TOKEN' });
    }
  });
});

describe('egress to MongoDB and NATS, narrowed from the values', () => {
  const egressOf = (objects: readonly K8sObject[], app: App) => {
    const rules = policyOf(objects, app).spec!.egress!;
    const byPort = (port: number) => rules.find((r) => r.ports!.some((p) => p.port === port))!;
    return { mongodb: byPort(27017), nats: byPort(4222) };
  };

  it('by default anywhere on their ports (a hosted MongoDB, a NATS anywhere)', () => {
    const objects = render({ set: ['networkPolicy.enabled=true'] });
    for (const app of APPS) {
      const { mongodb, nats } = egressOf(objects, app);
      expect(mongodb.to).toBeUndefined();
      expect(nats.to).toBeUndefined();
    }
  });

  it.each([['ci/network-policy-values.yaml'], ['values-production.yaml']])(
    '%s: only to the peers it lists',
    (file) => {
      const values = readValues(file) as {
        networkPolicy: { egress: Record<string, { to?: INetworkPolicyPeer[] }> };
      };
      const objects = render({ valuesFiles: [file] });
      for (const app of APPS) {
        const { mongodb, nats } = egressOf(objects, app);
        expect(mongodb.to).toEqual(values.networkPolicy.egress.mongodb?.to);
        expect(nats.to).toEqual(values.networkPolicy.egress.nats!.to);
      }
    },
  );
});

describe('NOTES.txt', () => {
  it('tells how to reach the admin API (port-forward to the admin Services) and read each token', () => {
    const notes = renderNotes();
    expect(notes).toContain('port-forward service/discounts-generator-admin 8081:8081');
    expect(notes).toContain('port-forward service/discounts-provider-admin 8082:8081');
    expect(notes).toContain(
      "GENERATOR_ADMIN_TOKEN=$(kubectl -n discounts get secret discounts-secrets -o jsonpath='{.data.GENERATOR_ADMIN_TOKEN}' | base64 -d)",
    );
    expect(notes).toContain(
      "PROVIDER_ADMIN_TOKEN=$(kubectl -n discounts get secret discounts-secrets -o jsonpath='{.data.PROVIDER_ADMIN_TOKEN}' | base64 -d)",
    );
    expect(notes).not.toMatch(/WARNING|deprecated/);
  });

  it('names the keys of existingSecret', () => {
    const notes = renderNotes({ valuesFiles: ['ci/existing-secret-values.yaml'] });
    expect(notes).toContain("get secret discounts-credentials -o jsonpath='{.data.generator-admin-token}'");
    expect(notes).toContain("get secret discounts-credentials -o jsonpath='{.data.provider-admin-token}'");
  });

  it('warns when the admin tokens work on the public port', () => {
    const notes = renderNotes({ set: [OPT_IN] });
    expect(notes).toContain('WARNING: admin.exposeOnPublicPort is on');
    expect(notes).not.toContain('discounts-generator-admin');
  });

  it.each([
    ['secrets.adminToken', ['secrets.adminToken=shared-admin-0123456789']],
    ['secrets.keys.adminToken', ['secrets.existingSecret=old', 'secrets.keys.adminToken=ADMIN_TOKEN']],
  ])('says that %s is deprecated', (value, set) => {
    expect(renderNotes({ set })).toContain(`NOTE: ${value} is deprecated`);
  });
});
