/**
 * The chart's credentials and the admin API: admin requests off the public way in (an admin port
 * per app behind an admin Service that no Ingress, HTTPRoute or open NetworkPolicy rule reaches),
 * one admin token per app, existingSecret as the way for `helm template` users, the NATS
 * credentials (user and password, token, NKey seed file), the egress to MongoDB and NATS, and the
 * NOTES that tell users how to reach and read all of it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IIngress, INetworkPolicy, INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1';
import type { IEnvVar, IService } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import {
  CHART_DIR,
  findObject,
  helmTemplateInClusterRaw,
  helmTemplateRaw,
  INGRESS_ON,
  ofKind,
  render,
  renderInCluster,
  renderNotes,
  type K8sObject,
} from './support/helm';
import { asDeployment, onlyContainer } from './support/pod-env';
import type { HttpRouteSpec } from './support/traefik-routing';

const APPS = ['generator', 'provider'] as const;
type App = (typeof APPS)[number];
const HTTP_ROUTE_ON = ['httpRoute.enabled=true', 'httpRoute.parentRefs[0].name=local'];
const OPT_IN = 'admin.exposeOnPublicPort=true';
const ADMIN_TOOL = 'networkPolicy.adminFrom[0].podSelector.matchLabels.role=admin-tool';

const deploymentOf = (objects: readonly K8sObject[], app: App) =>
  findObject(objects, 'Deployment', `discounts-${app}`);
const envOf = (objects: readonly K8sObject[], app: App): IEnvVar[] =>
  onlyContainer(deploymentOf(objects, app)).env ?? [];
const secretRefOf = (objects: readonly K8sObject[], app: App, name: string) =>
  envOf(objects, app).find((e) => e.name === name)?.valueFrom?.secretKeyRef;
const configOf = (objects: readonly K8sObject[], app: App) =>
  findObject(objects, 'ConfigMap', `discounts-${app}`).data as Record<string, string>;
const secretOf = (objects: readonly K8sObject[], name = 'discounts-secrets'): Record<string, string> =>
  Object.fromEntries(
    Object.entries(findObject(objects, 'Secret', name).data as Record<string, string>).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString('utf8'),
    ]),
  );
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

describe('secrets.existingSecret: the way for `helm template` (Argo CD and the like)', () => {
  const options = { set: ['secrets.existingSecret=discounts-credentials'] };
  const objects = render(options);
  const refs = (app: App) =>
    Object.fromEntries(envOf(objects, app).map((e) => [e.name, e.valueFrom?.secretKeyRef]));
  const ref = (key: string, optional = false) => ({
    name: 'discounts-credentials',
    key,
    ...(optional ? { optional: true } : {}),
  });

  it('renders no Secret, and the same objects at every render (nothing random)', () => {
    expect(ofKind(objects, 'Secret')).toEqual([]);
    expect(render(options)).toEqual(objects);
    // Without it, each render has new credentials: what `helm template | kubectl apply` would apply.
    expect(secretOf(render())).not.toEqual(secretOf(render()));
  });

  it('wires every key the apps need, by its secrets.keys name; the optional ones as optional', () => {
    expect(refs('generator')).toEqual({
      ADMIN_TOKEN: ref('GENERATOR_ADMIN_TOKEN'),
      MONGODB_URI: ref('MONGODB_URI'),
      WEBHOOK_SECRET_KEYS: ref('WEBHOOK_SECRET_KEYS'),
      NATS_USER: ref('NATS_USER', true),
      NATS_PASSWORD: ref('NATS_PASSWORD', true),
      NATS_TOKEN: ref('NATS_TOKEN', true),
    });
    expect(refs('provider')).toEqual({
      ADMIN_TOKEN: ref('PROVIDER_ADMIN_TOKEN'),
      MONGODB_URI: ref('MONGODB_URI'),
      JWT_SECRET: ref('JWT_SECRET', true),
      NATS_USER: ref('NATS_USER', true),
      NATS_PASSWORD: ref('NATS_PASSWORD', true),
      NATS_TOKEN: ref('NATS_TOKEN', true),
    });
  });

  it("the chart README's table of keys lists exactly the keys the apps read from it", () => {
    const readme = readFileSync(join(CHART_DIR, 'README.md'), 'utf8');
    const section = readme.split('\n## Credentials\n')[1]!.split('\n#')[0]!;
    const documented = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]!));
    const referenced = APPS.flatMap((app) => Object.values(refs(app)).map((r) => r!.key));
    expect(new Set(documented)).toEqual(new Set(referenced));
  });
});

describe('NATS credentials: a user and password, a token or an NKey, one of them', () => {
  const natsEnv = (objects: readonly K8sObject[], app: App) =>
    envOf(objects, app)
      .map((e) => e.name)
      .filter((name) => name.startsWith('NATS_'));

  it('a token (ci/nats-token-values.yaml) replaces the default user and password', () => {
    const objects = render({ valuesFiles: ['ci/nats-token-values.yaml'] });
    const secret = secretOf(objects);
    expect(secret.NATS_TOKEN).toBe('ci-nats-token-0123456789');
    expect(secret).not.toHaveProperty('NATS_USER');
    expect(secret).not.toHaveProperty('NATS_PASSWORD');
    for (const app of APPS) expect(natsEnv(objects, app)).toEqual(['NATS_TOKEN']);
  });

  it.each(APPS)(
    '%s: an NKey (ci/nats-nkey-values.yaml): the seed mounted read-only from its Secret, its path as NATS_NKEY_SEED_FILE, no other NATS credential',
    (app) => {
      const objects = render({ valuesFiles: ['ci/nats-nkey-values.yaml'] });
      const pod = asDeployment(deploymentOf(objects, app)).spec!.template.spec!;
      const volume = pod.volumes!.find((v) => v.secret)!;
      expect(volume.secret).toEqual({
        secretName: 'discounts-nats-nkey',
        items: [{ key: 'seed', path: 'nkey.seed' }],
        defaultMode: 0o440,
      });
      const mount = onlyContainer(deploymentOf(objects, app)).volumeMounts!.find(
        (m) => m.name === volume.name,
      )!;
      expect(mount.readOnly).toBe(true);
      expect(configOf(objects, app).NATS_NKEY_SEED_FILE).toBe(`${mount.mountPath}/nkey.seed`);
      expect(natsEnv(objects, app)).toEqual([]);
      expect(Object.keys(secretOf(objects)).filter((k) => k.startsWith('NATS_'))).toEqual([]);
    },
  );

  it('an NKey with existingSecret: no NATS key of that Secret is read', () => {
    const objects = render({
      set: ['secrets.existingSecret=discounts', 'secrets.natsNkeySeed.secretName=discounts'],
    });
    for (const app of APPS) {
      expect(natsEnv(objects, app)).toEqual([]);
      expect(configOf(objects, app).NATS_NKEY_SEED_FILE).toBe('/etc/discounts/nats/nkey.seed');
    }
  });

  it('without an NKey, no volume but /tmp and no NATS_NKEY_SEED_FILE', () => {
    const objects = render();
    for (const app of APPS) {
      expect(
        asDeployment(deploymentOf(objects, app)).spec!.template.spec!.volumes!.map((v) => v.name),
      ).toEqual(['tmp']);
      expect(configOf(objects, app)).not.toHaveProperty('NATS_NKEY_SEED_FILE');
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

describe('at install and upgrade: the Secrets lookup finds in the namespace', () => {
  const WEBHOOK_KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
  /** The chart's Secret as a release of chart < 0.4 left it: one ADMIN_TOKEN for both apps. */
  const before04 = {
    'discounts-secrets': {
      ADMIN_TOKEN: 'old-shared-admin-token-0123456789',
      JWT_SECRET: 'old-jwt-secret-0123456789abcdef0123456789',
      WEBHOOK_SECRET_KEYS: WEBHOOK_KEYS,
      MONGODB_URI: 'mongodb://discounts-mongodb:27017/discounts?replicaSet=rs0',
    },
  };

  it('an upgrade from chart < 0.4 keeps the shared token for both apps (nobody locked out), and the NOTES say so', () => {
    const secret = secretOf(renderInCluster(before04));
    expect(secret.GENERATOR_ADMIN_TOKEN).toBe('old-shared-admin-token-0123456789');
    expect(secret.PROVIDER_ADMIN_TOKEN).toBe('old-shared-admin-token-0123456789');
    expect(secret).not.toHaveProperty('ADMIN_TOKEN');
    // The other generated values are kept as before.
    expect(secret.JWT_SECRET).toBe(before04['discounts-secrets'].JWT_SECRET);
    expect(secret.WEBHOOK_SECRET_KEYS).toBe(WEBHOOK_KEYS);
    expect(renderNotes({}, before04)).toContain('NOTE: this release had one admin token for both apps');
  });

  it("later upgrades keep each app's token; a key deleted from the Secret is generated anew", () => {
    const kept = secretOf(
      renderInCluster({
        'discounts-secrets': {
          GENERATOR_ADMIN_TOKEN: 'generator-kept-0123456789',
          PROVIDER_ADMIN_TOKEN: 'provider-kept-0123456789',
        },
      }),
    );
    expect(kept.GENERATOR_ADMIN_TOKEN).toBe('generator-kept-0123456789');
    expect(kept.PROVIDER_ADMIN_TOKEN).toBe('provider-kept-0123456789');
    const renewed = secretOf(
      renderInCluster({ 'discounts-secrets': { GENERATOR_ADMIN_TOKEN: 'generator-kept-0123456789' } }),
    );
    expect(renewed.GENERATOR_ADMIN_TOKEN).toBe('generator-kept-0123456789');
    expect(renewed.PROVIDER_ADMIN_TOKEN).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(
      renderNotes({}, { 'discounts-secrets': { GENERATOR_ADMIN_TOKEN: 'generator-kept-0123456789' } }),
    ).not.toContain('had one admin token');
  });

  it('a value given for a token wins over the one in the Secret', () => {
    const secret = secretOf(
      renderInCluster(before04, { set: ['secrets.providerAdminToken=provider-new-0123456789'] }),
    );
    expect(secret.PROVIDER_ADMIN_TOKEN).toBe('provider-new-0123456789');
    expect(secret.GENERATOR_ADMIN_TOKEN).toBe('old-shared-admin-token-0123456789');
  });

  describe('existingSecret', () => {
    const set = ['secrets.existingSecret=discounts'];
    const old = {
      discounts: {
        ADMIN_TOKEN: 'old-shared-admin-token-0123456789',
        MONGODB_URI: 'mongodb://mongo/discounts',
        WEBHOOK_SECRET_KEYS: WEBHOOK_KEYS,
      },
    };

    it('made for chart < 0.4 (one ADMIN_TOKEN): the upgrade stops at once, naming the missing keys and the two ways on', () => {
      const result = helmTemplateInClusterRaw(old, { set });
      expect(result.status).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(
        'Secret discounts (secrets.existingSecret) has no key GENERATOR_ADMIN_TOKEN, PROVIDER_ADMIN_TOKEN',
      );
      expect(result.stderr).toContain('add both admin token keys to the Secret');
      expect(result.stderr).toContain('secrets.keys.adminToken=ADMIN_TOKEN');
    });

    it('with secrets.keys.adminToken=ADMIN_TOKEN, both apps read the shared token', () => {
      const objects = renderInCluster(old, { set: [...set, 'secrets.keys.adminToken=ADMIN_TOKEN'] });
      for (const app of APPS) expect(secretRefOf(objects, app, 'ADMIN_TOKEN')!.key).toBe('ADMIN_TOKEN');
    });

    it('with both admin token keys, or no such Secret yet (an operator makes it later), it renders', () => {
      const complete = {
        discounts: {
          ...old.discounts,
          GENERATOR_ADMIN_TOKEN: 'generator-0123456789abcdef',
          PROVIDER_ADMIN_TOKEN: 'provider-0123456789abcdef',
        },
      };
      expect(helmTemplateInClusterRaw(complete, { set }).status).toBe(0);
      expect(helmTemplateInClusterRaw({}, { set }).status).toBe(0);
    });

    it('a Secret without MONGODB_URI or WEBHOOK_SECRET_KEYS stops the release too', () => {
      const result = helmTemplateInClusterRaw(
        {
          discounts: {
            GENERATOR_ADMIN_TOKEN: 'g-0123456789abcdef',
            PROVIDER_ADMIN_TOKEN: 'p-0123456789abcdef',
          },
        },
        { set },
      );
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('has no key MONGODB_URI, WEBHOOK_SECRET_KEYS');
      expect(result.stderr).not.toContain('secrets.keys.adminToken');
    });

    it("pods roll when that Secret's data changes (checksum/secret)", () => {
      const checksum = (token: string) =>
        asDeployment(
          deploymentOf(
            renderInCluster(
              {
                discounts: {
                  ...old.discounts,
                  GENERATOR_ADMIN_TOKEN: token,
                  PROVIDER_ADMIN_TOKEN: 'p-0123456789abcdef',
                },
              },
              { set },
            ),
            'generator',
          ),
        ).spec!.template.metadata!.annotations!['checksum/secret'];
      expect(checksum('g-0123456789abcdef')).toBe(checksum('g-0123456789abcdef'));
      expect(checksum('g-0123456789abcdef')).not.toBe(checksum('g-rotated-0123456789'));
    });
  });

  describe('the NKey seed Secret', () => {
    const set = ['secrets.natsNkeySeed.secretName=nats-nkey', 'secrets.natsNkeySeed.key=seed'];

    it('without the configured key, the release stops, naming it', () => {
      const result = helmTemplateInClusterRaw({ 'nats-nkey': { other: 'SUxxxx' } }, { set });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('Secret nats-nkey (secrets.natsNkeySeed.secretName) has no key seed');
    });

    it('pods roll when the seed changes (checksum/secret)', () => {
      const checksum = (seed: string) =>
        asDeployment(deploymentOf(renderInCluster({ 'nats-nkey': { seed } }, { set }), 'provider')).spec!
          .template.metadata!.annotations!['checksum/secret'];
      expect(checksum('SUAAA')).not.toBe(checksum('SUBBB'));
    });
  });
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
