/**
 * The path prefixes one HAProxy image regex (src/peers/haproxy-rules.ts) stands for:
 * `^(/v[\d\.]+)?(/libpod)?/(containers|pods)/[a-zA-Z0-9_.-]+/start` stands for
 * `/containers/{id}/start`, `/libpod/containers/{id}/start`, `/pods/{id}/start` and
 * `/libpod/pods/{id}/start`, each returned with the id class as a `*` segment. The images use a tiny
 * regex subset (the version group, literal text, groups with alternation, optional groups, the id
 * class), so this expands exactly that and refuses anything else rather than guess. Sockguard strips
 * the version prefix itself, so it disappears.
 */

const VERSION_GROUP = String.raw`^(/v[\d\.]+)?`;
const ID_CLASS = '[a-zA-Z0-9_.-]+';
const LITERAL = /[A-Za-z0-9_/-]/;

export class UnsupportedHaproxyRegexError extends Error {
  constructor(regex: string, at: number) {
    super(`unsupported HAProxy regex syntax at ${at} in ${regex}`);
    this.name = 'UnsupportedHaproxyRegexError';
  }
}

interface Parsed {
  paths: string[];
  end: number;
}

function parseSequence(text: string, start: number, regex: string): Parsed {
  let paths = [''];
  let i = start;
  while (i < text.length && text[i] !== ')' && text[i] !== '|') {
    if (text.startsWith(ID_CLASS, i)) {
      paths = paths.map((p) => `${p}*`);
      i += ID_CLASS.length;
    } else if (text[i] === '(') {
      const group = parseAlternation(text, i + 1, regex);
      if (text[group.end] !== ')') throw new UnsupportedHaproxyRegexError(regex, group.end);
      let end = group.end + 1;
      const options = text[end] === '?' ? ['', ...group.paths] : group.paths;
      if (text[end] === '?') end++;
      paths = paths.flatMap((p) => options.map((option) => p + option));
      i = end;
    } else if (LITERAL.test(text[i]!)) {
      const char = text[i]!;
      paths = paths.map((p) => p + char);
      i++;
    } else {
      throw new UnsupportedHaproxyRegexError(regex, i);
    }
  }
  return { paths, end: i };
}

function parseAlternation(text: string, start: number, regex: string): Parsed {
  const paths: string[] = [];
  let i = start;
  for (;;) {
    const branch = parseSequence(text, i, regex);
    paths.push(...branch.paths);
    if (text[branch.end] !== '|') return { paths, end: branch.end };
    i = branch.end + 1;
  }
}

/** @throws UnsupportedHaproxyRegexError for regexes outside the images' subset. */
export function expandHaproxyRegex(regex: string): string[] {
  if (!regex.startsWith(VERSION_GROUP)) throw new UnsupportedHaproxyRegexError(regex, 0);
  const body = regex.slice(VERSION_GROUP.length);
  const parsed = parseSequence(body, 0, regex);
  if (parsed.end !== body.length) throw new UnsupportedHaproxyRegexError(regex, VERSION_GROUP.length + parsed.end);
  return parsed.paths;
}
