/** .data/launch.json: what make launch started and generated, read by make shutdown. */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type AppName } from './paths';
import type { ProcessRecord } from './processes';

export const DATA_DIR = path.join(REPO_ROOT, '.data');
export const LOG_DIR = path.join(DATA_DIR, 'logs');
export const STATE_FILE = path.join(DATA_DIR, 'launch.json');

export type LaunchedProcess = AppName | 'ferretdb' | 'nats';

export interface LaunchState {
  version: 1;
  startedAt: string;
  repo: string;
  processes: Partial<Record<LaunchedProcess, ProcessRecord>>;
  /** Each app has its own ADMIN_TOKEN: the provider's cannot create brands, nor the generator's users. */
  generatorAdminToken: string;
  providerAdminToken: string;
  jwtSecret: string;
  devOpenBrandApi: string;
  /** The secrets this launch made up (not taken from the environment). */
  generated: string[];
  mongodb?: {
    uri: string;
    source: 'MONGODB_URI' | 'ferretdb';
    /** The dev server's storage, and why it was chosen (launch-database.ts). */
    handler?: 'sqlite' | 'postgresql';
    reason?: string;
    /** On PostgreSQL: its URL without credentials (the database is the dev server's own). */
    postgresql?: string;
    /** On SQLite: where its files are. */
    dataDir?: string;
    logFile?: string;
  };
  nats?: { url: string; source: 'NATS_URL' | 'local' | 'started'; logFile?: string };
  generator?: { url: string; port: number; logFile: string };
  provider?: { url: string; port: number; logFile: string };
  sampleUser?: { userId: string; secret: string } | null;
}

/** The recorded launch, or null when there is none (or the file is unreadable). */
export function readState(): LaunchState | null {
  let text: string;
  try {
    text = fs.readFileSync(STATE_FILE, 'utf8');
  } catch {
    return null;
  }
  try {
    const state = JSON.parse(text) as LaunchState & { adminToken?: string };
    // A file written by hand or cut short still names what it can; one from before per-app admin
    // tokens had one token for both.
    return {
      ...state,
      generatorAdminToken: state.generatorAdminToken ?? state.adminToken,
      providerAdminToken: state.providerAdminToken ?? state.adminToken,
      processes: state.processes ?? {},
      generated: state.generated ?? [],
    };
  } catch {
    process.stderr.write(`warning: ${STATE_FILE} is not valid JSON; ignoring it\n`);
    return null;
  }
}

/** Writes atomically, readable by the owner only (it holds the admin tokens and JWT secret). */
export function writeState(state: LaunchState): void {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const tmp = `${STATE_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, STATE_FILE);
}

export function removeState(): void {
  fs.rmSync(STATE_FILE, { force: true });
}
