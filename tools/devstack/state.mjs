/** .data/launch.json: what make launch started and generated, read by make shutdown. */
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { REPO_ROOT } from './stack.cjs';

export const DATA_DIR = path.join(REPO_ROOT, '.data');
export const LOG_DIR = path.join(DATA_DIR, 'logs');
export const STATE_FILE = path.join(DATA_DIR, 'launch.json');

/** The recorded launch, or null when there is none (or the file is unreadable). */
export function readState() {
  let text;
  try {
    text = fs.readFileSync(STATE_FILE, 'utf8');
  } catch {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    process.stderr.write(`warning: ${STATE_FILE} is not valid JSON; ignoring it\n`);
    return null;
  }
}

/** Writes atomically, readable by the owner only (it holds the admin token and JWT secret). */
export function writeState(state) {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const tmp = `${STATE_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, STATE_FILE);
}

export function removeState() {
  fs.rmSync(STATE_FILE, { force: true });
}
