/** The Markdown reading and the link rules that docs.spec.ts applies to the repository's pages. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pageProblems, tocProblems } from './link-check';
import { githubAnchor, parsePage } from './markdown';
import { repositoryOf, type RepositoryPaths } from './repository-paths';

describe('githubAnchor', () => {
  it.each([
    ['Events: subjects, payloads and guarantees', 'events-subjects-payloads-and-guarantees'],
    ["The dev server's front", 'the-dev-servers-front'],
    ['Generation figures (`npm run bench:generate`)', 'generation-figures-npm-run-benchgenerate'],
    ['HTTP hardening (`libs/http`)', 'http-hardening-libshttp'],
    ['Without Kubernetes: compose', 'without-kubernetes-compose'],
    ['The API as files (OpenAPI) and a typed client', 'the-api-as-files-openapi-and-a-typed-client'],
    ['v1 API', 'v1-api'],
    ['Where a **claim**’s time goes — fast', 'where-a-claims-time-goes--fast'],
    ['`EVENTS_STREAM_MAX_BYTES` and [links](x.md)', 'events_stream_max_bytes-and-links'],
  ])('%s → #%s (as GitHub makes it)', (heading, anchor) => {
    expect(githubAnchor(heading)).toBe(anchor);
  });

  it('numbers repeated headings as GitHub does', () => {
    const seen = new Map<string, number>();
    expect(['Tracing', 'Tracing', 'Tracing'].map((h) => githubAnchor(h, seen))).toEqual([
      'tracing',
      'tracing-1',
      'tracing-2',
    ]);
  });
});

describe('parsePage', () => {
  const page = parsePage(
    [
      '# Title',
      'See [a](a.md#x), ![img](i.png "t"), <https://example.com>, www.example.com and `https://in-code`.',
      '```sh',
      '# not a heading: [b](missing.md) https://in-a-fence',
      '```',
      '[ref]: https://example.org',
      '<a href="https://example.net">x</a> <!-- [c](commented.md) -->',
      '## Second `code` heading',
    ].join('\n'),
  );

  it('finds headings outside code only, with their anchors', () => {
    expect(page.headings.map((h) => [h.level, h.anchor, h.line])).toEqual([
      [1, 'title', 1],
      [2, 'second-code-heading', 8],
    ]);
  });

  it('finds every link outside code, whatever its form', () => {
    expect(page.links.map((l) => [l.kind, l.target, l.line])).toEqual([
      ['inline', 'a.md#x', 2],
      ['inline', 'i.png', 2],
      ['autolink', 'https://example.com', 2],
      ['bare-url', 'www.example.com', 2],
      ['reference', 'https://example.org', 6],
      ['html', 'https://example.net', 7],
    ]);
  });
});

describe('pageProblems and tocProblems', () => {
  let root: string;
  let repo: RepositoryPaths;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'docs-check-'));
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs', 'b.md'), '# B\n\n## Part one\n');
    writeFileSync(join(root, 'docs', 'a b.md'), '# Spaced\n');
    writeFileSync(join(root, 'code.ts'), 'export {};\n');
    // On disk but not in the repository: what a build or a local run leaves, which git ignores.
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'main.js'), '');
    writeFileSync(
      join(root, 'README.md'),
      [
        '# A',
        '[ok](docs/b.md#part-one) [ok](#a) [ok](code.ts#L1-L2) [ok](docs) [ok](docs/a%20b.md) [ok](.)',
        '[bad anchor](docs/b.md#part-two) [missing](nothing.md) [outside](../elsewhere.md)',
        '[web](https://example.com) [absolute](/docs/b.md) [lines](code.ts#top) see http://example.com',
        '[ignored](dist/main.js) [ignored folder](dist) [bad escape](docs/b%E0%A4%A.md) [bad anchor escape](#a%)',
      ].join('\n'),
    );
    repo = repositoryOf(root, ['README.md', 'code.ts', 'docs/b.md', 'docs/a b.md']);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('accepts links that resolve inside the repository and reports every other one', () => {
    expect(pageProblems(repo, join(root, 'README.md'))).toEqual([
      'README.md:3: docs/b.md#part-two: docs/b.md has no heading #part-two',
      'README.md:3: nothing.md: no such file or folder in the repository (nothing.md), or one git ignores',
      'README.md:3: ../elsewhere.md points outside the repository',
      'README.md:4: https://example.com leaves the repository',
      'README.md:4: /docs/b.md is an absolute path: write it relative to the page',
      'README.md:4: code.ts#top: only line anchors (#L10) work on code.ts',
      'README.md:4: http://example.com leaves the repository',
      'README.md:5: dist/main.js: no such file or folder in the repository (dist/main.js), or one git ignores',
      'README.md:5: dist: no such file or folder in the repository (dist), or one git ignores',
      'README.md:5: docs/b%E0%A4%A.md is not a valid link: a %-escape in it does not decode',
      'README.md:5: #a% is not a valid link: a %-escape in it does not decode',
    ]);
  });

  const page = (toc: string) =>
    ['# T', '## Contents', toc, '## One', '### One a', '### One b', '## Two', ''].join('\n');
  it('accepts a table of contents that lists the sections in order, nested or not', () => {
    expect(tocProblems(page('- [One](#one)\n- [Two](#two)'), 'Contents')).toEqual([]);
    expect(
      tocProblems(page('- [One](#one)\n  - [One a](#one-a)\n  - [One b](#one-b)\n- [Two](#two)'), 'Contents'),
    ).toEqual([]);
  });

  it.each([
    ['a section missing', '- [One](#one)'],
    ['the wrong order', '- [Two](#two)\n- [One](#one)'],
    ['a renamed entry', '- [Uno](#one)\n- [Two](#two)'],
    ['a stale anchor', '- [One](#one)\n- [Two](#zwei)'],
    ['a nested list with a section missing', '- [One](#one)\n  - [One b](#one-b)\n- [Two](#two)'],
  ])('reports %s', (_case, toc) => {
    expect(tocProblems(page(toc), 'Contents')).toHaveLength(1);
  });

  it('reports a page without one', () => {
    expect(tocProblems('# T\n## One\n', 'Contents')).toEqual([
      'no table of contents under a heading "Contents"',
    ]);
  });
});
