import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type AppName = 'generator' | 'provider';

/**
 * The repository's root: the first folder above this file holding nest-cli.json, whether this
 * runs as TypeScript (tests) or compiled into .cache/ or dist/ (make launch, the benchmarks).
 */
function findRepoRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nest-cli.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no nest-cli.json above ${__dirname}`);
  }
}

export const REPO_ROOT = findRepoRoot();
export const APP_DEFAULT_PORTS: Readonly<Record<AppName, number>> = { generator: 5001, provider: 5002 };
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
