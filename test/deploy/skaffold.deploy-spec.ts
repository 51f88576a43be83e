/**
 * skaffold.yaml and the in-cluster development dependencies it deploys, without skaffold or a
 * cluster: both of its configs (and each profile applied to them) validate against the
 * skaffold/v4beta13 JSON schema, the dependencies come first and hold only manifests, every path
 * named exists, the images built reach the chart's values, the port-forwards name Services the
 * chart renders, and deploy/dev's MongoDB and NATS are where the chart's defaults look for them.
 * (The cluster tier runs `skaffold render`, `run -p local` and `delete` for real.)
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv from 'ajv';
import type { IStatefulSet } from 'kubernetes-models/apps/v1';
import type { IJob } from 'kubernetes-models/batch/v1';
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
import { applyPatches, type JsonPatch } from './support/json-patch';
import { validateAll } from './support/k8s-schemas';
import { onlyContainer, resolveEnv } from './support/pod-env';

const SCHEMA_PATH = join(REPO_ROOT, '..', 'shared', 'schemas', 'skaffold-v4beta13.json');

interface Artifact {
  image: string;
  context?: string;
  docker?: { dockerfile?: string; buildArgs?: Record<string, string> };
}
interface Release {
  name: string;
  chartPath: string;
  setValueTemplates?: Record<string, string>;
  setValues?: Record<string, unknown>;
  valuesFiles?: string[];
}
interface Manifests {
  rawYaml?: string[];
  kustomize?: { paths: string[] };
}
interface SkaffoldConfig {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  requires?: Array<{ configs: string[] }>;
  build: { artifacts: Artifact[] };
  manifests?: Manifests;
  deploy: { helm: { releases: Release[] }; kubectl?: object };
  portForward: Array<{ resourceType: string; resourceName: string; port: number; localPort: number }>;
  profiles: Array<{ name: string; patches?: JsonPatch[]; manifests?: Manifests; deploy?: object }>;
}

const configs = parseAllDocuments(readFileSync(join(REPO_ROOT, 'skaffold.yaml'), 'utf8')).map(
  (doc) => doc.toJS() as SkaffoldConfig,
);
const configNamed = (name: string) => {
  const found = configs.find((c) => c.metadata.name === name);
  if (!found) throw new Error(`skaffold.yaml has no config named ${name}`);
  return found;
};
const config = configNamed('discounts');
const dependencies = configNamed('dependencies');

/**
 * A config with these profiles applied in order, as `skaffold -p a,b` does: -p applies to every
 * config that has the profile, and a config without it stays as it is.
 */
function withProfiles(names: readonly string[], base: SkaffoldConfig = config): SkaffoldConfig {
  let result = structuredClone(base) as Omit<SkaffoldConfig, 'profiles'> & { profiles?: unknown };
  for (const name of names) {
    if (!configs.some((c) => c.profiles.some((p) => p.name === name))) throw new Error(`no profile ${name}`);
    const profile = base.profiles.find((p) => p.name === name);
    if (!profile) continue;
    if (profile.manifests) result.manifests = { ...result.manifests, ...profile.manifests };
    if (profile.deploy) result.deploy = { ...result.deploy, ...profile.deploy };
    result = applyPatches(result, profile.patches ?? []);
  }
  delete result.profiles;
  return result as SkaffoldConfig;
}
/** Every manifest path a resolved config names (raw files and kustomize directories). */
const manifestPaths = (resolved: SkaffoldConfig) => [
  ...(resolved.manifests?.rawYaml ?? []),
  ...(resolved.manifests?.kustomize?.paths ?? []),
];

const PROFILE_SETS: string[][] = [[], ['dev'], ['dev', 'monitoring'], ['local'], ['prod']];
const label = (names: string[]) => (names.length === 0 ? '(no profile)' : names.join(','));

