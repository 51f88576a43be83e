/**
 * deploy/Dockerfile without a container engine (there is none on this machine): its COPY sources
 * exist in the build context of a clean checkout, and its stages are built by a stand-in for
 * `docker build` (support/dockerfile.ts) from that context: npm ci and the build, npm ci
 * --omit=dev, the runtime stage per APP. Then each app is started from the runtime stage's files
 * with the image's command: without configuration it must stop naming what is missing; with the
 * configuration the chart renders it must answer the chart's probes on the chart's port, serve
 * only routes the ingress sends to it, write nothing to its (read-only) root filesystem, and stop
 * cleanly on SIGTERM.
 *
 * What this cannot check: the base image, apt-get (tini) and the image's Node 24. The commands run
 * with this machine's Node and npm, and npm works offline from the local cache (no network).
 * tools/cluster/images/build.sh builds the real images with buildah for the local cluster.
 */
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1';
import { waitForHttp } from '../../tools/devstack';
import { freePort, httpRequest, stopPid, testStack } from '../support/stack';
import {
  buildContextFiles,
  checkoutFiles,
  DockerBuild,
  parseCopy,
  parseDockerfile,
  parseRunMounts,
  type ImageConfig,
} from './support/dockerfile';
import { findObject, render, REPO_ROOT, type K8sObject, INGRESS_ON } from './support/helm';
import { routeFor } from './support/ingress-routing';
import { onlyContainer, resolveEnv } from './support/pod-env';

const DOCKERFILE = join(REPO_ROOT, 'deploy', 'Dockerfile');
const APPS = ['generator', 'provider'] as const;
type App = (typeof APPS)[number];

const parsed = parseDockerfile(readFileSync(DOCKERFILE, 'utf8'));
const contextFiles = buildContextFiles(REPO_ROOT);

describe('the build context and the COPY sources', () => {
  it('every COPY source from the context exists in the build context of a clean checkout', () => {
    const copies = parsed.stages.flatMap((s) =>
      s.instructions.filter((i) => i.keyword === 'COPY').map((i) => parseCopy(i.args)),
    );
    const fromContext = copies.filter((c) => c.flags.from === undefined).flatMap((c) => c.sources);
    expect(fromContext.length).toBeGreaterThanOrEqual(6);
    for (const source of fromContext) {
      const path = source.replace(/\/+$/, '');
      const present = contextFiles.some((f) => f === path || f.startsWith(`${path}/`));
      expect({ source, present }).toEqual({ source, present: true });
    }
    const stageNames = parsed.stages.map((s) => s.name);
    for (const copy of copies.filter((c) => c.flags.from !== undefined))
      expect(stageNames).toContain(copy.flags.from);
  });

  it('holds the sources and the lockfile, and no local state, tests or secrets', () => {
    expect(contextFiles).toEqual(
      expect.arrayContaining([
        'package.json',
        'package-lock.json',
        'apps/generator/src/main.ts',
        'libs/config/src/index.ts',
      ]),
    );
    const unwanted = contextFiles.filter((f) =>
      /(^|\/)(node_modules|dist|\.data|\.cache|\.git|coverage|test)\/|\.spec\.ts$|(^|\/)\.env/.test(f),
    );
    expect(unwanted).toEqual([]);
    // Everything a checkout has under apps/ and libs/ except specs and test helpers is there.
    const sources = checkoutFiles(REPO_ROOT).filter(
      (f) => /^(apps|libs)\//.test(f) && !/\.spec\.ts$|\/test\//.test(f),
    );
    expect(contextFiles).toEqual(expect.arrayContaining(sources));
  });

  it('builds on a current Node LTS slim image, runs as the non-root uid the chart expects, with tini as PID 1', () => {
    expect(parsed.globalArgs.BASE_IMAGE).toMatch(/^node:(22|24)(\.\d+)*-(bookworm-|trixie-)?slim$/);
    expect(parsed.globalArgs.RUNTIME_BASE_IMAGE).toMatch(/^debian:(bookworm|trixie)-slim$/);
    expect(parsed.stages.map((s) => s.name)).toEqual(['build', 'prod-deps', 'runtime']);
    const runtime = parsed.stages[parsed.stages.length - 1]!;
    const last = (keyword: string) => runtime.instructions.filter((i) => i.keyword === keyword).pop()?.args;
    expect(last('USER')).toBe('1000:1000');
    expect(last('ENTRYPOINT')).toBe('["/usr/bin/tini", "--"]');
    expect(runtime.instructions.find((i) => i.keyword === 'RUN')?.args).toMatch(
      /apt-get install -y --no-install-recommends tini/,
    );
    const chart = render();
    const pod = findObject(chart, 'Deployment', 'discounts-generator').spec as {
      template: { spec: { securityContext: { runAsUser: number; runAsGroup: number } } };
    };
    expect(
      `${pod.template.spec.securityContext.runAsUser}:${pod.template.spec.securityContext.runAsGroup}`,
    ).toBe(last('USER'));
  });
});

