import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What is running: the discounts_build_info labels and the spans' service.version. */
export interface BuildInfo {
  /** The project's package.json version (the image copies it beside dist/). */
  readonly version: string;
  /** The commit the image was built from (GIT_REVISION, a build argument of deploy/Dockerfile). */
  readonly revision: string;
  /** The Node.js runtime, e.g. v24.11.0. */
  readonly node: string;
}

export const UNKNOWN_BUILD_VALUE = 'unknown';
const PROJECT_NAME = 'discounts';

/**
 * The project's version from the nearest package.json above `from` that is the project's own
 * (dist/libs/… in the image and in the repo, libs/… under jest): the depth differs by layout.
 */
export function projectVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (manifest.name === PROJECT_NAME && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // no package.json here, or not JSON: look further up
    }
    if (dirname(dir) === dir) return UNKNOWN_BUILD_VALUE;
  }
}

/** Read once at start-up; no part of it is a secret or a request value, so labels stay bounded. */
export function readBuildInfo(
  env: Readonly<Record<string, string | undefined>> = process.env,
  version: string = projectVersion(),
): BuildInfo {
  return {
    version,
    revision: env.GIT_REVISION?.trim() || UNKNOWN_BUILD_VALUE,
    node: process.version,
  };
}
