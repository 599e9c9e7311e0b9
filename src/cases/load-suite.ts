/**
 * Loads a policy test suite: a YAML list of cases `{name, request, expect, rule?, profile?}` with
 * what the request carries (`body` or `body_file`, `headers`) and who sends it (`client_ip`,
 * `unix_peer`, `client_cert`, `listener`), or a mapping `{cases, config?, env?}`. Every problem is a
 * Diagnostic with the line and column it was written on, so a bad suite is reported like a bad
 * policy and never half-run. Files named by a case are read later, by the command.
 */
import { LineCounter, parseDocument } from 'yaml';
import { hasErrors, pointerOf, type Diagnostic } from '../policy/diagnostic.js';
import { closestName } from '../policy/schema-dsl.js';
import { buildSourceMap, rangeFromOffsets, type SourceMap } from '../policy/source-map.js';
import type { UnixPeer } from '../policy/clients/resolve-profile.js';
import { addHeader, parseHeaderLine, parseSourceIp, parseUnixPeer, type RequestHeaders } from './request-extras.js';
import { parseRequestLine, type RequestLine } from './request-line.js';

export type SuiteCode =
  | 'yaml/syntax'
  | 'yaml/duplicate-key'
  | 'cases/empty'
  | 'cases/wrong-shape'
  | 'cases/unknown-key'
  | 'cases/missing-key'
  | 'cases/bad-value'
  | 'cases/bad-request'
  | 'cases/duplicate-name';

/** What a case's request carries and who sends it, as written (files not read yet). */
export interface CaseInputDocument {
  /** `body`: a mapping or list is sent as its JSON, a string as its UTF-8 bytes. */
  body?: { kind: 'inline'; bytes: Uint8Array } | { kind: 'file'; path: string };
  headers?: RequestHeaders;
  clientIp?: string;
  unixPeer?: UnixPeer;
  /** A PEM file path (relative to the suite), or the PEM text itself. */
  clientCert?: { kind: 'file'; path: string } | { kind: 'pem'; text: string };
  listener?: string;
}

export interface PolicyCase {
  name: string;
  request: RequestLine;
  expect: 'allow' | 'deny';
  /** Expected deciding rule: its 1-based index, or its `match.path` exactly as written. */
  rule?: number | string;
  profile?: string;
  /** Present when the case gives a body, headers, a client or a listener. */
  input?: CaseInputDocument;
  /** 1-based line of the case in the suite file. */
  line: number;
}

export interface PolicySuite {
  /** Policy file named by the suite, as written (relative to the suite file). */
  config?: string;
  /** Compat environment for the policy (values as strings, like a real environment). */
  env: Record<string, string>;
  cases: PolicyCase[];
}

export interface LoadedSuite {
  /** Present when there are no errors. */
  suite?: PolicySuite;
  diagnostics: Diagnostic<SuiteCode>[];
}

type Tokens = (string | number)[];

const SUITE_KEYS = ['cases', 'config', 'env'] as const;
const CASE_KEYS = [
  'name',
  'request',
  'expect',
  'rule',
  'profile',
  'body',
  'body_file',
  'headers',
  'client_ip',
  'unix_peer',
  'client_cert',
  'listener',
] as const;

const PEM_MARKER = '-----BEGIN';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown): string => (Array.isArray(v) ? 'a list' : v === null ? 'null' : `a ${typeof v}`);

/** Collects diagnostics positioned through the suite's source map. */
class Findings {
  readonly list: Diagnostic<SuiteCode>[] = [];

  constructor(
    private readonly sourceMap: SourceMap,
    private readonly file: string | undefined,
  ) {}

  add(code: SuiteCode, message: string, tokens: Tokens, options: { onKey?: boolean; suggestion?: string } = {}): void {
    const pointer = pointerOf(tokens);
    const range = this.sourceMap.rangeOf(pointer, options.onKey ?? false);
    this.list.push({
      code,
      severity: 'error',
      message,
      pointer,
      ...(this.file !== undefined ? { file: this.file } : {}),
      ...(range ? { range } : {}),
      ...(options.suggestion !== undefined ? { suggestion: options.suggestion } : {}),
    });
  }

  unknownKeys(value: Record<string, unknown>, known: readonly string[], tokens: Tokens): void {
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const guess = closestName(key, known);
      const hint = guess ? `; did you mean "${guess}"?` : ` (known: ${known.join(', ')})`;
      this.add('cases/unknown-key', `unknown key "${key}"${hint}`, [...tokens, key], {
        onKey: true,
        ...(guess ? { suggestion: guess } : {}),
      });
    }
  }

  line(tokens: Tokens): number {
    return this.sourceMap.rangeOf(pointerOf(tokens))?.start.line ?? 0;
  }
}

