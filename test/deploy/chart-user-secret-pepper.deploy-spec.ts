/**
 * USER_SECRET_PEPPER in the chart: the provider's key for hashing users' secrets. Losing or
 * changing it fails every user hashed under it, so it is generated once and kept like the
 * webhook sealing key, given to the provider only, and required of an existingSecret.
 */
import { deploymentOf, envOf, secretOf, secretRefOf } from './support/app-objects';
import { helmTemplateInClusterRaw, render, renderInCluster } from './support/helm';
import { asDeployment } from './support/pod-env';

const PEPPER = 'operator-user-secret-pepper-0123456789abcdef';
const WEBHOOK_KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
/** The chart's Secret as a 0.4 release left it: everything but the pepper. */
const before05 = {
  'discounts-secrets': {
    GENERATOR_ADMIN_TOKEN: 'generator-kept-0123456789',
    PROVIDER_ADMIN_TOKEN: 'provider-kept-0123456789',
    JWT_SECRET: 'kept-jwt-secret-0123456789abcdef0123456789',
    WEBHOOK_SECRET_KEYS: WEBHOOK_KEYS,
    MONGODB_URI: 'mongodb://discounts-mongodb:27017/discounts?replicaSet=rs0',
  },
};

describe("the chart's Secret", () => {
  it('is given to the provider from the Secret, never to the generator, nor in a ConfigMap', () => {
    const objects = render();
    expect(secretRefOf(objects, 'provider', 'USER_SECRET_PEPPER')).toEqual({
      name: 'discounts-secrets',
      key: 'USER_SECRET_PEPPER',
    });
    expect(envOf(objects, 'generator').map((e) => e.name)).not.toContain('USER_SECRET_PEPPER');
    expect(JSON.stringify(objects.filter((o) => o.kind === 'ConfigMap'))).not.toContain('USER_SECRET_PEPPER');
  });

  it('an upgrade from 0.4 generates the pepper and keeps every other credential', () => {
    const secret = secretOf(renderInCluster(before05));
    expect(secret).toEqual({
      ...before05['discounts-secrets'],
      USER_SECRET_PEPPER: expect.stringMatching(/^[A-Za-z0-9]{48}$/) as unknown,
    });
  });

  it('later upgrades keep the pepper in use (a new one would fail every user)', () => {
    const installed = {
      'discounts-secrets': { ...before05['discounts-secrets'], USER_SECRET_PEPPER: PEPPER },
    };
    expect(secretOf(renderInCluster(installed)).USER_SECRET_PEPPER).toBe(PEPPER);
  });

  it('a value given wins over the one in the Secret, and rolls the provider (checksum/secret)', () => {
    const installed = {
      'discounts-secrets': { ...before05['discounts-secrets'], USER_SECRET_PEPPER: PEPPER },
    };
    const given = 'given-user-secret-pepper-0123456789abcdef';
    const objects = renderInCluster(installed, { set: [`secrets.userSecretPepper=${given}`] });
    expect(secretOf(objects).USER_SECRET_PEPPER).toBe(given);
    const checksum = (rendered: typeof objects) =>
      asDeployment(deploymentOf(rendered, 'provider')).spec!.template.metadata!.annotations![
        'checksum/secret'
      ];
    expect(checksum(objects)).not.toBe(checksum(renderInCluster(installed)));
  });
});

describe('existingSecret', () => {
  const set = ['secrets.existingSecret=discounts'];
  const madeFor04 = {
    discounts: {
      GENERATOR_ADMIN_TOKEN: 'generator-0123456789abcdef',
      PROVIDER_ADMIN_TOKEN: 'provider-0123456789abcdef',
      MONGODB_URI: 'mongodb://mongo/discounts',
      WEBHOOK_SECRET_KEYS: WEBHOOK_KEYS,
    },
  };

  it('without the pepper (made for 0.4) stops the upgrade, naming the key, before any pod is replaced', () => {
    const result = helmTemplateInClusterRaw(madeFor04, { set });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'Secret discounts (secrets.existingSecret) has no key USER_SECRET_PEPPER',
    );
  });

  it('with it, renders and hands it to the provider as a required key, under its secrets.keys name', () => {
    const withPepper = { discounts: { ...madeFor04.discounts, 'user-pepper': PEPPER } };
    const objects = renderInCluster(withPepper, {
      set: [...set, 'secrets.keys.userSecretPepper=user-pepper'],
    });
    expect(secretRefOf(objects, 'provider', 'USER_SECRET_PEPPER')).toEqual({
      name: 'discounts',
      key: 'user-pepper',
    });
  });
});
