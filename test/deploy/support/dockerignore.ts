/**
 * .dockerignore as BuildKit reads it (moby/patternmatcher): patterns are matched against paths
 * relative to the context root, `*` and `?` stay within one path segment, `**` spans any number
 * of them, a pattern that matches a directory also matches everything under it, `!` re-includes,
 * and the last matching pattern wins.
 */
interface Pattern {
  regex: RegExp;
  exclusion: boolean;
}

function toRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        source += '(?:.*/)?';
      } else {
        source += '.*';
      }
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function parseDockerignore(text: string): Pattern[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const exclusion = line.startsWith('!');
      const body = (exclusion ? line.slice(1) : line).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { regex: toRegex(body), exclusion };
    });
}

/** True when `path` (relative, "/"-separated) is left out of the build context. */
export function isIgnored(patterns: readonly Pattern[], path: string): boolean {
  const parents: string[] = [];
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) parents.push(segments.slice(0, i).join('/'));
  let ignored = false;
  for (const pattern of patterns) {
    const matches = pattern.regex.test(path) || parents.some((parent) => pattern.regex.test(parent));
    if (matches) ignored = !pattern.exclusion;
  }
  return ignored;
}
