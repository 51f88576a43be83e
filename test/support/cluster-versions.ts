import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const VERSIONS_ENV = join(__dirname, '..', '..', 'tools', 'cluster', 'versions.env');

/** A version pinned in tools/cluster/versions.env, e.g. clusterVersion('GATEWAY_API_VERSION'). */
export function clusterVersion(name: string): string {
  const value = new RegExp(`^${name}=(v\\d+\\.\\d+\\.\\d+)\\s*$`, 'm').exec(
    readFileSync(VERSIONS_ENV, 'utf8'),
  )?.[1];
  if (!value) throw new Error(`${VERSIONS_ENV} names no ${name}=vX.Y.Z`);
  return value;
}
