/**
 * The built `discounts` CLI (dist/apps/cli/src/main.js) as a child process: with pipes, as a
 * script runs it, or inside a pseudo-terminal (util-linux `script`), as a person sees it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..', '..');
export const CLI_ENTRY = join(REPO_ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI's environment: none of the caller's DISCOUNTS_* settings leak into a test. */
function cliEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('DISCOUNTS_')),
  );
  return { ...base, ...env };
}

function requireBuilt(): void {
  if (!existsSync(CLI_ENTRY)) {
    throw new Error(`${CLI_ENTRY} not found: run npm run build first (the e2e tier runs the built CLI)`);
  }
}

/** Runs `discounts <args>` with pipes (stderr is not a TTY) and resolves when it exits. */
export function runCli(
  args: readonly string[],
  opts: {
    env?: Record<string, string | undefined>;
    timeoutMs?: number;
    /** Called with the process once started (to signal it). */
    onSpawn?: (child: ChildProcess) => void;
  } = {},
): Promise<CliRun> {
  requireBuilt();
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], { env: cliEnv(opts.env ?? {}) });
  opts.onSpawn?.(child);
  return collect(child, opts.timeoutMs);
}

/**
 * Resolves once the child's stderr has shown `pattern` (e.g. a watch's first progress line: by
 * then main.js has installed its SIGINT handler, so a signal is the CLI's to handle). Attach it
 * right after the spawn (runCli's onSpawn) so that no output is missed.
 */
export function stderrShows(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  let seen = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.stderr?.off('data', onData);
      reject(new Error(`the CLI's stderr did not show ${String(pattern)} within ${timeoutMs} ms: ${seen}`));
    }, timeoutMs);
    const onData = (chunk: Buffer | string) => {
      seen += chunk.toString();
      if (!pattern.test(seen)) return;
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      resolve();
    };
    child.stderr?.on('data', onData);
    child.once('close', () => {
      clearTimeout(timer);
      if (!pattern.test(seen))
        reject(new Error(`the CLI exited before its stderr showed ${String(pattern)}: ${seen}`));
    });
  });
}

const shellQuote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `discounts <args>` inside a pseudo-terminal made by util-linux `script` (present wherever
 * util-linux is): stdin, stdout and stderr are all the terminal, and `stdout` of the result is
 * everything the terminal showed, escape sequences and carriage returns included.
 */
export function runCliInTerminal(
  args: readonly string[],
  opts: { env?: Record<string, string | undefined>; timeoutMs?: number; columns?: number } = {},
): Promise<CliRun> {
  requireBuilt();
  const command = [process.execPath, CLI_ENTRY, ...args].map(shellQuote).join(' ');
  // The pty starts at 0×0; stty gives it a width as a terminal window would have.
  const inner = `stty cols ${opts.columns ?? 120} rows 40; exec ${command}`;
  return collect(
    spawn('script', ['-qfec', inner, '/dev/null'], { env: cliEnv({ TERM: 'xterm', ...opts.env }) }),
    opts.timeoutMs,
  );
}

function collect(child: ReturnType<typeof spawn>, timeoutMs = 120_000): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The one JSON document a --json run printed on stdout. */
export function jsonOf<T = Record<string, unknown>>(run: CliRun): T {
  if (run.code !== 0) {
    throw new Error(`the CLI exited ${run.code}: ${run.stderr}`);
  }
  return JSON.parse(run.stdout) as T;
}
