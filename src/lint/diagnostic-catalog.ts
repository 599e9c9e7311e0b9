/**
 * Every diagnostic code `sockguard lint` can report, with its usual severity and help text: the
 * loader's codes (YAML, schema, cross-field validation) and every lint rule. SARIF output lists
 * these as the tool's rules. The record types make the compiler demand an entry for each code.
 */
import type { Severity } from '../policy/diagnostic.js';
import type { LoadCode } from '../policy/load.js';
import type { SchemaIssue } from '../policy/schema-dsl.js';
import type { ValidationCode } from '../policy/validate.js';
import { LINT_RULES, type LintCode } from './rule-registry.js';

export interface CodeDescription {
  code: string;
  severity: Severity;
  summary: string;
  help: string;
}

type LoaderCode = LoadCode | SchemaIssue['code'] | ValidationCode;

const RESTART = 'The sockguard proxy refuses to start with this problem.';

const LOADER_CODES: Record<LoaderCode, Omit<CodeDescription, 'code'>> = {
  'yaml/syntax': {
    severity: 'error',
    summary: 'YAML syntax error',
    help: 'The file is not valid YAML. Fix the syntax at the reported position (indentation with spaces, closing brackets and quotes).',
  },
  'yaml/duplicate-key': {
    severity: 'error',
    summary: 'Duplicate key in a YAML mapping',
    help: 'The same key appears twice in one mapping; YAML forbids it and readers disagree on which value wins. Keep one.',
  },
  'yaml/empty': {
    severity: 'error',
    summary: 'Policy file is empty',
    help: 'An empty policy makes sockguard run its built-in defaults, which is rarely what an explicit file means. Write at least a rules: list.',
  },
  'yaml/multi-document': {
    severity: 'error',
    summary: 'Policy file holds more than one YAML document',
    help: 'Sockguard reads only the first document of a file. Split the documents into separate files.',
  },
  'yaml/not-a-mapping': {
    severity: 'error',
    summary: 'Policy root is not a mapping',
    help: 'A policy is a mapping of top-level keys (rules:, listen:, ...), not a list or a scalar.',
  },
  'yaml/octal-mode': {
    severity: 'error',
    summary: 'Unquoted socket_mode is read as a number',
    help: 'socket_mode: 0600 without quotes is the octal number 384 to sockguard\'s YAML decoder, not the mode string. Quote it: socket_mode: "0600".',
  },
  'schema/unknown-key': {
    severity: 'warning',
    summary: 'Unknown key (ignored by sockguard)',
    help: 'Sockguard ignores keys it does not know, so a misspelt setting silently has no effect. Use the suggested spelling or remove the key.',
  },
  'schema/key-case': {
    severity: 'warning',
    summary: 'Key written in a different case',
    help: 'Sockguard matches keys case-insensitively, so this works, but other tools (and readers) expect the canonical lower-case spelling. Write the key as suggested.',
  },
  'schema/duplicate-key': {
    severity: 'error',
    summary: 'Two keys that differ only in case',
    help: 'Sockguard matches keys case-insensitively, so both spellings set the same setting and one silently wins. Keep one.',
  },
  'schema/type': {
    severity: 'error',
    summary: 'Value has the wrong type',
    help: 'The value cannot be converted to the type this setting needs (string, boolean, integer, list or mapping). Write a value of the expected type.',
  },
  'schema/coerced': {
    severity: 'warning',
    summary: 'Value is converted to another type',
    help: 'Sockguard\'s decoder converts this value (for example "true" to a boolean, or "a,b" to a list). It works, but what is written is not what runs; write the converted value.',
  },
  'schema/enum': {
    severity: 'error',
    summary: 'Value is not one of the allowed values',
    help: 'This setting accepts a fixed set of values (see the message). Use one of them; the message suggests the closest.',
  },
  'schema/format': {
    severity: 'error',
    summary: 'Value has the wrong format',
    help: 'The value must be a duration (30s, 5m), a CIDR (10.0.0.0/8), an absolute path or match the documented pattern.',
  },
  'schema/range': {
    severity: 'error',
    summary: 'Value is out of range',
    help: 'The number (or the length of the list) is outside the range this setting allows.',
  },
  'schema/not-implemented': {
    severity: 'info',
    summary: "Setting is not enforced by this toolkit's proxy yet",
    help: 'The key is part of the Sockguard format and the Go proxy enforces it, but sockguard serve from this toolkit does not yet. The policy stays valid for the Go proxy.',
  },
  'config/required': {
    severity: 'error',
    summary: 'Required setting is missing',
    help: `A setting the proxy needs is missing or empty. ${RESTART}`,
  },
  'config/percent-in-path': {
    severity: 'error',
    summary: "Rule path contains a literal '%'",
    help: `Sockguard matches the path as dockerd routes it, decoded once, so a %XX escape in a rule matches only doubly-encoded requests. Write the decoded character. ${RESTART}`,
  },
  'config/listen-exclusive': {
    severity: 'error',
    summary: 'listen and listeners are both set',
    help: `listen and listeners are mutually exclusive. Move the listen: block into a single-entry listeners: list. ${RESTART}`,
  },
  'config/listener': {
    severity: 'error',
    summary: 'Invalid listener',
    help: `A listener entry is inconsistent (name, socket versus address, allowed_profiles). ${RESTART}`,
  },
  'config/tls-incomplete': {
    severity: 'error',
    summary: 'TLS needs cert_file, key_file and client_ca_file together',
    help: `Sockguard's TLS is always mutual: set cert_file, key_file and client_ca_file together. ${RESTART}`,
  },
  'config/socket-mode': {
    severity: 'error',
    summary: 'Invalid unix socket ownership',
    help: `socket_mode "0660" needs socket_gid; socket_uid and socket_gid apply only to unix sockets. ${RESTART}`,
  },
  'config/plaintext-tcp': {
    severity: 'error',
    summary: 'Non-loopback plaintext TCP listener without both acknowledgements',
    help: `A TCP listener on a non-loopback address needs tls (mutual TLS), or both insecure_allow_plain_tcp and insecure_allow_unauthenticated_clients. ${RESTART}`,
  },
  'config/profile': {
    severity: 'error',
    summary: 'Invalid client profile',
    help: `A client profile needs a name other than "*" and at least one rule. ${RESTART}`,
  },
  'config/duplicate': {
    severity: 'error',
    summary: 'Duplicate name',
    help: `Listener and profile names must be unique. ${RESTART}`,
  },
  'config/unknown-profile': {
    severity: 'error',
    summary: 'Reference to a profile that does not exist',
    help: `default_profile, the *_profiles selectors and allowed_profiles must name a configured client profile. ${RESTART}`,
  },
  'config/limits': {
    severity: 'error',
    summary: 'Inconsistent rate limits',
    help: `burst must be at least tokens_per_second, and each endpoint cost at most burst. ${RESTART}`,
  },
  'config/paths': {
    severity: 'error',
    summary: 'Invalid or colliding health/metrics path',
    help: `health, readiness and metrics paths must start with "/" and differ. ${RESTART}`,
  },
  'config/conflict': {
    severity: 'error',
    summary: 'Settings that exclude each other',
    help: `Two settings that cannot be combined are both set; keep one. ${RESTART}`,
  },
};

const LINT_CODES: Record<LintCode, Omit<CodeDescription, 'code'>> = Object.fromEntries(
  LINT_RULES.map((rule) => [rule.code, { severity: rule.severity, summary: rule.summary, help: rule.help }]),
) as Record<LintCode, Omit<CodeDescription, 'code'>>;

export const DIAGNOSTIC_CATALOG: readonly CodeDescription[] = [
  ...Object.entries(LOADER_CODES),
  ...Object.entries(LINT_CODES),
].map(([code, description]) => ({ code, ...description }));