/** Helm values of a release as skaffold passes them: valuesFiles, setValues, setValueTemplates. */
function renderRelease(release: Release, templateValues: Record<string, string>): K8sObject[] {
  const set = Object.entries(release.setValues ?? {}).map(([key, value]) => `${key}=${String(value)}`);
  for (const [key, template] of Object.entries(release.setValueTemplates ?? {})) {
    set.push(
      `${key}=${template.replace(/\{\{\s*\.([A-Za-z0-9_]+)\s*\}\}/g, (_m, name: string) => templateValues[name] ?? '')}`,
    );
  }
  const valuesFiles = (release.valuesFiles ?? []).map((file) => relative(CHART_DIR, join(REPO_ROOT, file)));
  return render({ release: release.name, valuesFiles, set });
}

/** What skaffold would offer setValueTemplates for the artifacts ("-" and "/" become "_"). */
function imageTemplateValues(artifacts: readonly Artifact[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const artifact of artifacts) {
    const key = artifact.image.replace(/[-/]/g, '_');
    values[`IMAGE_REPO_${key}`] = `registry.example.com/${artifact.image}`;
    values[`IMAGE_TAG_${key}`] = `v0-test-${artifact.image}`;
  }
  return values;
}

describe('skaffold.yaml against the skaffold/v4beta13 schema', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  if (!existsSync(SCHEMA_PATH)) {
    throw new Error(`${SCHEMA_PATH} not found: this check needs the shared/ folder beside the checkout`);
  }
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object;
  const validate = ajv.compile(schema);

  it('the schema compiles and rejects a config with an unknown field', () => {
    expect(validate({ ...config, deploy: { ...config.deploy, helmm: {} } })).toBe(false);
    expect(
      validate({ ...config, apiVersion: 'skaffold/v4beta13', build: { artifacts: [{ imag: 'x' }] } }),
    ).toBe(false);
  });

  it.each(PROFILE_SETS.map((names) => [label(names), names] as const))('%s', (_label, names) => {
    for (const base of configs) {
      const resolved = names.length === 0 ? base : withProfiles(names, base);
      const valid = validate(resolved);
      expect({ config: base.metadata.name, errors: ajv.errorsText(validate.errors) }).toEqual({
        config: base.metadata.name,
        errors: 'No errors',
      });
      expect(valid).toBe(true);
      expect(resolved.apiVersion).toBe('skaffold/v4beta13');
    }
  });
});

describe('two configs: the dependencies, then the apps', () => {
  it('the dependencies come first, the apps require them, and only the apps build or install a chart', () => {
    expect(configs.map((c) => c.metadata.name)).toEqual(['dependencies', 'discounts']);
    expect(config.requires).toEqual([{ configs: ['dependencies'] }]);
    expect(Object.keys(dependencies)).toEqual(['apiVersion', 'kind', 'metadata', 'profiles']);
    for (const profile of dependencies.profiles) {
      expect(Object.keys(profile.deploy ?? {}).filter((k) => k !== 'kubectl')).toEqual([]);
      // Every profile of the dependencies is one the apps' config has too (or skaffold -p fails there).
      expect(config.profiles.map((p) => p.name)).toContain(profile.name);
    }
  });

  it('local: deploy/local with kubectl, then the chart with deploy/local/values.yaml', () => {
    const deps = withProfiles(['local'], dependencies);
    expect(deps.manifests).toEqual({ kustomize: { paths: ['deploy/local'] } });
    expect(deps.deploy).toEqual({ kubectl: {} });
    const apps = withProfiles(['local']);
    expect(apps.manifests).toBeUndefined();
    expect(apps.deploy.helm.releases[0]!.valuesFiles).toEqual(['deploy/local/values.yaml']);
  });
});

