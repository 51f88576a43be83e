/**
 * values.schema.json: it rejects unknown keys and bad values, naming where they are, before helm
 * renders anything; combinations that cannot work (an Ingress without trusted proxies) included.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART_DIR, helmTemplateRaw } from './support/helm';

const SCHEMA_ERROR = "values don't meet the specifications of the schema";

describe('values.schema.json', () => {
  it('is strict: every object in it either lists its properties with additionalProperties: false or types its map values', () => {
    const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as object;
    const loose: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${path}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      // if/then only add constraints to an object that is itself closed.
      if (/\/(if|then)$/.test(path)) return;
      if (record.properties !== undefined && record.additionalProperties !== false) loose.push(path);
      for (const [key, value] of Object.entries(record)) walk(value, `${path}/${key}`);
    };
    walk(schema, '#');
    expect(loose).toEqual([]);
    expect((schema as { additionalProperties: unknown }).additionalProperties).toBe(false);
  });

  // [what is wrong, --set assignment, the schema location Helm must name]
  const BAD_VALUES: Array<[string, string, string]> = [
    ['an unknown top-level key', 'replicas=2', "at '': additional properties 'replicas'"],
    [
      'an unknown nested key (typo)',
      'generator.replicas=2',
      "at '/generator': additional properties 'replicas'",
    ],
    ['an unknown key in a deep object', 'ingress.claims.regex=true', "at '/ingress/claims'"],
    ['a string for a count', 'generator.replicaCount=two', "at '/generator/replicaCount'"],
    ['negative replicas', 'provider.replicaCount=-1', "at '/provider/replicaCount'"],
    ['zero maxReplicas', 'generator.autoscaling.maxReplicas=0', "at '/generator/autoscaling/maxReplicas'"],
    [
      'a CPU target above 100%',
      'provider.autoscaling.targetCPUUtilizationPercentage=150',
      "at '/provider/autoscaling/targetCPUUtilizationPercentage'",
    ],
    [
      'an HPA select policy Kubernetes does not know',
      'provider.autoscaling.behavior.scaleDown.selectPolicy=Fastest',
      "at '/provider/autoscaling/behavior/scaleDown/selectPolicy'",
    ],
    ['a port out of range', 'generator.port=70000', "at '/generator/port'"],
    ['a service port of 0', 'provider.service.port=0', "at '/provider/service/port'"],
    ['an unknown log level', 'settings.logLevel=loud', "at '/settings/logLevel'"],
    ['a boolean as a string', 'settings.swaggerEnabled=yes', "at '/settings/swaggerEnabled'"],
    ['a NATS URL with another scheme', 'settings.natsUrl=http://nats:4222', "at '/settings/natsUrl'"],
    [
      'a MongoDB URI with another scheme',
      'secrets.mongodbUri=postgres://db/discounts',
      "at '/secrets/mongodbUri'",
    ],
    ['no MongoDB URI and no existing Secret', 'secrets.mongodbUri=', "at '/secrets/mongodbUri'"],
    ['an admin token shorter than the apps accept', 'secrets.adminToken=short', "at '/secrets/adminToken'"],
    [
      "a generator's admin token shorter than it accepts",
      'secrets.generatorAdminToken=short',
      "at '/secrets/generatorAdminToken'",
    ],
    [
      "a provider's admin token shorter than it accepts",
      'secrets.providerAdminToken=short',
      "at '/secrets/providerAdminToken'",
    ],
    [
      'an admin token key that no Secret can have',
      'secrets.keys.generatorAdminToken=admin/token',
      "at '/secrets/keys/generatorAdminToken'",
    ],
    ['an admin port out of range', 'admin.port=0', "at '/admin/port'"],
    ['the admin opt-in as a string', 'admin.exposeOnPublicPort=yes', "at '/admin/exposeOnPublicPort'"],
    ['an unknown key under admin', 'admin.ingress=true', "at '/admin'"],
    [
      'an NKey seed Secret name Kubernetes refuses',
      'secrets.natsNkeySeed.secretName=Seed_Secret',
      "at '/secrets/natsNkeySeed/secretName'",
    ],
    ['an unknown key of the NKey seed', 'secrets.natsNkeySeed.path=/seed', "at '/secrets/natsNkeySeed'"],
    [
      'an admin peer of an unknown kind',
      'networkPolicy.adminFrom[0].serviceSelector.app=x',
      "at '/networkPolicy/adminFrom/0'",
    ],
    [
      'a NATS egress peer of an unknown kind',
      'networkPolicy.egress.nats.to[0].serviceSelector.app=x',
      "at '/networkPolicy/egress/nats/to/0'",
    ],
    [
      'a MongoDB egress address block without its CIDR',
      'networkPolicy.egress.mongodb.to[0].ipBlock.except[0]=10.0.0.0/8',
      "at '/networkPolicy/egress/mongodb/to/0/ipBlock'",
    ],
    [
      'a JWT secret shorter than the provider accepts',
      'secrets.jwtSecret=only-twenty-chars-xx',
      "at '/secrets/jwtSecret'",
    ],
    [
      'a user-secret pepper shorter than the provider accepts',
      'secrets.userSecretPepper=pepper-of-31-characters-0123456',
      "at '/secrets/userSecretPepper'",
    ],
    [
      'a user-secret pepper key that no Secret can have',
      'secrets.keys.userSecretPepper=user/pepper',
      "at '/secrets/keys/userSecretPepper'",
    ],
    [
      'a batch size the generator rejects',
      'generator.settings.generationBatchSize=50',
      "at '/generator/settings/generationBatchSize'",
    ],
    [
      'a retention neither whole days nor off',
      'generator.settings.webhookDeliveryRetentionDays=forever',
      "at '/generator/settings/webhookDeliveryRetentionDays'",
    ],
    [
      'a retention of zero days',
      'generator.settings.generationJobRetentionDays=0',
      "at '/generator/settings/generationJobRetentionDays'",
    ],
    [
      'a JWKS URL over plain http',
      'provider.settings.jwtJwksUrl=http://keys/jwks.json',
      "at '/provider/settings/jwtJwksUrl'",
    ],
    [
      'a JWKS URL without an audience',
      'provider.settings.jwtJwksUrl=https://login.example.com/jwks.json',
      "at '/provider/settings/jwtAudience'",
    ],
    [
      'a JWKS URL that is not http(s)',
      'provider.settings.jwtJwksUrl=ftp://keys',
      "at '/provider/settings/jwtJwksUrl'",
    ],
    ['an unknown pull policy', 'generator.image.pullPolicy=Sometimes', "at '/generator/image/pullPolicy'"],
    ['a malformed digest', 'provider.image.digest=sha256:xyz', "at '/provider/image/digest'"],
    ['an unknown Service type', 'generator.service.type=Internal', "at '/generator/service/type'"],
    [
      'an unknown spread policy',
      'topologySpread.zone.whenUnsatisfiable=Never',
      "at '/topologySpread/zone/whenUnsatisfiable'",
    ],
    // One setting for both keys was the old shape: refused, not silently ignored.
    [
      'the former single spread setting',
      'topologySpread.whenUnsatisfiable=DoNotSchedule',
      "at '/topologySpread'",
    ],
    ['an unknown pathType', 'ingress.claims.pathType=Regex', "at '/ingress/claims/pathType'"],
    ['a host with a scheme', 'ingress.hosts[0]=https://discounts.example.com', "at '/ingress/hosts/0'"],
    [
      'a writable root filesystem',
      'securityContext.readOnlyRootFilesystem=false',
      "at '/securityContext/readOnlyRootFilesystem'",
    ],
    [
      'running as root allowed',
      'podSecurityContext.runAsNonRoot=false',
      "at '/podSecurityContext/runAsNonRoot'",
    ],
    [
      'privilege escalation',
      'securityContext.allowPrivilegeEscalation=true',
      "at '/securityContext/allowPrivilegeEscalation'",
    ],
    ['a bad quantity', 'generator.resources.limits.memory=lots', "at '/generator/resources/limits/memory'"],
    ['a bad scrape interval', 'serviceMonitor.interval=soon', "at '/serviceMonitor/interval'"],
    [
      'a webhook port as a name',
      'networkPolicy.egress.webhooks.ports[0]=https',
      "at '/networkPolicy/egress/webhooks/ports/0'",
    ],
    [
      'a network peer of an unknown kind',
      'networkPolicy.prometheusPeers[0].serviceSelector.app=x',
      "at '/networkPolicy/prometheusPeers/0'",
    ],
    [
      'DEV_OPEN_BRAND_API through extraEnv',
      'generator.extraEnv[0].name=DEV_OPEN_BRAND_API',
      "at '/generator/extraEnv/0/name'",
    ],
    ['an env name that is not one', 'provider.extraEnv[0].name=log-level', "at '/provider/extraEnv/0/name'"],
    ['a map value that is not a string', 'commonLabels.team=7', "at '/commonLabels/team'"],
    ['an HTTPRoute without a parent', 'httpRoute.enabled=true', "at '/httpRoute/parentRefs'"],
    // Behind a proxy without trusting it, every client has the proxy's address: one client's
    // guesses would lock everyone out.
    ['the Ingress without trusted proxies', 'ingress.enabled=true', "at '/settings/trustedProxies'"],
    [
      'the HTTPRoute without trusted proxies',
      'httpRoute.enabled=true,httpRoute.parentRefs[0].name=local',
      "at '/settings/trustedProxies'",
    ],
    [
      'a trusted proxy that is a hex-looking host name',
      'settings.trustedProxies[0]=cafe',
      "at '/settings/trustedProxies/0'",
    ],
    [
      'a trusted proxy that is a host name',
      'settings.trustedProxies[0]=ingress.local',
      "at '/settings/trustedProxies/0'",
    ],
    [
      'a parentRef without a name',
      'httpRoute.parentRefs[0].namespace=gateway-system',
      "at '/httpRoute/parentRefs/0'",
    ],
    [
      'an unknown key in a parentRef',
      'httpRoute.parentRefs[0].gateway=local',
      "at '/httpRoute/parentRefs/0'",
    ],
    [
      'an HTTPRoute hostname with a scheme',
      'httpRoute.hostnames[0]=http://x.local',
      "at '/httpRoute/hostnames/0'",
    ],
    [
      "a path match type the Gateway API doesn't have",
      'httpRoute.claims.pathType=Regex',
      "at '/httpRoute/claims/pathType'",
    ],
  ];

  it.each(BAD_VALUES)('rejects %s (%s)', (_what, assignment, location) => {
    const result = helmTemplateRaw({ set: [assignment] });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(SCHEMA_ERROR);
    expect(result.stderr).toContain(location);
  });

  it('accepts an existing Secret instead of a MongoDB URI', () => {
    const result = helmTemplateRaw({ set: ['secrets.mongodbUri=', 'secrets.existingSecret=discounts'] });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
