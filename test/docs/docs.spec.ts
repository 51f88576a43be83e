/**
 * The repository's own pages: README.md, ARCHITECTURE.md and docs/*.md. Every link resolves
 * inside the repository and none leaves it (the rules: link-check.ts), the README opens with
 * what a newcomer runs and has a table of contents that matches its sections, and every alert's
 * runbook link names a heading of docs/runbooks.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { anchorsOf, pageProblems, tocProblems } from './link-check';
import { gitRepository } from './repository-paths';

const REPO_ROOT = resolve(__dirname, '..', '..');
const README = join(REPO_ROOT, 'README.md');
const PAGES = [
  'README.md',
  'ARCHITECTURE.md',
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe("the repository's pages", () => {
  it('include the pages the README sends readers to', () => {
    expect(PAGES).toEqual(
      expect.arrayContaining([
        'docs/benchmarks.md',
        'docs/operations.md',
        'docs/configuration.md',
        'docs/observability.md',
        'docs/webhooks.md',
        'docs/security.md',
        'docs/code-lifecycle.md',
        'docs/runbooks.md',
      ]),
    );
  });

  // What a clone holds (git ls-files), not the working tree with its build output and caches.
  const repo = gitRepository(REPO_ROOT);

  it('are checked against what a clone holds: no ignored build output or data', () => {
    expect(['README.md', 'docs', 'docs/runbooks.md'].filter((p) => !repo.paths.has(p))).toEqual([]);
    expect(['dist', 'node_modules', '.data', '.cache'].filter((p) => repo.paths.has(p))).toEqual([]);
  });

  it.each(PAGES)('%s: every link resolves inside the repository, none leaves it', (page) => {
    expect(pageProblems(repo, join(REPO_ROOT, page))).toEqual([]);
  });
});

describe('README.md', () => {
  const readme = readFileSync(README, 'utf8');

  it('has a table of contents ("Contents") that lists its sections in order', () => {
    expect(tocProblems(readme, 'Contents')).toEqual([]);
  });

  it('shows the commands to run on its first screen (40 lines): local, and on Kubernetes', () => {
    const commands = readme
      .split('\n')
      .slice(0, 40)
      .map((l) => l.trim());
    expect(commands).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^make launch\b/),
        expect.stringMatching(/^make test\b/),
        expect.stringMatching(/^skaffold dev\b/),
        expect.stringMatching(/^helm .*\binstall\b/),
      ]),
    );
  });

  it('links every page of docs/', () => {
    const linked = PAGES.filter((p) => p.startsWith('docs/')).filter((p) => !readme.includes(`](${p}`));
    expect(linked).toEqual([]);
  });
});

describe('alert runbooks (deploy/prometheus/rules.yaml)', () => {
  const rulesFile = join(REPO_ROOT, 'deploy', 'prometheus', 'rules.yaml');
  const rules = parse(readFileSync(rulesFile, 'utf8')) as {
    groups: { rules: { alert?: string; annotations?: { runbook_url?: string } }[] }[];
  };
  const runbooks = rules.groups
    .flatMap((g) => g.rules)
    .filter((r) => r.alert)
    .map((r) => [r.alert, r.annotations?.runbook_url ?? '(none)'] as const);

  it('exist: the rules file has alerts', () => {
    expect(runbooks.length).toBeGreaterThan(0);
  });

  /**
   * A runbook address is a page of this repository: relative (`docs/runbooks.md#x`), or the chart's
   * monitoring.runbookBaseUrl form, the page on a Git host (`https://…/blob/<branch>/docs/runbooks.md#x`).
   */
  const pageOf = (url: string) => (url.split('#')[0] ?? '').replace(/^https?:\/\/[^#]*?\/blob\/[^/]+\//, '');

  it.each(runbooks)('%s links its runbook: %s is a heading of docs/runbooks.md', (alert, url) => {
    const path = pageOf(url);
    const anchor = url.split('#')[1] ?? '(none)';
    expect([path, existsSync(join(REPO_ROOT, path))]).toEqual(['docs/runbooks.md', true]);
    expect(anchor).toBe(alert?.toLowerCase());
    expect(anchorsOf(join(REPO_ROOT, path))).toContain(anchor);
  });
});