function readEnv(value: unknown, findings: Findings): Record<string, string> {
  const env: Record<string, string> = {};
  if (!isRecord(value)) {
    findings.add('cases/bad-value', `"env" must map variable names to values, got ${describe(value)}`, ['env']);
    return env;
  }
  for (const [name, v] of Object.entries(value)) {
    // YAML reads CONTAINERS: 1 as a number; an environment only holds strings.
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') env[name] = String(v);
    else findings.add('cases/bad-value', `env ${name} must be a scalar value, got ${describe(v)}`, ['env', name]);
  }
  return env;
}

function readCase(entry: unknown, at: Tokens, findings: Findings, seen: Map<string, number>): PolicyCase | undefined {
  const number = Number(at.at(-1)) + 1;
  if (!isRecord(entry)) {
    findings.add(
      'cases/wrong-shape',
      `case ${number} must be a mapping with name, request and expect, got ${describe(entry)}`,
      at,
    );
    return undefined;
  }
  const before = findings.list.length;
  const line = findings.line(at);
  findings.unknownKeys(entry, CASE_KEYS, at);
  for (const key of ['name', 'request', 'expect'] as const) {
    if (entry[key] === undefined) findings.add('cases/missing-key', `case ${number} has no "${key}"`, at);
  }
  const { name, request, expect, rule, profile } = entry;
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) {
    findings.add('cases/bad-value', `"name" must be a non-empty string, got ${JSON.stringify(name)}`, [...at, 'name']);
  } else if (typeof name === 'string') {
    const first = seen.get(name);
    if (first === undefined) seen.set(name, line);
    else findings.add('cases/duplicate-name', `case name "${name}" is already used on line ${first}`, [...at, 'name']);
  }
  let parsed: RequestLine | undefined;
  if (typeof request === 'string') {
    const result = parseRequestLine(request);
    if (result.ok) parsed = result.request;
    else findings.add('cases/bad-request', `"request": ${result.problem}`, [...at, 'request']);
  } else if (request !== undefined) {
    findings.add('cases/bad-request', `"request" must be "METHOD PATH", got ${describe(request)}`, [...at, 'request']);
  }
  if (expect !== undefined && expect !== 'allow' && expect !== 'deny') {
    findings.add('cases/bad-value', `"expect" must be allow or deny, got ${JSON.stringify(expect)}`, [...at, 'expect']);
  }
  const ruleOk =
    rule === undefined ||
    (typeof rule === 'number' && Number.isInteger(rule) && rule >= 1) ||
    (typeof rule === 'string' && rule.startsWith('/'));
  if (!ruleOk) {
    findings.add(
      'cases/bad-value',
      `"rule" must be a rule number (1-based) or the rule's path pattern (starting with "/"), got ${JSON.stringify(rule)}`,
      [...at, 'rule'],
    );
  }
  if (profile !== undefined && (typeof profile !== 'string' || profile === '')) {
    findings.add('cases/bad-value', `"profile" must be a profile name, got ${JSON.stringify(profile)}`, [
      ...at,
      'profile',
    ]);
  }
  const input = readCaseInput(entry, at, findings);
  if (findings.list.length !== before || !parsed) return undefined;
  return {
    name: name as string,
    request: parsed,
    expect: expect as 'allow' | 'deny',
    ...(rule !== undefined ? { rule: rule as number | string } : {}),
    ...(profile !== undefined ? { profile: profile as string } : {}),
    ...(input !== undefined ? { input } : {}),
    line,
  };
}

const textOf = (value: unknown): value is string => typeof value === 'string' && value !== '';

function readHeaders(value: unknown, at: Tokens, findings: Findings): RequestHeaders | undefined {
  if (!isRecord(value)) {
    findings.add('cases/bad-value', `"headers" must map header names to values, got ${describe(value)}`, at);
    return undefined;
  }
  const headers: RequestHeaders = {};
  for (const [name, v] of Object.entries(value)) {
    const values = Array.isArray(v) ? (v as unknown[]) : [v];
    for (const one of values) {
      const parsed =
        typeof one === 'string' || typeof one === 'number'
          ? parseHeaderLine(`${name}: ${one}`)
          : {
              ok: false as const,
              problem: `header ${name} must be a string or a list of strings, got ${describe(one)}`,
            };
      if (parsed.ok) addHeader(headers, parsed.value);
      else findings.add('cases/bad-value', `"headers": ${parsed.problem}`, [...at, name]);
    }
  }
  return headers;
}

