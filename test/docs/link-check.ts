/**
 * The rules the repository's pages keep (checked by docs.spec.ts):
 *
 * - No link leaves the repository. Outside code (fenced blocks, inline code, HTML comments) there
 *   is no link, image, reference definition, autolink or HTML attribute with a URL scheme
 *   (`https:`, `mailto:`…) or a protocol-relative `//host`, and no bare URL GitHub would turn into
 *   a link (`https://…`, `www.…`, `mailto:…`). URLs in examples belong in code, where they are
 *   text (`curl localhost:5001/…`).
 * - Every other link is a relative path that stays inside the repository and names a file or
 *   folder a clone of it holds (not one git ignores: repository-paths.ts); absolute paths (`/x`)
 *   are refused, as they mean another thing off GitHub. A link whose %-escapes do not decode is
 *   reported, not thrown.
 * - A `#fragment` on a Markdown page (or alone, for the same page) names one of its headings, by
 *   GitHub's anchor rules, or an HTML `id` / `name` it declares; on any other file only GitHub's
 *   line anchors (`#L10`, `#L10-L20`) are allowed.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { htmlAnchors, parsePage, type Page } from './markdown';
import type { RepositoryPaths } from './repository-paths';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const LINE_ANCHOR = /^L\d+(-L\d+)?$/;

const pages = new Map<string, Page>();
function pageAt(path: string): Page {
  let page = pages.get(path);
  if (!page) {
    page = parsePage(readFileSync(path, 'utf8'));
    pages.set(path, page);
  }
  return page;
}

/** The anchors a page answers to: its headings' and the HTML ids it declares. */
export function anchorsOf(path: string): string[] {
  const page = pageAt(path);
  return [...page.headings.map((h) => h.anchor), ...htmlAnchors(page)];
}

/** `text` with its %-escapes decoded, or undefined when they are malformed (`%E0%A4%A`). */
function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Problems with one link of `file` (a path inside `repo`), as readable sentences. */
export function linkProblem(
  repo: RepositoryPaths,
  file: string,
  target: string,
  kind: string,
): string | undefined {
  if (kind === 'bare-url' || SCHEME.test(target) || target.startsWith('//')) {
    return `${target} leaves the repository`;
  }
  if (target.startsWith('/')) return `${target} is an absolute path: write it relative to the page`;
  const hash = target.indexOf('#');
  const path = decoded(hash < 0 ? target : target.slice(0, hash));
  const fragment = hash < 0 ? undefined : decoded(target.slice(hash + 1));
  if (path === undefined || (hash >= 0 && fragment === undefined))
    return `${target} is not a valid link: a %-escape in it does not decode`;
  const resolved = path === '' ? file : resolve(dirname(file), path);
  const inRepo = relative(repo.root, resolved);
  if (inRepo.startsWith('..') || resolve(repo.root, inRepo) !== resolved)
    return `${target} points outside the repository`;
  // The repository's root is a folder every clone has.
  if (inRepo !== '' && !repo.paths.has(inRepo.split(sep).join('/')))
    return `${target}: no such file or folder in the repository (${inRepo}), or one git ignores`;
  if (fragment === undefined) return undefined;
  if (statSync(resolved).isFile() && resolved.endsWith('.md')) {
    return anchorsOf(resolved).includes(fragment)
      ? undefined
      : `${target}: ${inRepo} has no heading #${fragment}`;
  }
  return LINE_ANCHOR.test(fragment) ? undefined : `${target}: only line anchors (#L10) work on ${inRepo}`;
}

/** Every problem of every link of `file`, as `line N: problem`. */
export function pageProblems(repo: RepositoryPaths, file: string): string[] {
  return pageAt(file).links.flatMap((link) => {
    const problem = linkProblem(repo, file, link.target, link.kind);
    return problem ? [`${relative(repo.root, file)}:${link.line}: ${problem}`] : [];
  });
}

interface TocEntry {
  depth: number;
  text: string;
  anchor: string;
}

/**
 * The table of contents: the list right under the heading `contentsHeading`, one entry
 * `- [Heading text](#anchor)` per line, nested entries indented by two spaces.
 */
export function tableOfContents(markdown: string, contentsHeading: string): TocEntry[] | undefined {
  const page = parsePage(markdown);
  const at = page.headings.find((h) => h.text === contentsHeading);
  if (!at) return undefined;
  const entries: TocEntry[] = [];
  for (const line of page.text.slice(at.line)) {
    if (/^#{1,6}\s/.test(line)) break;
    const m = /^( *)[-*] \[(.+)\]\(#([^)]+)\)\s*$/.exec(line);
    if (m?.[1] !== undefined && m[2] && m[3])
      entries.push({ depth: m[1].length / 2, text: m[2], anchor: m[3] });
    else if (line.trim() !== '') break;
  }
  return entries;
}

/**
 * How a table of contents differs from the headings after it: every level-2 heading after the
 * contents, in order, with its own text and anchor; nested entries, where a section has them,
 * list that section's level-3 headings, all of them, in order.
 */
export function tocProblems(markdown: string, contentsHeading: string): string[] {
  const toc = tableOfContents(markdown, contentsHeading);
  if (!toc || toc.length === 0) return [`no table of contents under a heading "${contentsHeading}"`];
  const page = parsePage(markdown);
  const start = page.headings.findIndex((h) => h.text === contentsHeading);
  const after = page.headings.slice(start + 1).filter((h) => h.level <= 3);
  const expected: TocEntry[] = [];
  let parentListed = false;
  for (const h of after) {
    if (h.level === 2) {
      expected.push({ depth: 0, text: h.text, anchor: h.anchor });
      const parent = toc.findIndex((e) => e.depth === 0 && e.anchor === h.anchor);
      parentListed = parent >= 0 && toc[parent + 1]?.depth === 1;
    } else if (parentListed) {
      expected.push({ depth: 1, text: h.text, anchor: h.anchor });
    }
  }
  const show = (e: TocEntry) => `${'  '.repeat(e.depth)}- [${e.text}](#${e.anchor})`;
  const want = expected.map(show);
  const have = toc.map(show);
  return want.join('\n') === have.join('\n')
    ? []
    : [`contents:\n${have.join('\n')}\nheadings:\n${want.join('\n')}`];
}