describe('what skaffold.yaml names exists', () => {
  it('each artifact: context, Dockerfile, and an APP build argument for one of the apps', () => {
    const apps = config.build.artifacts.map((artifact) => {
      const context = join(REPO_ROOT, artifact.context ?? '.');
      expect(statSync(context).isDirectory()).toBe(true);
      expect(existsSync(join(context, artifact.docker?.dockerfile ?? 'Dockerfile'))).toBe(true);
      expect(existsSync(join(context, '.dockerignore'))).toBe(true);
      return artifact.docker?.buildArgs?.APP;
    });
    expect(apps.sort()).toEqual(['generator', 'provider']);
    const dockerfile = readFileSync(join(REPO_ROOT, 'deploy', 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG APP$/m);
  });

  it('the chart path of every release', () => {
    for (const release of config.deploy.helm.releases) {
      expect(existsSync(join(REPO_ROOT, release.chartPath, 'Chart.yaml'))).toBe(true);
    }
  });

  it.each(PROFILE_SETS.map((names) => [label(names), names] as const))(
    '%s: every manifest and values file',
    (_label, names) => {
      const resolved = withProfiles(names);
      const deps = withProfiles(names, dependencies);
      const paths = [
        ...manifestPaths(deps),
        ...resolved.deploy.helm.releases.flatMap((r) => r.valuesFiles ?? []),
      ];
      for (const path of paths)
        expect({ path, exists: existsSync(join(REPO_ROOT, path)) }).toEqual({ path, exists: true });
      // Manifests need the kubectl deployer, and only the dependencies have any.
      expect(manifestPaths(resolved)).toEqual([]);
      expect(resolved.deploy.kubectl).toBeUndefined();
      expect((deps.deploy as { kubectl?: object } | undefined)?.kubectl !== undefined).toBe(
        manifestPaths(deps).length > 0,
      );
    },
  );
});

describe('images, values and port-forwards reach the chart', () => {
  it('each built image is the image of the app it was built for', () => {
    const [release] = config.deploy.helm.releases;
    const values = imageTemplateValues(config.build.artifacts);
    const objects = renderRelease(release!, values);
    for (const artifact of config.build.artifacts) {
      const app = artifact.docker!.buildArgs!.APP!;
      const deployment = ofKind(objects, 'Deployment').find(
        (d) => d.metadata.labels?.['app.kubernetes.io/component'] === app,
      )!;
      expect(onlyContainer(deployment).image).toBe(
        `registry.example.com/${artifact.image}:v0-test-${artifact.image}`,
      );
    }
  });

  it('setValueTemplates use only variables skaffold offers for the declared artifacts, on keys the chart has', () => {
    const offered = new Set(Object.keys(imageTemplateValues(config.build.artifacts)));
    const defaults = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as Record<string, unknown>;
    for (const release of config.deploy.helm.releases) {
      for (const [key, template] of Object.entries(release.setValueTemplates ?? {})) {
        const leaf = key
          .split('.')
          .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], defaults);
        expect({ key, known: leaf !== undefined }).toEqual({ key, known: true });
        for (const [, name] of template.matchAll(/\{\{\s*\.([A-Za-z0-9_]+)\s*\}\}/g)) {
          expect({ key, variable: name, offered: offered.has(name!) }).toEqual({
            key,
            variable: name,
            offered: true,
          });
        }
      }
    }
  });

  it.each(PROFILE_SETS.map((names) => [label(names), names] as const))(
    '%s: port-forwards name rendered Services and their ports, on distinct local ports',
    (_label, names) => {
      const resolved = withProfiles(names);
      const objects = renderRelease(
        resolved.deploy.helm.releases[0]!,
        imageTemplateValues(resolved.build.artifacts),
      );
      validateAll(objects);
      for (const forward of resolved.portForward) {
        expect(forward.resourceType).toBe('service');
        const service = findObject(objects, 'Service', forward.resourceName) as unknown as IService;
        expect(service.spec!.ports!.map((p) => p.port)).toContain(forward.port);
      }
      const localPorts = resolved.portForward.map((f) => f.localPort);
      expect(new Set(localPorts).size).toBe(localPorts.length);
      expect(localPorts.sort()).toEqual([5001, 5002]);
    },
  );

  it.each(PROFILE_SETS.map((names) => [label(names), names] as const))(
    '%s: the admin API on the admin Services, except in the development profiles (dev, local)',
    (_label, names) => {
      const resolved = withProfiles(names);
      const objects = renderRelease(
        resolved.deploy.helm.releases[0]!,
        imageTemplateValues(resolved.build.artifacts),
      );
      const adminServices = ofKind(objects, 'Service')
        .map((s) => s.metadata.name)
        .filter((name) => name.endsWith('-admin'));
      const development = names.includes('dev') || names.includes('local');
      expect(adminServices).toEqual(
        development ? [] : ['discounts-generator-admin', 'discounts-provider-admin'],
      );
    },
  );

  it.each(PROFILE_SETS.map((names) => [label(names), names] as const))(
    "%s: the chart's Secret holds deploy/dev's NATS login when the profile deploys that NATS, no NATS login otherwise",
    (_label, names) => {
      const resolved = withProfiles(names);
      const objects = renderRelease(
        resolved.deploy.helm.releases[0]!,
        imageTemplateValues(resolved.build.artifacts),
      );
      // dev applies deploy/dev/nats.yaml, local the same NATS through deploy/local (local.deploy-spec).
      const withNats = manifestPaths(withProfiles(names, dependencies)).length > 0;
      const auth = findObject(
        parseYamlDocuments(readFileSync(join(REPO_ROOT, 'deploy/dev/nats.yaml'), 'utf8'), 'nats.yaml'),
        'Secret',
        'discounts-nats-auth',
      ) as K8sObject & { stringData: { user: string; password: string } };
      // prod reads an existingSecret of the operator's: the chart renders none.
      const data = (ofKind(objects, 'Secret').find((s) => s.metadata.name === 'discounts-secrets')?.data ??
        {}) as Record<string, string>;
      const decoded = (key: string) => data[key] && Buffer.from(data[key], 'base64').toString('utf8');
      expect({ user: decoded('NATS_USER'), password: decoded('NATS_PASSWORD') }).toEqual(
        withNats
          ? { user: auth.stringData.user, password: auth.stringData.password }
          : { user: undefined, password: undefined },
      );
    },
  );

  it('prod runs more than one replica of each app, from values-production.yaml', () => {
    const resolved = withProfiles(['prod']);
    const objects = renderRelease(
      resolved.deploy.helm.releases[0]!,
      imageTemplateValues(resolved.build.artifacts),
    );
    const minimum = (app: string) => {
      const hpa = findObject(objects, 'HorizontalPodAutoscaler', `discounts-${app}`).spec as {
        minReplicas: number;
      };
      return hpa.minReplicas;
    };
    expect(minimum('generator')).toBeGreaterThan(1);
    expect(minimum('provider')).toBeGreaterThan(1);
    expect(manifestPaths(withProfiles(['prod'], dependencies))).toEqual([]);
  });
});

