/**
 * Compiles HAProxy `-m reg` patterns (PCRE2 in byte mode, as the images build HAProxy; `-i` =
 * caseless) into JavaScript RegExps that match exactly the same strings. The text is parsed
 * (regjsparser) and re-emitted node by node; constructs whose meaning differs are translated, and
 * anything not known to be equivalent is refused, so an emulator never silently matches differently
 * from the proxy it stands in for.
 *
 * Differences handled: `.` (PCRE excludes only `\n`; JS also `\r`, U+2028, U+2029), `\s`/`\S` (PCRE
 * is ASCII `[\t\n\v\f\r ]`; JS adds Unicode spaces such as U+00A0, which a decoded `%A0` byte would
 * be), `$` (PCRE also matches before a final `\n`), and case folding (byte-mode PCRE folds ASCII
 * only: JS `i` without `u`, which never folds a non-ASCII character onto an ASCII one).
 */

import regjsparser, { type AstNode, type CharacterClassBody, type RootNode } from 'regjsparser';

// regjsparser is CommonJS: Node's ESM loader exposes its exports on the default import only.
const { parse } = regjsparser;

const PCRE_WHITESPACE = String.raw`\t\n\v\f\r `;
const SYNTAX_CHARACTERS = new Set([...'^$\\.*+?()[]{}|/']);
const CLASS_SPECIAL = new Set([...'\\]-^']);
const RANGE_KINDS = [/[0-9]/, /[a-z]/, /[A-Z]/];

function escapeCodePoint(codePoint: number, inClass: boolean): string {
  const char = String.fromCodePoint(codePoint);
  if (codePoint < 0x20 || codePoint === 0x7f) return `\\x${codePoint.toString(16).padStart(2, '0')}`;
  if ((inClass ? CLASS_SPECIAL : SYNTAX_CHARACTERS).has(char)) return `\\${char}`;
  return char;
}

function refuse(node: { raw: string }, why: string): never {
  throw new SyntaxError(`regex construct ${JSON.stringify(node.raw)} is not emulated: ${why}`);
}

function emitClassItem(item: CharacterClassBody): string {
  switch (item.type) {
    case 'value':
      return escapeCodePoint(item.codePoint, true);
    case 'characterClassRange': {
      const [min, max] = [String.fromCodePoint(item.min.codePoint), String.fromCodePoint(item.max.codePoint)];
      if (!RANGE_KINDS.some((kind) => kind.test(min) && kind.test(max))) {
        refuse(item, 'only ranges within digits, lower- or upper-case letters are known to fold alike');
      }
      return `${escapeCodePoint(item.min.codePoint, true)}-${escapeCodePoint(item.max.codePoint, true)}`;
    }
    case 'characterClassEscape':
      if (item.value === 'd') return String.raw`\d`;
      if (item.value === 's') return PCRE_WHITESPACE;
      return refuse(item, 'negated or word escapes inside a class are not used by the images');
    default:
      return refuse(item, 'Unicode property escapes do not exist in byte-mode PCRE');
  }
}

function emitNode(node: AstNode): string {
  switch (node.type) {
    case 'alternative':
      return node.body.map(emitNode).join('');
    case 'disjunction':
      return node.body.map(emitNode).join('|');
    case 'group':
      if (node.behavior === 'normal') return `(${node.body.map(emitNode).join('')})`;
      if (node.behavior === 'ignore') return `(?:${node.body.map(emitNode).join('')})`;
      return refuse(node, 'lookaround is not used by the images');
    case 'quantifier': {
      const bounds = node.symbol ?? `{${node.min},${node.max ?? ''}}`;
      return `${emitNode(node.body[0])}${bounds}${node.greedy ? '' : '?'}`;
    }
    case 'characterClass':
      return `[${node.negative ? '^' : ''}${node.body.map(emitClassItem).join('')}]`;
    case 'characterClassEscape':
      if (node.value === 'd') return String.raw`\d`;
      if (node.value === 's') return `[${PCRE_WHITESPACE}]`;
      if (node.value === 'S') return `[^${PCRE_WHITESPACE}]`;
      return refuse(node, 'word classes are not used by the images');
    case 'dot':
      return String.raw`[^\n]`;
    case 'anchor':
      if (node.kind === 'start') return '^';
      if (node.kind === 'end') return String.raw`(?=\n?$)`;
      return refuse(node, 'word boundaries are not used by the images');
    case 'value':
      return escapeCodePoint(node.codePoint, false);
    default:
      return refuse(node, 'back-references are not used by the images');
  }
}

/** HAProxy `-m reg` (PCRE, byte mode); `-i` makes it caseless (ASCII only). */
export function compileHaproxyRegex(source: string, caseInsensitive: boolean): RegExp {
  const root: RootNode = parse(source, '');
  return new RegExp(emitNode(root), caseInsensitive ? 'i' : '');
}
