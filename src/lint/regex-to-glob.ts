/**
 * Reads a rule path written as a regular expression (`^/containers/[^/]+/json$`) with a real regex
 * parser and returns the glob(s) its author probably meant. Globs have no alternation, so
 * `(a|b)` yields one glob per alternative. Classes and `.` repeated become `*` when they cannot
 * match `/`, else `**`; anchors are dropped (globs are always anchored).
 */
// regjsparser is CommonJS without statically detectable exports: import the module object.
import regjsparser, { type AstNode, type CharacterClass, type CharacterClassEscape } from 'regjsparser';

/** More alternatives than this is not a suggestion anymore. */
const MAX_ALTERNATIVES = 8;

type Globs = string[] | undefined;

function product(parts: Globs[]): Globs {
  let out = [''];
  for (const part of parts) {
    if (!part) return undefined;
    out = out.flatMap((prefix) => part.map((suffix) => prefix + suffix));
    if (out.length > MAX_ALTERNATIVES) return undefined;
  }
  return out;
}

function union(parts: Globs[]): Globs {
  if (parts.some((p) => p === undefined)) return undefined;
  const out = [...new Set(parts.flatMap((p) => p!))];
  return out.length > MAX_ALTERNATIVES ? undefined : out;
}

/** Whether a one-character node can match `/`; undefined when it is not a one-character node. */
function matchesSlash(node: AstNode): boolean | undefined {
  switch (node.type) {
    case 'dot':
      return true;
    case 'value':
      return node.codePoint === 0x2f;
    case 'characterClassEscape':
      return escapeMatchesSlash(node);
    case 'characterClass':
      return classMatchesSlash(node);
    default:
      return undefined;
  }
}

function escapeMatchesSlash(node: CharacterClassEscape): boolean {
  // \d \w \s never match `/`; their negations do.
  return node.value === 'D' || node.value === 'W' || node.value === 'S';
}

function classMatchesSlash(node: CharacterClass): boolean {
  const slash = 0x2f;
  const listed = node.body.some((item) => {
    if (item.type === 'value') return item.codePoint === slash;
    if (item.type === 'characterClassRange') return item.min.codePoint <= slash && slash <= item.max.codePoint;
    if (item.type === 'characterClassEscape') return escapeMatchesSlash(item);
    return false;
  });
  return node.negative ? !listed : listed;
}

function translate(node: AstNode): Globs {
  switch (node.type) {
    case 'alternative':
      return product(node.body.map(translate));
    case 'disjunction':
      return union(node.body.map(translate));
    case 'group':
      return node.behavior === 'normal' || node.behavior === 'ignore' ? product(node.body.map(translate)) : undefined;
    case 'anchor':
      return node.kind === 'start' || node.kind === 'end' ? [''] : undefined;
    case 'value': {
      const char = String.fromCodePoint(node.codePoint);
      // A literal `*` cannot be written in a glob.
      return char === '*' ? undefined : [char];
    }
    case 'dot':
      // An unescaped `.` between literals is almost always a literal dot (`moby.buildkit`).
      return ['.'];
    case 'characterClass':
    case 'characterClassEscape':
      return ['*'];
    case 'quantifier':
      return translateQuantifier(node.body[0], node.min, node.max);
    default:
      return undefined;
  }
}

function translateQuantifier(body: AstNode, min: number, max: number | undefined): Globs {
  if (max === 1) return min === 0 ? union([translate(body), ['']]) : translate(body);
  const slash = matchesSlash(body);
  if (slash !== undefined && body.type !== 'value') return [slash ? '**' : '*'];
  // A repeated group: `(/[^/]+)*` and the like span segments.
  if (body.type === 'group') {
    const inner = translate(body);
    return inner ? [inner.some((g) => g.includes('/')) ? '/**' : '*'] : undefined;
  }
  return undefined;
}

/**
 * Request paths are clean (no `//`, no trailing `/`), runs of `*` beyond two mean nothing more,
 * and `a/**` already matches `a`.
 */
function simplify(globs: string[]): string[] {
  const tidy = (g: string): string =>
    g
      .replace(/\/{2,}/g, '/')
      .replace(/(.)\/$/, '$1')
      .replace(/\*{3,}/g, '**')
      .replace(/\/\*\*(\/\*\*)+/g, '/**');
  const collapsed = [...new Set(globs.map(tidy))];
  return collapsed.filter((g) => !collapsed.includes(`${g}/**`));
}

/** The glob(s) a regex-like rule path probably meant, or undefined when it cannot be expressed. */
export function regexToGlobs(source: string): string[] | undefined {
  let ast: AstNode;
  try {
    ast = regjsparser.parse(source, '');
  } catch {
    return undefined;
  }
  const globs = translate(ast);
  if (!globs || globs.length === 0) return undefined;
  const result = simplify(globs);
  return result.every((g) => g.startsWith('/')) ? result : undefined;
}
