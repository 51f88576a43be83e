import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The paths a link may name: what a fresh clone of the repository holds. The working tree is not
 * that: it also has what is gitignored (dist/, .data/, .cache/, node_modules/), which a link
 * would find here and not on GitHub or in someone else's checkout.
 */
export interface RepositoryPaths {
  readonly root: string;
  /** Files and the folders they imply, relative to `root`, with `/` separators. */
  readonly paths: ReadonlySet<string>;
}

/** The repository made of `files` (relative to `root`), and every folder holding one of them. */
export function repositoryOf(root: string, files: readonly string[]): RepositoryPaths {
  const paths = new Set<string>();
  for (const file of files) {
    const parts = file.split('/');
    for (let i = 1; i <= parts.length; i++) paths.add(parts.slice(0, i).join('/'));
  }
  return { root, paths };
}

/**
 * The files git tracks under `root`, and those not yet added that it does not ignore (a page and
 * the file it links to are often written before either is committed); a file deleted from the
 * working tree is gone, even while git still tracks it.
 */
export function gitRepository(root: string): RepositoryPaths {
  let listed: string;
  try {
    listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    throw new Error(
      `The link check needs git to tell committed files from ignored ones, and \`git ls-files\` failed in ${root}: ${String(error)}`,
    );
  }
  const files = listed.split('\0').filter((file) => file !== '' && existsSync(join(root, file)));
  return repositoryOf(root, files);
}
