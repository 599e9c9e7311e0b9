/**
 * Compiles the source proxies' regexes — HAProxy PCRE (byte mode, `-i` = caseless) and Go RE2 — into
 * JavaScript RegExps that match exactly the same strings. The text is parsed (regjsparser) and
 * re-emitted node by node; constructs whose meaning differs between the dialects are translated,
 * and anything not known to be equivalent is refused, so an emulator can never silently match
 * differently from the proxy it stands in for.
 *
 * Differences handled: `.` (PCRE and RE2 exclude only `\n`; JS also `\r`, U+2028, U+2029), `\s`/`\S`
 * (RE2 `[\t\n\f\r ]`, PCRE adds `\v`; JS adds Unicode spaces such as U+00A0), `$` (PCRE also matches
 * before a final `\n`), and case folding (RE2 `(?i)` folds Unicode, e.g. `ſ`~`s`: JS `iu`; PCRE
 * byte mode folds ASCII only: JS `i` without `u`, which never folds non-ASCII onto ASCII).
 */

import regjsparser, { type AstNode, type CharacterClassBody, type RootNode } from 'regjsparser';

// regjsparser is CommonJS: Node's ESM loader exposes its exports on the default import only.
const { parse } = regjsparser;

export type RegexDialect = 'pcre' | 're2';

const WHITESPACE: Readonly<Record<RegexDialect, string>> = {
  pcre: String.raw`\t\n\v\f\r `,
  re2: String.raw`\t\n\f\r `,
};

const SYNTAX_CHARACTERS = new Set([...'^$\\.*+?()[]{}|/']);
const CLASS_SPECIAL = new Set([...'\\]-^']);

function escapeCodePoint(codePoint: number, inClass: boolean): string {
  const char = String.fromCodePoint(codePoint);
  if (codePoint < 0x20 || codePoint === 0x7f) return `\\x${codePoint.toString(16).padStart(2, '0')}`;
  if ((inClass ? CLASS_SPECIAL : SYNTAX_CHARACTERS).has(char)) return `\\${char}`;
  return char;
}

function refuse(node: { raw: string }, why: string): never {
  throw new SyntaxError(`regex construct ${JSON.stringify(node.raw)} is not emulated: ${why}`);
}

function emitClassItem(item: CharacterClassBody, dialect: RegexDialect): string {
  switch (item.type) {
    case 'value':
      return escapeCodePoint(item.codePoint, true);
    case 'characterClassRange': {
      const sameKind = [/[0-9]/, /[a-z]/, /[A-Z]/].some(
        (kind) =>
          kind.test(String.fromCodePoint(item.min.codePoint)) && kind.test(String.fromCodePoint(item.max.codePoint)),
      );
      if (!sameKind) refuse(item, 'only ranges within digits, lower- or upper-case letters are known to fold alike');
      return `${escapeCodePoint(item.min.codePoint, true)}-${escapeCodePoint(item.max.codePoint, true)}`;
    }
    case 'characterClassEscape':
      if (item.value === 'd') return String.raw`\d`;
      if (item.value === 's') return WHITESPACE[dialect];
      return refuse(item, 'negated or word escapes inside a class differ between dialects');
    default:
      return refuse(item, 'Unicode property escapes are not portable');
  }
}

function emitNode(node: AstNode, dialect: RegexDialect): string {
  switch (node.type) {
    case 'alternative':
      return node.body.map((child) => emitNode(child, dialect)).join('');
    case 'disjunction':
      return node.body.map((child) => emitNode(child, dialect)).join('|');
    case 'group':
      if (node.behavior === 'normal') return `(${node.body.map((child) => emitNode(child, dialect)).join('')})`;
      if (node.behavior === 'ignore') return `(?:${node.body.map((child) => emitNode(child, dialect)).join('')})`;
      return refuse(node, 'lookaround is not available in RE2 and not used by the sources');
    case 'quantifier': {
      const body = emitNode(node.body[0], dialect);
      const bounds = node.symbol ?? `{${node.min},${node.max ?? ''}}`;
      return `${body}${bounds}${node.greedy ? '' : '?'}`;
    }
    case 'characterClass':
      return `[${node.negative ? '^' : ''}${node.body.map((item) => emitClassItem(item, dialect)).join('')}]`;
    case 'characterClassEscape':
      if (node.value === 'd') return String.raw`\d`;
      if (node.value === 's') return `[${WHITESPACE[dialect]}]`;
      if (node.value === 'S') return `[^${WHITESPACE[dialect]}]`;
      return refuse(node, 'word classes differ under case folding');
    case 'dot':
      return String.raw`[^\n]`;
    case 'anchor':
      if (node.kind === 'start') return '^';
      if (node.kind === 'end') return dialect === 'pcre' ? String.raw`(?=\n?$)` : '$';
      return refuse(node, 'word boundaries differ between dialects');
    case 'value':
      return escapeCodePoint(node.codePoint, false);
    default:
      return refuse(node, 'not used by any source proxy');
  }
}

function compileDialect(source: string, dialect: RegexDialect, caseInsensitive: boolean): RegExp {
  const unicode = dialect === 're2';
  const root: RootNode = parse(source, unicode ? 'u' : '');
  return new RegExp(emitNode(root, dialect), `${caseInsensitive ? 'i' : ''}${unicode ? 'u' : ''}`);
}

/** HAProxy `-m reg` (PCRE, byte mode); `-i` makes it caseless (ASCII only). */
export function compileHaproxyRegex(source: string, caseInsensitive: boolean): RegExp {
  return compileDialect(source, 'pcre', caseInsensitive);
}

/** Go `regexp.MustCompile` (RE2, UTF-8); a leading `(?i)` flag group is the only inline flag supported. */
export function compileGoRegex(source: string): RegExp {
  const caseInsensitive = source.startsWith('(?i)');
  return compileDialect(caseInsensitive ? source.slice(4) : source, 're2', caseInsensitive);
}