describe('deploy/dev: the development dependencies', () => {
  const load = (path: string) => parseYamlDocuments(readFileSync(join(REPO_ROOT, path), 'utf8'), path);
  const dev = withProfiles(['dev', 'monitoring'], dependencies).manifests!.rawYaml!.flatMap(load);

  it('are valid Kubernetes objects with unique names', () => {
    validateAll(dev);
    const names = dev.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it('MongoDB and NATS are StatefulSets with a PersistentVolumeClaim each, non-root', () => {
    for (const name of ['discounts-mongodb', 'discounts-nats']) {
      const set = findObject(dev, 'StatefulSet', name) as unknown as IStatefulSet;
      expect(set.spec!.volumeClaimTemplates).toHaveLength(1);
      const claim = set.spec!.volumeClaimTemplates![0]!.metadata!.name;
      expect(set.spec!.template.spec!.containers[0]!.volumeMounts!.map((m) => m.name)).toContain(claim);
      expect(set.spec!.template.spec!.securityContext).toMatchObject({ runAsNonRoot: true });
      expect(set.spec!.template.spec!.containers[0]!.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
      });
    }
    const mongo = findObject(dev, 'StatefulSet', 'discounts-mongodb') as unknown as IStatefulSet;
    expect(mongo.spec!.template.spec!.containers[0]!.command).toEqual(
      expect.arrayContaining(['--replSet', 'rs0']),
    );
    const nats = findObject(dev, 'StatefulSet', 'discounts-nats') as unknown as IStatefulSet;
    expect(nats.spec!.template.spec!.containers[0]!.args).toEqual(expect.arrayContaining(['--jetstream']));
  });

  it("are where the chart's defaults look for them", () => {
    const objects = render();
    for (const app of ['generator', 'provider']) {
      const env = resolveEnv(objects, findObject(objects, 'Deployment', `discounts-${app}`)).values;
      for (const url of [new URL(env.MONGODB_URI!), new URL(env.NATS_URL!)]) {
        const service = findObject(dev, 'Service', url.hostname) as unknown as IService;
        expect(service.spec!.ports!.map((p) => p.port)).toContain(Number(url.port));
      }
      expect(new URL(env.MONGODB_URI!).searchParams.get('replicaSet')).toBe('rs0');
    }
  });

  it('the replica set is initiated with the member name that the headless Service resolves', () => {
    const job = findObject(dev, 'Job', 'discounts-mongodb-rs-init') as unknown as IJob;
    const script = job.spec!.template.spec!.containers[0]!.command!.join(' ');
    const service = findObject(dev, 'Service', 'discounts-mongodb') as unknown as IService;
    const set = findObject(dev, 'StatefulSet', 'discounts-mongodb') as unknown as IStatefulSet;
    expect(service.spec!.clusterIP).toBe('None');
    expect(set.spec!.serviceName).toBe('discounts-mongodb');
    expect(script).toContain(`_id: 'rs0'`);
    expect(script).toContain(`host: '${set.metadata!.name}-0.${service.metadata!.name}:27017'`);
  });

  it('the dev Grafana loads the ConfigMaps the chart labels for dashboards', () => {
    const grafana = findObject(dev, 'Deployment', 'discounts-grafana');
    const sidecar = (
      grafana.spec as {
        template: {
          spec: { containers: Array<{ name: string; env: Array<{ name: string; value?: string }> }> };
        };
      }
    ).template.spec.containers.find((c) => c.name === 'dashboards-sidecar')!;
    const env = Object.fromEntries(sidecar.env.map((e) => [e.name, e.value]));
    const chartLabels = (
      parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as {
        grafanaDashboards: { labels: Record<string, string> };
      }
    ).grafanaDashboards.labels;
    expect(chartLabels).toEqual({ [env.LABEL!]: env.LABEL_VALUE });
  });

  it('the dev Prometheus loads the alert rules ConfigMap that the monitoring profile renders', () => {
    const resolved = withProfiles(['dev', 'monitoring']);
    const release = resolved.deploy.helm.releases[0]!;
    const rendered = renderRelease(release, imageTemplateValues(resolved.build.artifacts));
    const prometheus = findObject(dev, 'Deployment', 'discounts-prometheus');
    const pod = (
      prometheus.spec as {
        template: {
          spec: {
            volumes: Array<{ name: string; configMap?: { name: string } }>;
            containers: Array<{ volumeMounts: Array<{ name: string; mountPath: string }> }>;
          };
        };
      }
    ).template.spec;
    const rulesVolume = pod.volumes.find((v) => v.name === 'rules');
    const mount = pod.containers[0]!.volumeMounts.find((m) => m.name === 'rules');
    const rulesMap = findObject(rendered, 'ConfigMap', rulesVolume!.configMap!.name);
    expect(Object.keys(rulesMap.data as Record<string, string>)).toEqual(['rules.yaml']);
    const settings = findObject(dev, 'ConfigMap', 'discounts-prometheus');
    const promConfig = parse((settings.data as Record<string, string>)['prometheus.yml']!) as {
      rule_files: string[];
    };
    expect(promConfig.rule_files).toEqual([`${mount!.mountPath}/*.yaml`]);
  });
});
