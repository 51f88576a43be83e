/**
 * Global setup of the deployment tier: builds (or finds cached) the pinned Helm CLI and kubectl and
 * hands their paths to the tests in HELM_BIN and KUBECTL_BIN, then starts the shared test stack (MongoDB, NATS) exactly as the
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
  await stackGlobalSetup();
}
