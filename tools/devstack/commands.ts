import { Buffer } from 'node:buffer';
import { spawn, type StdioNull, type StdioPipe } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from './paths';
import { cleanEnv, type ChildEnv } from './processes';

/** A file's content from byte `offset` on ('' when it cannot be read). */
export function readFrom(file: string, offset: number): string {
  try {
    const buf = fs.readFileSync(file);
    return buf.subarray(Math.min(offset, buf.length)).toString('utf8');
  } catch {
    return '';
  }
}

/** The last `lines` lines of a text file (or of a string), for error messages. */
export function tail(
  fileOrText: string,
  lines = 40,
  { isText = false, fromOffset = 0 }: { isText?: boolean; fromOffset?: number } = {},
): string {
  const text = isText ? fileOrText : readFrom(fileOrText, fromOffset);
  return text.replace(/\s+$/, '').split('\n').slice(-lines).join('\n');
}

/** Polls logFile (from byte `fromOffset`) until `regex` matches; resolves the match. */
export async function waitForLogLine(
  logFile: string,
  regex: RegExp,
  {
    fromOffset = 0,
    timeoutMs = 60_000,
    intervalMs = 100,
    isAlive,
  }: { fromOffset?: number; timeoutMs?: number; intervalMs?: number; isAlive?: () => boolean } = {},
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = readFrom(logFile, fromOffset).match(regex);
    if (match) return match;
    if (isAlive && !isAlive()) throw new Error(`process exited before logging ${regex}`);
    if (Date.now() >= deadline)
      throw new Error(`${logFile}: no line matching ${regex} within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

/** Runs a command to its end; resolves its output, rejects with its stderr's tail when it fails. */
export function runCommand(
  command: string,
  args: readonly string[],
  {
    cwd = REPO_ROOT,
    env,
    stderr = 'inherit',
  }: { cwd?: string; env?: ChildEnv; stderr?: 'inherit' | StdioPipe | StdioNull } = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', stderr] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderrText = Buffer.concat(err).toString('utf8');
      if (code === 0) return resolve({ stdout, stderr: stderrText });
      const detail = stderrText ? `\n${tail(stderrText, 30, { isText: true })}` : '';
      reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})${detail}`));
    });
  });
}

/** The executable `name` on the PATH, else the first of `fallbacks` that exists, else null. */
export function which(name: string, fallbacks: readonly string[] = []): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return fallbacks.find((f) => fs.existsSync(f)) ?? null;
}