describe('the build secret for a TLS-intercepting proxy', () => {
  const runs = parsed.stages.flatMap((stage) =>
    stage.instructions
      .filter((i) => i.keyword === 'RUN')
      .map((i) => ({ stage: stage.name, ...parseRunMounts(i.args) })),
  );

  it('is mounted for the npm ci steps only, and used only when it is there', () => {
    const npmCi = runs.filter((r) => /\bnpm ci\b/.test(r.command));
    expect(npmCi.map((r) => r.stage)).toEqual(['build', 'prod-deps']);
    for (const run of npmCi) {
      expect(run.mounts).toEqual([{ type: 'secret', id: 'npm-ca' }]);
      // Optional: a build without --secret must still work, so the CA is added only if present.
      expect(run.command).toMatch(
        /^if \[ -s \/run\/secrets\/npm-ca \]; then export NODE_EXTRA_CA_CERTS=\/run\/secrets\/npm-ca; fi && npm ci /,
      );
    }
    expect(runs.filter((r) => !/\bnpm ci\b/.test(r.command)).flatMap((r) => r.mounts)).toEqual([]);
    // Nothing copies or bakes the CA into a layer: no ENV or COPY names it.
    const text = readFileSync(DOCKERFILE, 'utf8')
      .split('\n')
      .filter((l) => !l.trim().startsWith('#'));
    expect(text.filter((l) => /^\s*(ENV|COPY|ADD)\b.*(npm-ca|NODE_EXTRA_CA_CERTS|\.crt)/.test(l))).toEqual(
      [],
    );
  });

  it('the stand-in builder passes a given secret to the step and leaves it out otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'discounts-secret-'));
    try {
      const dockerfile = join(dir, 'Dockerfile');
      const ca = join(dir, 'ca.pem');
      writeFileSync(ca, 'CA');
      writeFileSync(
        dockerfile,
        [
          'FROM scratch AS s',
          'RUN --mount=type=secret,id=npm-ca if [ -s /run/secrets/npm-ca ]; then cat /run/secrets/npm-ca > out; else echo none > out; fi',
        ].join('\n'),
      );
      const outOf = (secrets?: Record<string, string>) => {
        const image = new DockerBuild({
          dockerfile,
          contextFiles: [],
          contextDir: dir,
          buildArgs: {},
          workDir: mkdtempSync(join(dir, 'w-')),
          secrets,
        }).build('s');
        return readFileSync(join(image.root, 'out'), 'utf8').trim();
      };
      expect(outOf({ 'npm-ca': ca })).toBe('CA');
      expect(outOf()).toBe('none');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the image build, run from a clean checkout', () => {
  let work: string;
  let build: DockerBuild;
  const images: Partial<Record<App, ImageConfig>> = {};

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'discounts-image-'));
    const contextDir = join(work, 'context');
    for (const file of contextFiles) {
      mkdirSync(join(contextDir, file, '..'), { recursive: true });
      cpSync(join(REPO_ROOT, file), join(contextDir, file));
    }
    build = new DockerBuild({
      dockerfile: DOCKERFILE,
      contextFiles,
      contextDir,
      buildArgs: {},
      // The Node image's node binary is this machine's; the runtime's Debian base starts empty.
      baseImages: { [parsed.globalArgs.BASE_IMAGE!]: { '/usr/local/bin/node': process.execPath } },
      workDir: join(work, 'stages'),
      // No network: npm ci takes every package from the local npm cache (filled by `make install`).
      runEnv: { npm_config_offline: 'true', npm_config_update_notifier: 'false' },
    });
    for (const app of APPS) images[app] = build.build('runtime', { APP: app });
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const imageOf = (app: App): ImageConfig => {
    const image = images[app];
    if (!image) throw new Error(`the ${app} image was not built`);
    return image;
  };
  const appDir = (app: App) => join(imageOf(app).root, imageOf(app).workdir);

  it('skips only the tini install, the one step that needs the base image', () => {
    for (const app of APPS) {
      expect(imageOf(app).skipped).toHaveLength(1);
      expect(imageOf(app).skipped[0]).toMatch(/apt-get install .*tini/);
    }
  });

  it.each(APPS)('%s: holds the built app, its libs and production dependencies only', (app) => {
    const dir = appDir(app);
    expect(readlinkSync(join(dir, 'dist', 'main.js'))).toBe(`apps/${app}/src/main.js`);
    expect(existsSync(join(dir, 'dist', 'apps', app, 'src', 'main.js'))).toBe(true);
    expect(readdirSync(join(dir, 'dist', 'apps'))).toEqual([app]);
    expect(existsSync(join(dir, 'dist', 'libs', 'config', 'src', 'index.js'))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: object };
    for (const dependency of Object.keys(pkg.dependencies)) {
      expect({ dependency, installed: existsSync(join(dir, 'node_modules', dependency)) }).toEqual({
        dependency,
        installed: true,
      });
    }
    // What the lockfile marks as needed only for development is absent (jest, typescript, the Nest CLI…).
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.entries(lock.packages).filter(
      ([path, entry]) => path !== '' && entry.dev === true,
    );
    expect(devOnly.length).toBeGreaterThan(100);
    expect(devOnly.filter(([path]) => existsSync(join(dir, path))).map(([path]) => path)).toEqual([]);
    expect(existsSync(join(dir, 'apps'))).toBe(false);
    expect(existsSync(join(dir, 'libs'))).toBe(false);
    expect(imageOf(app).env.NODE_ENV).toBe('production');
  });

  it.each(APPS)(
    '%s: takes only the node binary from the Node image: no npm, no source maps or type files',
    (app) => {
      const root = imageOf(app).root;
      expect(readdirSync(join(root, 'usr', 'local', 'bin'))).toEqual(['node']);
      expect(existsSync(join(root, 'usr', 'local', 'lib'))).toBe(false);
      const modules = join(appDir(app), 'node_modules');
      expect(existsSync(join(modules, '@types'))).toBe(false);
      const left = readdirSync(modules, { recursive: true, encoding: 'utf8' }).filter((f) =>
        /\.(map|ts|mts|cts)$/.test(f),
      );
      expect(left).toEqual([]);
    },
  );

  it('refuses to build the runtime stage without a valid APP', () => {
    expect(() => build.build('runtime', {})).toThrow(/build with --build-arg APP=generator or APP=provider/);
    expect(() => build.build('runtime', { APP: 'gateway' })).toThrow(
      /build with --build-arg APP=generator or APP=provider/,
    );
  });

  /** Starts the image's command (without tini, which is not on this machine) in its working directory. */
  function startImage(app: App, env: Record<string, string>) {
    const image = imageOf(app);
    const [command, ...args] = image.cmd;
    expect(command).toBe('node');
    const child = spawn(process.execPath, args, {
      cwd: appDir(app),
      env: { PATH: process.env.PATH ?? '', ...image.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | string>((resolve) =>
      child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
    );
    return { child, exited, output: () => output };
  }

  it.each([
    ['generator', ['ADMIN_TOKEN', 'WEBHOOK_SECRET_KEYS']],
    ['provider', ['ADMIN_TOKEN', 'JWT_SECRET', 'USER_SECRET_PEPPER']],
  ] as const)(
    '%s: without configuration it stops at once, naming what is missing',
    async (app, missing) => {
      const run = startImage(app, {});
      const code = await Promise.race([
        run.exited,
        new Promise((resolve) => setTimeout(() => resolve('timeout'), 30_000)),
      ]);
      expect(code).toBe(1);
      expect(run.output()).toContain('Invalid configuration');
      for (const name of missing) expect(run.output()).toContain(`${name}: `);
    },
    40_000,
  );

  /** Files and their modification times under a directory, to see whether a run wrote anything. */
  const snapshot = (dir: string): Map<string, number> => {
    const out = new Map<string, number>();
    const walk = (d: string) => {
      for (const entry of readdirSync(d)) {
        const path = join(d, entry);
        const stat = lstatSync(path);
        out.set(relative(dir, path), stat.mtimeMs);
        if (stat.isDirectory()) walk(path);
      }
    };
    walk(dir);
    return out;
  };

  it.each(APPS)(
    "%s: with the chart's configuration it answers the chart's probes, serves only what the ingress routes to it, writes nothing, and stops on SIGTERM",
    async (app) => {
      const objects: K8sObject[] = render({ set: [...INGRESS_ON] });
      const deployment = findObject(objects, 'Deployment', `discounts-${app}`);
      const container = onlyContainer(deployment);
      const env = resolveEnv(objects, deployment).values;
      // The chart's addresses are the cluster's; here they are the test stack's, on a free port.
      const port = await freePort();
      const { mongodbUri, natsUrl } = testStack();
      const dbUrl = new URL(mongodbUri);
      dbUrl.pathname = `/deploy_image_${app}`;
      const before = snapshot(imageOf(app).root);

      // The chart's admin port is a fixed number; here another free one, so that runs never collide.
      expect(env.ADMIN_PORT).toBeDefined();
      let adminPort = await freePort();
      while (adminPort === port) adminPort = await freePort();
      const run = startImage(app, {
        ...env,
        PORT: String(port),
        ADMIN_PORT: String(adminPort),
        HOST: '127.0.0.1',
        MONGODB_URI: dbUrl.toString(),
        NATS_URL: natsUrl,
        LOG_LEVEL: 'warn',
      });
      try {
        const base = `http://127.0.0.1:${port}`;
        const isAlive = () => run.child.exitCode === null;
        for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
          expect(probe?.httpGet?.port).toBe('http');
          await waitForHttp(`${base}${probe!.httpGet!.path}`, { timeoutMs: 45_000, isAlive });
        }
        // The chart's ADMIN_PORT opens the admin listener, which serves the same app.
        await waitForHttp(`http://127.0.0.1:${adminPort}/health/live`, { timeoutMs: 10_000, isAlive });

        // Every route the app documents goes to this app through the ingress, except the internal ones.
        const docs = await httpRequest(`${base}/docs/json`);
        expect(docs.status).toBe(200);
        const paths = Object.keys((JSON.parse(docs.body) as { paths: Record<string, unknown> }).paths);
        expect(paths.length).toBeGreaterThan(2);
        const ingress = findObject(objects, 'Ingress', 'discounts') as unknown as IIngress;
        for (const path of paths) {
          const concrete = path.replace(/\{[^}]+\}/g, 'x1');
          const internal = /^\/(health|metrics|docs)(\/|$)/.test(path);
          expect({ path, service: routeFor(ingress, 'discounts.local', concrete) }).toEqual({
            path,
            service: internal ? undefined : `discounts-${app}`,
          });
        }

        const written = [...snapshot(imageOf(app).root)]
          .filter(([file, mtime]) => before.get(file) !== mtime)
          .map(([file]) => file);
        expect(written).toEqual([]);

        // Nest closes the app, then re-raises the signal, so the process ends by SIGTERM itself
        // (tini then exits 143); well within the pod's grace period.
        run.child.kill('SIGTERM');
        const stopped = await Promise.race([
          run.exited,
          new Promise((resolve) => setTimeout(() => resolve('timeout'), 15_000)),
        ]);
        expect([0, 'SIGTERM']).toContain(stopped);
      } catch (error) {
        process.stderr.write(`--- ${app} output ---\n${run.output()}\n`);
        throw error;
      } finally {
        if (run.child.exitCode === null) await stopPid(run.child.pid!, 5_000);
      }
    },
    90_000,
  );
});
