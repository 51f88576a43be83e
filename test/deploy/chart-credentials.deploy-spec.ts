/**
 * The chart's credentials: existingSecret as the way for `helm template` users, the NATS
 * credentials (user and password, token, NKey seed file), and what an install or upgrade does with
 * the Secrets it finds in the namespace (the one admin token of chart < 0.4, the keys an
 * existingSecret must have, the NKey seed Secret). The admin API, its per-app tokens and the
 * NOTES about them: chart-admin.deploy-spec.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPS, configOf, deploymentOf, envOf, secretOf, secretRefOf, type App } from './support/app-objects';
import {
  CHART_DIR,
  helmTemplateInClusterRaw,
  ofKind,
  render,
  renderInCluster,
  renderNotes,
  type K8sObject,
} from './support/helm';
import { asDeployment, onlyContainer } from './support/pod-env';

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
      USER_SECRET_PEPPER: ref('USER_SECRET_PEPPER'),
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

  it('a token (ci/nats-token-values.yaml) wins over a user and password set beside it', () => {
    const objects = render({
      valuesFiles: ['ci/nats-token-values.yaml'],
      set: ['secrets.natsUser=nats-user', 'secrets.natsPassword=nats-password'],
    });
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
        USER_SECRET_PEPPER: 'user-secret-pepper-0123456789abcdef',
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

    it('a Secret without MONGODB_URI, WEBHOOK_SECRET_KEYS or USER_SECRET_PEPPER stops the release too', () => {
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
      expect(result.stderr).toContain('has no key MONGODB_URI, WEBHOOK_SECRET_KEYS, USER_SECRET_PEPPER');
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
