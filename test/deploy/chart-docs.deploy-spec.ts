/**
 * The chart README is helm-docs' output (tools/chart/docs.sh, `make chart-docs`): hand-written
 * text in README.md.gotmpl, the values table from the `# --` comments of values.yaml. These tests
 * regenerate it into a temporary copy and fail when the committed README.md differs.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHART_DIR, REPO_ROOT } from './support/helm';

const SOURCES = ['Chart.yaml', 'values.yaml', 'README.md.gotmpl'];

/** README.md as docs.sh makes it from the chart's sources, after `edit` has changed the copies. */
function generate(edit: (dir: string) => void = () => undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'discounts-chart-docs-'));
  try {
    for (const file of SOURCES) copyFileSync(join(CHART_DIR, file), join(dir, file));
    edit(dir);
    execFileSync('bash', [join(REPO_ROOT, 'tools', 'chart', 'docs.sh'), dir], {
      env: { ...process.env, HELM_DOCS_BIN: helmDocsBin() },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 60_000,
    });
    return readFileSync(join(dir, 'README.md'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function helmDocsBin(): string {
  const bin = process.env.HELM_DOCS_BIN;
  if (!bin) throw new Error('HELM_DOCS_BIN is not set: run this test through jest.deploy.config.js');
  return bin;
}

/** Where two texts first differ, as "line N: expected … / committed …", or undefined. */
function firstDifference(expected: string, committed: string): string | undefined {
  const a = expected.split('\n');
  const b = committed.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `line ${i + 1}:\n  generated: ${a[i] ?? '(end)'}\n  committed: ${b[i] ?? '(end)'}`;
  }
  return undefined;
}

const committed = () => readFileSync(join(CHART_DIR, 'README.md'), 'utf8');
/** The rows of the values table: `| \`key\` | default | meaning |`. */
const valueRows = (readme: string) => readme.split('\n').filter((line) => /^\| `[^`]+` \| /.test(line));

describe('the chart README (helm-docs)', () => {
  it('README.md is what `make chart-docs` makes of README.md.gotmpl and values.yaml', () => {
    const difference = firstDifference(generate(), committed());
    if (difference) {
      throw new Error(
        `helm/discounts/README.md is stale: run \`make chart-docs\` (or npm run chart:docs) and keep the result. It differs at ${difference}`,
      );
    }
  });

  it('the check sees a changed `# --` comment', () => {
    const changed = generate((dir) => {
      const file = join(dir, 'values.yaml');
      const text = readFileSync(file, 'utf8');
      const comment = '# -- Labels added to every object.';
      expect(text).toContain(comment);
      writeFileSync(file, text.replace(comment, '# -- Labels added to every object, and more.'));
    });
    expect(firstDifference(changed, committed())).toMatch(/Labels added to every object, and more\./);
  });

  it('every value has a description, and each row has its three cells', () => {
    const rows = valueRows(committed());
    expect(rows.length).toBeGreaterThan(100);
    const bad = rows.filter((row) => {
      // A `|` inside a cell would shift the columns: each row is exactly | key | default | meaning |.
      const cells = row.slice(1, -1).split(' | ');
      return cells.length !== 3 || cells.some((cell) => cell.trim() === '');
    });
    expect(bad).toEqual([]);
  });

  it('README.md.gotmpl is not packaged with the chart (.helmignore), README.md is', () => {
    const ignore = readFileSync(join(CHART_DIR, '.helmignore'), 'utf8').split('\n');
    expect(ignore).toContain('README.md.gotmpl');
    expect(ignore).not.toContain('README.md');
  });
});
