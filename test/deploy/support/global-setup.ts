/**
 * Global setup of the deployment tier: builds (or finds cached) the pinned Helm CLI, kubectl,
 * helm-docs and kubeconform and hands their paths to the tests in HELM_BIN, KUBECTL_BIN,
 * HELM_DOCS_BIN and KUBECONFORM_BIN, then starts the shared test stack (MongoDB, NATS) exactly as the
 * integration and e2e tiers do; test/support/global-teardown.ts stops it.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import stackGlobalSetup from '../../support/global-setup';

export default async function globalSetup(): Promise<void> {
  if (!process.env.HELM_BIN) {
    // stderr passes through: a cold build takes minutes and says so.
    const out = execFileSync('bash', [join(__dirname, 'build-helm.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.env.HELM_BIN = out.trim().split('\n').pop();
  }
  if (!process.env.KUBECTL_BIN) {
    // The local cluster's pinned kubectl, for `kubectl kustomize` of deploy/ (built by make install).
    const bin = execFileSync(
      'bash',
      [join(__dirname, '..', '..', '..', 'tools', 'cluster', 'build.sh'), 'kubernetes'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    process.env.KUBECTL_BIN = join(bin.trim().split('\n').pop()!, 'kubectl');
  }
  if (!process.env.HELM_DOCS_BIN || !process.env.KUBECONFORM_BIN) {
    // The chart's checks (chart-docs, chart-kubeconform), pinned and cached like the rest.
    const bin = execFileSync(
      'bash',
      [join(__dirname, '..', '..', '..', 'tools', 'cluster', 'build.sh'), 'helm-docs', 'kubeconform'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const dir = bin.trim().split('\n').pop()!;
    process.env.HELM_DOCS_BIN ??= join(dir, 'helm-docs');
    process.env.KUBECONFORM_BIN ??= join(dir, 'kubeconform');
  }
  await stackGlobalSetup();
}
