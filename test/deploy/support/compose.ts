/**
 * compose.yaml as Compose reads it: YAML merge keys (`<<: *anchor`) resolved, and the few service
 * fields the deployment checks look at, typed. Compose's short forms the file does not use
 * (environment as a list, volumes as objects) are refused here rather than half understood.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './helm';

export const COMPOSE_FILE = join(REPO_ROOT, 'compose.yaml');
/** The Compose specification's JSON schema (compose-spec/compose-spec, schema/compose-spec.json). */
export const COMPOSE_SCHEMA_FILE = join(REPO_ROOT, 'test', 'deploy', 'schemas', 'compose-spec.json');

export interface ComposeHealthcheck {
  test: string | string[];
  interval?: string;
  start_period?: string;
}

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; target?: string; args?: Record<string, string> };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  volumes?: string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: ComposeHealthcheck;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** The file as parsed (merge keys resolved): what the schema validates. */
export function readComposeFile(): ComposeFile {
  return parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as ComposeFile;
}

export function service(compose: ComposeFile, name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`compose.yaml has no service ${name}`);
  return found;
}

/** A service's environment as the process sees it: every value a string. */
export function environmentOf(svc: ComposeService): Record<string, string> {
  const env = svc.environment ?? {};
  if (Array.isArray(env)) throw new Error('environment as a list is not supported by these checks');
  return Object.fromEntries(
    Object.entries(env)
      .filter(([, value]) => value !== null)
      .map(([name, value]) => [name, String(value)]),
  );
}

export interface Mount {
  /** A named volume, or the absolute path of a bind mount's source. */
  source: string;
  target: string;
  bind: boolean;
  readOnly: boolean;
}

/** The service's volumes in short syntax (`source:target[:ro]`), bind sources resolved from the repo root. */
export function mountsOf(svc: ComposeService): Mount[] {
  return (svc.volumes ?? []).map((spec) => {
    if (typeof spec !== 'string') throw new Error('volumes in long syntax are not supported by these checks');
    const [source = '', target = '', mode] = spec.split(':');
    const bind = source.startsWith('.') || isAbsolute(source);
    return {
      source: bind ? join(REPO_ROOT, source) : source,
      target,
      bind,
      readOnly: mode === 'ro',
    };
  });
}

export interface PublishedPort {
  hostIp: string | undefined;
  hostPort: number;
  containerPort: number;
}

/** `[ip:]host:container` entries. */
export function publishedPorts(svc: ComposeService): PublishedPort[] {
  return (svc.ports ?? []).map((spec) => {
    const match = /^(?:(\d+\.\d+\.\d+\.\d+):)?(\d+):(\d+)$/.exec(spec);
    if (!match) throw new Error(`unsupported port entry ${spec}`);
    return { hostIp: match[1], hostPort: Number(match[2]), containerPort: Number(match[3]) };
  });
}
