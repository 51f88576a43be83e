/**
 * Files that ship inside Go modules (CRDs, mostly): the module's directory in the Go module cache,
 * fetched from the module proxy on first use, as the cluster's own scripts do.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs = new Map<string, string>();

/** `go mod download -json MODULE@VERSION`'s Dir. */
export function goModuleDir(moduleAtVersion: string): string {
  const known = dirs.get(moduleAtVersion);
  if (known) return known;
  // Outside any module, so that a go.mod around the cwd cannot interfere.
  const cwd = mkdtempSync(join(tmpdir(), 'go-module-'));
  try {
    const result = spawnSync('go', ['mod', 'download', '-json', moduleAtVersion], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, GOFLAGS: '-mod=mod' },
      timeout: 120_000,
    });
    if (result.error) throw result.error;
    const info = JSON.parse(result.stdout || '{}') as { Dir?: string; Error?: string };
    if (result.status !== 0 || !info.Dir) {
      throw new Error(`go mod download ${moduleAtVersion} failed: ${info.Error ?? result.stderr}`);
    }
    dirs.set(moduleAtVersion, info.Dir);
    return info.Dir;
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
