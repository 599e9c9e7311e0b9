/**
 * SARIF 2.1.0 (OASIS), the format code-scanning services read: one run whose tool.driver lists
 * every diagnostic code with its help text, and one result per finding with a physical location
 * (1-based lines and columns, UTF-16 units, end column exclusive — our ranges exactly).
 */
import type { Diagnostic, Severity } from '../policy/diagnostic.js';
import type { FileDiagnostics } from './diagnostics-json.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** What SARIF needs to know about one diagnostic code. */
export interface SarifRuleInfo {
  code: string;
  severity: Severity;
  summary: string;
  help: string;
}

export interface SarifTool {
  name: string;
  version: string;
  informationUri?: string;
  rules: readonly SarifRuleInfo[];
}

type SarifLevel = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: SarifRegion } }[];
  properties: { pointer: string; suggestion?: string };
}

export interface SarifReportingDescriptor {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: SarifLevel };
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: { driver: { name: string; version: string; informationUri?: string; rules: SarifReportingDescriptor[] } };
    results: SarifResult[];
  }[];
}

/** A relative path stays relative (resolved against the checkout); an absolute one becomes file://. */
export function toArtifactUri(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  const encoded = encodeURI(slashed).replace(/[?#]/g, (c) => encodeURIComponent(c));
  return slashed.startsWith('/') ? `file://${encoded}` : encoded;
}

function describe(rule: SarifRuleInfo): SarifReportingDescriptor {
  return {
    id: rule.code,
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.help },
    help: { text: rule.help },
    defaultConfiguration: { level: LEVEL[rule.severity] },
  };
}

function toResult(file: string, d: Diagnostic, ruleIndex: number): SarifResult {
  const region = d.range && {
    startLine: d.range.start.line,
    startColumn: d.range.start.col,
    endLine: d.range.end.line,
    endColumn: d.range.end.col,
  };
  return {
    ruleId: d.code,
    ruleIndex,
    level: LEVEL[d.severity],
    message: { text: d.message },
    locations: [
      { physicalLocation: { artifactLocation: { uri: toArtifactUri(file) }, ...(region ? { region } : {}) } },
    ],
    properties: { pointer: d.pointer, ...(d.suggestion !== undefined ? { suggestion: d.suggestion } : {}) },
  };
}

export function toSarif(files: readonly FileDiagnostics[], tool: SarifTool): SarifLog {
  const rules = tool.rules.map(describe);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: SarifResult[] = [];
  for (const { file, diagnostics } of files) {
    for (const d of diagnostics) {
      let ruleIndex = index.get(d.code);
      if (ruleIndex === undefined) {
        // A code the catalog does not describe still gets a descriptor, so every ruleIndex is valid.
        ruleIndex = rules.push(describe({ code: d.code, severity: d.severity, summary: d.code, help: d.code })) - 1;
        index.set(d.code, ruleIndex);
      }
      results.push(toResult(file, d, ruleIndex));
    }
  }
  const driver = {
    name: tool.name,
    version: tool.version,
    ...(tool.informationUri !== undefined ? { informationUri: tool.informationUri } : {}),
    rules,
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [{ tool: { driver }, results }] };
}

/** The SARIF log as indented JSON (no trailing newline). */
export function renderSarif(files: readonly FileDiagnostics[], tool: SarifTool): string {
  return JSON.stringify(toSarif(files, tool), null, 2);
}
