/**
 * Parses a policy YAML text into a validated, default-filled Policy, keeping source positions.
 * Every problem is a Diagnostic with file:line:col; nothing here throws on bad input.
 */
import { isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { pointerOf, type Diagnostic, hasErrors } from './diagnostic.js';
import { validateAgainst } from './schema-dsl.js';
import { policySchema, type Policy, type PolicyDocument } from './schema.js';
import { buildSourceMap, rangeFromOffsets, SourceMap } from './source-map.js';
import { validatePolicy } from './validate.js';
import { resolvePolicy } from './resolve.js';

export { defaultPolicy, resolvePolicy } from './resolve.js';

export type LoadCode =
  | 'yaml/syntax'
  | 'yaml/duplicate-key'
  | 'yaml/empty'
  | 'yaml/multi-document'
  | 'yaml/not-a-mapping'
  | 'yaml/octal-mode';

export interface LoadedPolicy {
  /** The document as written, coerced to the schema's types (unknown keys dropped). */
  document: PolicyDocument;
  /** The document with defaults applied; present when there are no errors. */
  policy?: Policy;
  diagnostics: Diagnostic[];
  sourceMap: SourceMap;
  file?: string;
}

export interface LoadOptions {
  file?: string;
}

function yamlErrorCode(code: string): LoadCode {
  return code === 'DUPLICATE_KEY' ? 'yaml/duplicate-key' : 'yaml/syntax';
}

/** Turns yaml's own messages ("Map keys must be unique at line 3, column 1:\n\n<frame>") into one line. */
function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * An unquoted `socket_mode: 0600` is an octal integer to Go's YAML decoder (384), which then fails
 * the enum check; say so precisely instead of "must be a string".
 */
function findUnquotedModes(document: Document, sourceMap: SourceMap, file: string | undefined): Diagnostic[] {
  const found: Diagnostic[] = [];
  const visit = (node: unknown, tokens: (string | number)[]): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { items?: unknown[]; key?: unknown; value?: unknown };
    if (Array.isArray(n.items)) {
      n.items.forEach((item, index) => {
        const pair = item as { key?: unknown; value?: unknown };
        if (pair && typeof pair === 'object' && 'key' in pair) {
          const key = isScalar(pair.key) ? String(pair.key.value) : '';
          const value = pair.value;
          if (key.toLowerCase() === 'socket_mode' && isScalar(value) && typeof value.value === 'number') {
            const source = value.source ?? String(value.value);
            const pointer = pointerOf([...tokens, key]);
            const range = sourceMap.rangeOf(pointer);
            found.push({
              code: 'yaml/octal-mode',
              severity: 'error',
              message: `socket_mode ${source} is a number to sockguard's YAML decoder (${/^0[0-7]+$/.test(source) ? `octal ${parseInt(source, 8)}` : source}), not the mode string; quote it: "${source.padStart(4, '0')}"`,
              pointer,
              suggestion: `"${source.padStart(4, '0')}"`,
              ...(file ? { file } : {}),
              ...(range ? { range } : {}),
            });
          } else visit(value, [...tokens, key]);
        } else visit(item, [...tokens, index]);
      });
    }
  };
  visit(document.contents, []);
  return found;
}

export function loadPolicy(text: string, options: LoadOptions = {}): LoadedPolicy {
  const { file } = options;
  const at = (d: Omit<Diagnostic, 'file'>): Diagnostic => ({ ...d, ...(file ? { file } : {}) });
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const empty = (diagnostics: Diagnostic[], sourceMap = SourceMap.empty()): LoadedPolicy => ({
    document: {},
    diagnostics,
    sourceMap,
    ...(file ? { file } : {}),
  });

  if (!Array.isArray(documents)) {
    return empty([at({ code: 'yaml/empty', severity: 'error', message: 'the policy file is empty', pointer: '' })]);
  }
  const [first, ...rest] = documents;
  if (!first || first.contents === null) {
    return empty([
      at({
        code: 'yaml/empty',
        severity: 'error',
        message: 'the policy file has no content (sockguard would run the built-in defaults); write at least rules:',
        pointer: '',
        range: { start: { line: 1, col: 1 }, end: { line: 1, col: 1 } },
      }),
    ]);
  }

  const diagnostics: Diagnostic[] = [];
  for (const error of first.errors) {
    diagnostics.push(
      at({
        code: yamlErrorCode(error.code),
        severity: 'error',
        message: firstLine(error.message),
        pointer: '',
        range: rangeFromOffsets(lineCounter, error.pos[0], error.pos[1]),
      }),
    );
  }
  for (const extra of rest) {
    const start = extra.range[0];
    diagnostics.push(
      at({
        code: 'yaml/multi-document',
        severity: 'error',
        message:
          'the policy file holds more than one YAML document; sockguard reads only the first — split them into files',
        pointer: '',
        range: rangeFromOffsets(lineCounter, start, start),
      }),
    );
  }
  const sourceMap = buildSourceMap(first, lineCounter, text);
  if (hasErrors(diagnostics)) return empty(diagnostics, sourceMap);

  const raw: unknown = first.toJS({ maxAliasCount: 1000 });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const range = sourceMap.rangeOf('');
    diagnostics.push(
      at({
        code: 'yaml/not-a-mapping',
        severity: 'error',
        message: `the policy must be a mapping of keys (rules:, listen:, ...), got ${Array.isArray(raw) ? 'a list' : 'a scalar'}`,
        pointer: '',
        ...(range ? { range } : {}),
      }),
    );
    return empty(diagnostics, sourceMap);
  }

  const octal = findUnquotedModes(first, sourceMap, file);
  diagnostics.push(...octal);
  const octalPointers = new Set(octal.map((d) => d.pointer));
  const validated = validateAgainst(policySchema, raw);
  for (const issue of validated.issues) {
    const pointer = pointerOf(issue.path);
    if (octalPointers.has(pointer)) continue;
    const range = sourceMap.rangeOf(pointer, issue.onKey ?? false);
    diagnostics.push(
      at({
        code: issue.code,
        severity: issue.severity,
        message: issue.message,
        pointer,
        ...(range ? { range } : {}),
        ...(issue.suggestion ? { suggestion: issue.suggestion } : {}),
      }),
    );
  }
  const document = validated.value as PolicyDocument;
  for (const d of validatePolicy(document)) {
    const range = sourceMap.rangeOf(d.pointer, d.onKey ?? false);
    const { onKey: _onKey, ...rest } = d;
    diagnostics.push(at({ ...rest, ...(range ? { range } : {}) }));
  }
  const result: LoadedPolicy = { document, diagnostics, sourceMap, ...(file ? { file } : {}) };
  if (!hasErrors(diagnostics)) result.policy = resolvePolicy(document);
  return result;
}
