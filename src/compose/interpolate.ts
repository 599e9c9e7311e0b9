/**
 * Compose variable interpolation of one string: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}`, `${VAR?message}`, `${VAR:+alternative}`, `${VAR+alternative}`, `$$` for a literal
 * `$`, and defaults that contain further substitutions. Semantics follow compose-go's template package:
 * names are `[_A-Za-z][_A-Za-z0-9]*`; a `$` not followed by a name, `{` or `$` stays literal (so bcrypt
 * hashes like `$2a$12$...` keep their `$2a`); a `${` that does not form a valid expression is an error;
 * the word after an operator is substituted before the operator looks at the variable, so problems
 * inside an unused default are still reported, as compose reports them.
 */

export type InterpolationProblemKind = 'unset' | 'required' | 'invalid';

export interface InterpolationProblem {
  kind: InterpolationProblemKind;
  /** The variable concerned (absent for a malformed expression). */
  name?: string;
  message: string;
  /** Offset and length of the `$...` expression in the template. */
  offset: number;
  length: number;
}

export interface Interpolation {
  value: string;
  problems: InterpolationProblem[];
}

export type LookupVariable = (name: string) => string | undefined;

const NAME = /^[_A-Za-z][_A-Za-z0-9]*/;
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;
type Operator = (typeof OPERATORS)[number];

export function interpolate(template: string, lookup: LookupVariable): Interpolation {
  const problems: InterpolationProblem[] = [];
  const value = substitute(template, 0, lookup, problems);
  return { value, problems };
}

function substitute(template: string, base: number, lookup: LookupVariable, problems: InterpolationProblem[]): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    const next = template[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    if (next === '{') {
      const close = findClosingBrace(template, dollar);
      if (close < 0) {
        problems.push(invalid(template.slice(dollar), base + dollar, template.length - dollar));
        out += template.slice(dollar);
        break;
      }
      out += substituteBraced(template, dollar, close, base, lookup, problems);
      i = close + 1;
      continue;
    }
    const name = NAME.exec(template.slice(dollar + 1))?.[0];
    if (name === undefined) {
      out += '$';
      i = dollar + 1;
      continue;
    }
    out += valueOrUnset(
      name,
      lookup,
      problems,
      base + dollar,
      name.length + 1,
      ' (if the $ is meant literally, write $$)',
    );
    i = dollar + 1 + name.length;
  }
  return out;
}

/** Index of the `}` closing the `${` at `start`: every later `${` opens a level, every `}` closes one. */
function findClosingBrace(template: string, start: number): number {
  let depth = 0;
  for (let i = start; i < template.length; i++) {
    if (template.startsWith('${', i)) {
      depth++;
      i++;
    } else if (template[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function substituteBraced(
  template: string,
  dollar: number,
  close: number,
  base: number,
  lookup: LookupVariable,
  problems: InterpolationProblem[],
): string {
  const expression = template.slice(dollar, close + 1);
  const body = template.slice(dollar + 2, close);
  const name = NAME.exec(body)?.[0];
  const offset = base + dollar;
  const length = expression.length;
  if (name === undefined) {
    problems.push(invalid(expression, offset, length));
    return expression;
  }
  const rest = body.slice(name.length);
  if (rest === '') return valueOrUnset(name, lookup, problems, offset, length);
  const operator = OPERATORS.find((op) => rest.startsWith(op));
  if (operator === undefined) {
    problems.push(invalid(expression, offset, length));
    return expression;
  }
  const wordStart = dollar + 2 + name.length + operator.length;
  const word = substitute(rest.slice(operator.length), base + wordStart, lookup, problems);
  return applyOperator(operator, name, lookup(name), word, problems, offset, length);
}

function applyOperator(
  operator: Operator,
  name: string,
  current: string | undefined,
  word: string,
  problems: InterpolationProblem[],
  offset: number,
  length: number,
): string {
  const setAndNonEmpty = current !== undefined && current !== '';
  switch (operator) {
    case ':-':
      return setAndNonEmpty ? current : word;
    case '-':
      return current ?? word;
    case ':+':
      return setAndNonEmpty ? word : (current ?? '');
    case '+':
      return current === undefined ? '' : word;
    case ':?':
    case '?': {
      const missing = operator === ':?' ? !setAndNonEmpty : current === undefined;
      if (!missing) return current ?? '';
      const reason = word === '' ? '' : `: ${word}`;
      problems.push({
        kind: 'required',
        name,
        message: `required variable ${name} is missing a value${reason}`,
        offset,
        length,
      });
      return '';
    }
  }
}

function valueOrUnset(
  name: string,
  lookup: LookupVariable,
  problems: InterpolationProblem[],
  offset: number,
  length: number,
  hint = '',
): string {
  const value = lookup(name);
  if (value !== undefined) return value;
  problems.push({
    kind: 'unset',
    name,
    message: `variable ${name} is not set; docker compose substitutes an empty string${hint}`,
    offset,
    length,
  });
  return '';
}

function invalid(expression: string, offset: number, length: number): InterpolationProblem {
  return {
    kind: 'invalid',
    message: `invalid interpolation ${JSON.stringify(expression)}; docker compose refuses it (write $$ for a literal $)`,
    offset,
    length,
  };
}