/** The body, headers and client of a case; undefined when it gives none of them. */
function readCaseInput(entry: Record<string, unknown>, at: Tokens, findings: Findings): CaseInputDocument | undefined {
  const { body, body_file, headers, client_ip, unix_peer, client_cert, listener, profile } = entry;
  const input: CaseInputDocument = {};
  const bad = (key: string, message: string) => findings.add('cases/bad-value', message, [...at, key]);
  if (body !== undefined && body_file !== undefined) bad('body_file', 'give "body" or "body_file", not both');
  else if (body !== undefined) {
    // YAML null is a JSON null body; a mapping or list is the JSON document it spells.
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    input.body = { kind: 'inline', bytes: new TextEncoder().encode(text) };
  } else if (body_file !== undefined) {
    if (textOf(body_file)) input.body = { kind: 'file', path: body_file };
    else bad('body_file', `"body_file" must be a file path, got ${JSON.stringify(body_file)}`);
  }
  if (headers !== undefined) {
    const read = readHeaders(headers, [...at, 'headers'], findings);
    if (read) input.headers = read;
  }
  if (client_ip !== undefined) {
    const parsed = typeof client_ip === 'string' ? parseSourceIp(client_ip) : undefined;
    if (parsed?.ok) input.clientIp = parsed.value;
    else bad('client_ip', `"client_ip": ${parsed?.problem ?? `expected an IP address, got ${describe(client_ip)}`}`);
  }
  if (unix_peer !== undefined) {
    const parsed = typeof unix_peer === 'string' ? parseUnixPeer(unix_peer) : undefined;
    if (parsed?.ok) input.unixPeer = parsed.value;
    else
      bad(
        'unix_peer',
        `"unix_peer": ${parsed?.problem ?? `expected "uid:gid[:pid]" as a string, got ${describe(unix_peer)}`}`,
      );
  }
  if (client_cert !== undefined) {
    if (!textOf(client_cert))
      bad('client_cert', `"client_cert" must be a PEM file path or PEM text, got ${describe(client_cert)}`);
    else
      input.clientCert = client_cert.includes(PEM_MARKER)
        ? { kind: 'pem', text: client_cert }
        : { kind: 'file', path: client_cert };
  }
  if (listener !== undefined) {
    if (textOf(listener)) input.listener = listener;
    else bad('listener', `"listener" must be a listener name, got ${JSON.stringify(listener)}`);
  }
  const identity = (['client_ip', 'unix_peer', 'client_cert'] as const).filter((key) => entry[key] !== undefined);
  if (profile !== undefined && identity.length > 0) {
    bad(
      'profile',
      `"profile" and "${identity[0]}" exclude each other: with a client the profile is resolved as serve resolves it`,
    );
  }
  return Object.keys(input).length > 0 ? input : undefined;
}

export function loadSuite(text: string, options: { file?: string } = {}): LoadedSuite {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const findings = new Findings(buildSourceMap(document, lineCounter, text), options.file);
  for (const error of document.errors) {
    findings.list.push({
      code: error.code === 'DUPLICATE_KEY' ? 'yaml/duplicate-key' : 'yaml/syntax',
      severity: 'error',
      message: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
      pointer: '',
      ...(options.file !== undefined ? { file: options.file } : {}),
      range: rangeFromOffsets(lineCounter, error.pos[0], error.pos[1]),
    });
  }
  if (hasErrors(findings.list)) return { diagnostics: findings.list };

  const raw: unknown = document.toJS();
  const suite: PolicySuite = { env: {}, cases: [] };
  let entries: unknown = raw;
  let at: Tokens = [];
  if (isRecord(raw)) {
    findings.unknownKeys(raw, SUITE_KEYS, []);
    entries = raw.cases;
    at = ['cases'];
    if (raw.config !== undefined) {
      if (typeof raw.config === 'string' && raw.config !== '') suite.config = raw.config;
      else
        findings.add('cases/bad-value', `"config" must be a file path, got ${JSON.stringify(raw.config)}`, ['config']);
    }
    if (raw.env !== undefined) suite.env = readEnv(raw.env, findings);
    if (entries === undefined) findings.add('cases/missing-key', 'the suite has no "cases:" list', []);
  } else if (raw === null || raw === undefined) {
    findings.add('cases/empty', 'the suite file has no cases', []);
  } else if (!Array.isArray(raw)) {
    findings.add(
      'cases/wrong-shape',
      `a suite is a list of cases or a mapping with "cases:", got ${describe(raw)}`,
      [],
    );
  }

  if (Array.isArray(entries)) {
    if (entries.length === 0) findings.add('cases/empty', 'the suite has no cases', at);
    const seen = new Map<string, number>();
    entries.forEach((entry: unknown, i) => {
      const read = readCase(entry, [...at, i], findings, seen);
      if (read) suite.cases.push(read);
    });
  } else if (entries !== undefined && isRecord(raw)) {
    findings.add('cases/wrong-shape', `"cases" must be a list, got ${describe(entries)}`, at);
  }
  return hasErrors(findings.list) ? { diagnostics: findings.list } : { suite, diagnostics: findings.list };
}
