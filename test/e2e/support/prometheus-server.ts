/**
 * A real Prometheus for an e2e spec: Debian's package (requireBinary fails loudly without it), a
 * free port, its own data directory, scraping the given targets every second and evaluating the
 * given rule files every second; stopped by its PID, its data directory removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { requireBinary } from '../../support/monitoring';
import { freePort } from '../../support/stack';
import { eventually } from './poll';

export interface ScrapeJob {
  readonly job: string;
  /** host:port of the /metrics endpoint. */
  readonly target: string;
  /** Labels every series of the target gets (e.g. namespace, as an operator's scrape adds). */
  readonly labels?: Record<string, string>;
}

export interface Sample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

interface PromResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

export class PrometheusServer {
  private log = '';

  private constructor(
    readonly url: string,
    private readonly process: ChildProcess,
    private readonly exited: Promise<unknown>,
    private readonly workDir: string,
  ) {
    const keep = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString('utf8')).slice(-20_000);
    };
    process.stdout?.on('data', keep);
    process.stderr?.on('data', keep);
  }

  static async start(jobs: readonly ScrapeJob[], ruleFiles: readonly string[]): Promise<PrometheusServer> {
    const bin = requireBinary('prometheus');
    const workDir = mkdtempSync(join(tmpdir(), 'e2e-prometheus-'));
    const port = await freePort();
    const config = join(workDir, 'prometheus.yml');
    writeFileSync(
      config,
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s', scrape_timeout: '900ms' },
        rule_files: ruleFiles,
        scrape_configs: jobs.map(({ job, target, labels }) => ({
          job_name: job,
          static_configs: [{ targets: [target], ...(labels ? { labels } : {}) }],
        })),
      }),
    );
    const child = spawn(
      bin,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(workDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const server = new PrometheusServer(`http://127.0.0.1:${port}`, child, exited, workDir);
    try {
      await eventually(async () => expect((await fetch(`${server.url}/-/ready`)).status).toBe(200), {
        timeoutMs: 30_000,
      });
    } catch (error) {
      await server.stop();
      throw new Error(`Prometheus did not start: ${String(error)}\n${server.log}`);
    }
    return server;
  }

  async get<T>(path: string): Promise<T> {
    const res = await fetch(this.url + path, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json()) as PromResponse<T>;
    if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? res.status}`);
    return body.data;
  }

  query(expr: string): Promise<{ resultType: string; result: Sample[] }> {
    return this.get(`/api/v1/query?query=${encodeURIComponent(expr)}`);
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill('SIGTERM');
      const timer = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
