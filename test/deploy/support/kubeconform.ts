/**
 * kubeconform (KUBECONFORM_BIN, built by the deploy tier's global setup) over rendered objects,
 * with -strict and the schemas tools/chart/kubeconform-schemas.sh makes offline from Go modules:
 * the Kubernetes API of the local cluster's version (KUBERNETES_VERSION), the Prometheus
 * Operator's CRDs and the Gateway API's. Nothing is downloaded at run time, and an object whose
 * schema is missing is an error (no -ignore-missing-schemas), never a pass.
 *
 * This is a second opinion beside support/k8s-schemas.ts (kubernetes-models, Kubernetes 1.27):
 * a different validator, the cluster's Kubernetes version, and unknown fields refused everywhere.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { clusterVersion } from '../../support/cluster-versions';
import { REPO_ROOT, type K8sObject } from './helm';

export interface KubeconformResource {
  kind: string;
  name: string;
  /** The object's apiVersion. */
  version: string;
  status: 'statusValid' | 'statusInvalid' | 'statusError' | 'statusSkipped' | 'statusEmpty';
  msg: string;
}

export interface KubeconformReport {
  resources: KubeconformResource[];
  summary: { valid: number; invalid: number; errors: number; skipped: number };
}

/** The Kubernetes version the schemas are of, without the v (kubeconform's -kubernetes-version). */
export const kubeconformKubernetesVersion = (): string => clusterVersion('KUBERNETES_VERSION').slice(1);

let schemaDir: string | undefined;

/**
 * The generated schema directory, made on first use (cold 15–25 s; then cached outside the
 * clone, in the tool cache). A failure names what could not be had.
 */
export function kubeconformSchemaDir(): string {
  if (schemaDir) return schemaDir;
  const script = join(REPO_ROOT, 'tools', 'chart', 'kubeconform-schemas.sh');
  // stderr passes through: generation says what it does and how long it took.
  const out = execFileSync('bash', [script], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  });
  schemaDir = out.trim().split('\n').pop();
  if (!schemaDir) throw new Error(`${script} printed no schema directory`);
  return schemaDir;
}

function kubeconformBin(): string {
  const bin = process.env.KUBECONFORM_BIN;
  if (!bin) {
    throw new Error(
      'KUBECONFORM_BIN is not set: run this test through jest.deploy.config.js (npm run test:deploy)',
    );
  }
  return bin;
}

/**
 * Runs `kubeconform -strict` over a multi-document YAML text (Helm's output as it is, so that
 * what is checked is exactly what a cluster would get, duplicate keys included) and returns its
 * report of every object.
 */
export function kubeconform(yamlText: string): KubeconformReport {
  const args = [
    '-strict',
    '-verbose',
    '-summary',
    '-output',
    'json',
    '-kubernetes-version',
    kubeconformKubernetesVersion(),
    '-schema-location',
    kubeconformSchemaDir(),
    '-',
  ];
  const result = spawnSync(kubeconformBin(), args, { input: yamlText, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  if (result.stderr.trim()) throw new Error(`kubeconform wrote to stderr:\n${result.stderr}`);
  const report = JSON.parse(result.stdout) as KubeconformReport;
  const clean = report.summary.invalid + report.summary.errors + report.summary.skipped === 0;
  // Its exit status and its report must agree, or one of them is not what this reads it as.
  if ((result.status === 0) !== clean) {
    throw new Error(`kubeconform exited ${result.status} with the summary ${JSON.stringify(report.summary)}`);
  }
  return report;
}

/**
 * kubeconform over objects built or edited by a test, as JSON documents: re-serialising them as
 * YAML could turn a string such as "off" into a word YAML 1.1 readers take for a boolean.
 */
export const kubeconformObjects = (objects: readonly K8sObject[]): KubeconformReport =>
  kubeconform(objects.map((o) => JSON.stringify(o)).join('\n---\n'));

/** "Kind/name: message" of every object kubeconform did not find valid. */
export const kubeconformProblems = (report: KubeconformReport): string[] =>
  report.resources.filter((r) => r.status !== 'statusValid').map((r) => `${r.kind}/${r.name}: ${r.msg}`);
