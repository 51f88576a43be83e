/**
 * Just enough Markdown for checking the repository's own pages: headings and their anchors as
 * GitHub makes them, and every link, image and bare URL outside code. Not a renderer: what it
 * cannot read it reports as a link to check rather than skipping it, so the checks err strict.
 */

export interface Heading {
  level: number;
  text: string;
  anchor: string;
  line: number;
}

export interface Link {
  /** What the link points at, as written (`docs/x.md#y`, `https://…`, `#z`). */
  target: string;
  line: number;
  /** How it was written: `[t](u)` / `![a](u)`, `[id]: u`, `<u>`, an HTML attribute, or a bare URL. */
  kind: 'inline' | 'reference' | 'autolink' | 'html' | 'bare-url';
}

export interface Page {
  headings: Heading[];
  links: Link[];
  /** The page's lines with fenced code blocks blanked out (line numbers kept). */
  text: string[];
  /** The same with inline code and HTML comments blanked out too. */
  prose: string[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Blank out fenced code blocks, keeping line numbers. */
function textLines(markdown: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const opener = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (opener !== undefined && opener[0] === fence[0] && opener.length >= fence.length) fence = undefined;
      out.push('');
    } else if (opener !== undefined) {
      fence = opener;
      out.push('');
    } else {
      out.push(line);
    }
  }
  return out;
}

const withoutCode = (line: string) => line.replace(/(`+)(?:(?!\1).)+?\1/g, ' ').replace(/<!--.*?-->/g, ' ');

/**
 * GitHub's heading anchor: the rendered text, lower-cased, without anything but letters, marks,
 * digits, connector punctuation, spaces and hyphens; spaces become hyphens; a repeated anchor gets
 * -1, -2… (github-slugger).
 */
export function githubAnchor(headingText: string, seen: Map<string, number> = new Map()): string {
  const rendered = headingText
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '')
    .replace(/\*+/g, '')
    .replace(/(^|\s)_+([^_]+)_+(?=\s|$)/g, '$1$2');
  const base = rendered
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
  const count = seen.get(base) ?? 0;
  seen.set(base, count + 1);
  return count === 0 ? base : `${base}-${count}`;
}

function headingsOf(text: string[]): Heading[] {
  const seen = new Map<string, number>();
  const headings: Heading[] = [];
  text.forEach((line, i) => {
    const m = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (m?.[1] && m[2] !== undefined) {
      headings.push({ level: m[1].length, text: m[2], anchor: githubAnchor(m[2], seen), line: i + 1 });
    }
  });
  return headings;
}

const INLINE = /!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/;
const AUTOLINK = /<([a-z][a-z0-9+.-]*:[^>\s]*)>/gi;
const HTML_ATTR = /\b(?:href|src)\s*=\s*["']([^"']*)["']/gi;
/** What GitHub turns into a link by itself (GFM autolink literals). */
const BARE_URL = /\b(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>()]*|\bmailto:[^\s<>()]+/gi;

function linksOf(prose: string[]): Link[] {
  const links: Link[] = [];
  prose.forEach((raw, i) => {
    const line = i + 1;
    const ref = REFERENCE.exec(raw);
    if (ref?.[1]) links.push({ target: ref[1], line, kind: 'reference' });
    let rest = raw;
    for (const [pattern, kind] of [
      [INLINE, 'inline'],
      [AUTOLINK, 'autolink'],
      [HTML_ATTR, 'html'],
    ] as const) {
      rest = rest.replace(pattern, (_all, target: string) => {
        links.push({ target, line, kind });
        return ' ';
      });
    }
    if (ref) rest = '';
    for (const m of rest.matchAll(BARE_URL)) links.push({ target: m[0], line, kind: 'bare-url' });
  });
  return links;
}

export function parsePage(markdown: string): Page {
  const text = textLines(markdown);
  const prose = text.map(withoutCode);
  return { headings: headingsOf(text), links: linksOf(prose), text, prose };
}

/** Explicit anchors a page declares in HTML (`<a name="x">`, `id="x"`), beside its headings'. */
export function htmlAnchors(page: Page): string[] {
  return page.prose.flatMap((l) =>
    [...l.matchAll(/\b(?:name|id)\s*=\s*["']([^"']+)["']/g)].map((m) => m[1] ?? ''),
  );
}
