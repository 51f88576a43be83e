/**
 * The pinned Helm CLI (HELM_BIN, set by the deploy tier's global setup) and parsed renders of the
 * chart. Rendering needs no cluster: `helm template` with lookup returning nothing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const CHART_DIR = join(REPO_ROOT, 'helm', 'discounts');

/** The Ingress on, with the trusted proxies the chart requires with it. */
export const INGRESS_ON = ['ingress.enabled=true', 'settings.trustedProxies[0]=10.42.0.0/16'] as const;
export const RELEASE = 'discounts';

/** A rendered Kubernetes object: only the fields every object has are typed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface HelmResult {
  status: number | null;
  stdout: string;
  /** Without Helm's notes about the chart's symbolic links into deploy/. */
  stderr: string;
}

function helmBin(): string {
  const bin = process.env.HELM_BIN;
  if (!bin)
    throw new Error('HELM_BIN is not set: run this test through jest.deploy.config.js (npm run test:deploy)');
  return bin;
}

export function helm(args: readonly string[]): HelmResult {
  const result = spawnSync(helmBin(), args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  const stderr = result.stderr
    .split('\n')
    .filter(
      (line) => !/^walk\.go:\d+: found symbolic link in path: .* Contents of linked file included/.test(line),
    )
    .join('\n')
    .trim();
  return { status: result.status, stdout: result.stdout, stderr };
}

export interface RenderOptions {
  /** Values files, relative to the chart (e.g. "ci/replicas-values.yaml", "values-production.yaml"). */
  valuesFiles?: readonly string[];
  /** --set-string-free overrides: each "path=value" goes to --set. */
  set?: readonly string[];
  release?: string;
  namespace?: string;
  kubeVersion?: string;
  /** Extra APIs the cluster is taken to serve (--api-versions), e.g. "monitoring.coreos.com/v1/ServiceMonitor". */
  apiVersions?: readonly string[];
}

function templateArgs(opts: RenderOptions): string[] {
  const args = ['template', opts.release ?? RELEASE, CHART_DIR, '--namespace', opts.namespace ?? 'discounts'];
  for (const file of opts.valuesFiles ?? []) args.push('--values', join(CHART_DIR, file));
  for (const assignment of opts.set ?? []) args.push('--set', assignment);
  if (opts.kubeVersion) args.push('--kube-version', opts.kubeVersion);
  for (const api of opts.apiVersions ?? []) args.push('--api-versions', api);
  return args;
}

/** `helm template` as is: for tests that expect it to fail. */
export const helmTemplateRaw = (opts: RenderOptions = {}): HelmResult => helm(templateArgs(opts));

/** Renders the chart and parses every document; throws with Helm's message when it fails. */
export function render(opts: RenderOptions = {}): K8sObject[] {
  const result = helmTemplateRaw(opts);
  if (result.status !== 0) {
    throw new Error(`helm ${templateArgs(opts).join(' ')} failed (${result.status}):\n${result.stderr}`);
  }
  if (result.stderr) throw new Error(`helm template wrote to stderr:\n${result.stderr}`);
  return parseYamlDocuments(result.stdout, 'helm template output');
}

/** All non-empty documents of a multi-document YAML text; a YAML error fails loudly. */
export function parseYamlDocuments(text: string, what: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${what}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    objects.push(value as K8sObject);
  }
  return objects;
}

export function findObject(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) {
    const have = objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ');
    throw new Error(`no ${kind}/${name} in the render (have: ${have})`);
  }
  return found;
}

export const ofKind = (objects: readonly K8sObject[], kind: string): K8sObject[] =>
  objects.filter((o) => o.kind === kind);

/** Secrets standing in for the cluster's: name → data, in plain text (encoded as Kubernetes does). */
export type ClusterSecrets = Record<string, Record<string, string>>;

/**
 * `helm template` of a copy of the chart, laid out beside a link to deploy/ as the repository is,
 * in which the chart's one lookup helper (discounts.lookupSecret) finds `secrets` instead of
 * nothing: what `helm install` or `helm upgrade` would render with those Secrets in the namespace.
 * With `notes`, NOTES.txt (which `helm template` never renders) comes out as one more object, a
 * ConfigMap named notes-under-test holding its text.
 */
function templateCopy(opts: RenderOptions, secrets: ClusterSecrets, notes: boolean): HelmResult {
  const dir = mkdtempSync(join(tmpdir(), 'discounts-chart-copy-'));
  try {
    const chart = join(dir, 'helm', 'discounts');
    cpSync(CHART_DIR, chart, { recursive: true, verbatimSymlinks: true });
    symlinkSync(join(REPO_ROOT, 'deploy'), join(dir, 'deploy'));
    const helpers = join(chart, 'templates', '_helpers.tpl');
    const lookup = '{{- lookup "v1" "Secret" .root.Release.Namespace .name | toJson }}';
    const cluster = Object.fromEntries(
      Object.entries(secrets).map(([name, data]) => [
        name,
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name },
          data: Object.fromEntries(
            Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
        },
      ]),
    );
    const text = readFileSync(helpers, 'utf8');
    if (!text.includes(lookup)) throw new Error(`_helpers.tpl no longer has ${lookup}`);
    writeFileSync(
      helpers,
      text.replace(
        lookup,
        `{{- get (fromJson ${JSON.stringify(JSON.stringify(cluster))}) .name | default dict | toJson }}`,
      ),
    );
    const args = templateArgs(opts);
    args[2] = chart;
    if (notes) {
      const notesText = readFileSync(join(chart, 'templates', 'NOTES.txt'), 'utf8');
      writeFileSync(
        join(chart, 'templates', '_notes-under-test.tpl'),
        `{{- define "notes-under-test" -}}\n${notesText}{{- end }}\n`,
      );
      writeFileSync(
        join(chart, 'templates', 'notes-under-test.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes-under-test\ndata:\n  notes: {{ include "notes-under-test" . | toJson }}\n',
      );
    }
    return helm(args);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `helm template` as is, with these Secrets in the cluster: for tests that expect it to fail. */
export const helmTemplateInClusterRaw = (secrets: ClusterSecrets, opts: RenderOptions = {}): HelmResult =>
  templateCopy(opts, secrets, false);

/** What an install or upgrade renders with these Secrets in the release's namespace. */
export function renderInCluster(secrets: ClusterSecrets, opts: RenderOptions = {}): K8sObject[] {
  const result = templateCopy(opts, secrets, false);
  if (result.status !== 0) throw new Error(`rendering with cluster Secrets failed:\n${result.stderr}`);
  return parseYamlDocuments(result.stdout, 'helm template (cluster Secrets)');
}

/** The chart's NOTES.txt as `helm install` or `helm upgrade` would print it. */
export function renderNotes(opts: RenderOptions = {}, secrets: ClusterSecrets = {}): string {
  const result = templateCopy(opts, secrets, true);
  if (result.status !== 0) throw new Error(`rendering NOTES.txt failed:\n${result.stderr}`);
  const objects = parseYamlDocuments(result.stdout, 'NOTES.txt');
  return (findObject(objects, 'ConfigMap', 'notes-under-test').data as { notes: string }).notes;
}
