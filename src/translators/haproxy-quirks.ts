/**
 * Warnings for the parity differences that come from how the HAProxy images match paths rather than
 * from what they were configured to allow (peers.md §1.4, §2.3): `path,url_dec -m reg -i` is anchored
 * only at the start (after an optional `/v[\d.]+`) and case-insensitive, and the action and sub-path
 * regexes only take ids of `[a-zA-Z0-9_.-]`. The translation turns each regex into globs that cover
 * exactly the Engine API endpoints it reached, so a request decided differently is one no endpoint
 * serves (`/containersfoo`, `/CONTAINERS/json`, `/containers/{id}/startfoo`, `/pods/{id}/start`), or
 * one naming an impossible container id. Each warning explains exactly its rows, by re-running the
 * old regex on the path the new policy judged.
 */
import { compileGlob, type CompiledGlob } from '../policy/glob.js';
import type { DifferenceView, MigrationWarning } from './types.js';

/** One old rule as translated: its regex, what it did, and the globs that now carry it. */
export interface SourcePath {
  action: 'allow' | 'deny';
  regex: string;
  /** Every glob the regex stands for, emitted or not (an action with no effect still had a path). */
  globs: readonly string[];
  /** The methods the old proxy let through this rule (GET and HEAD behind a closed gate); absent for all. */
  methods?: readonly string[];
}

const ID_CLASS = '[a-zA-Z0-9_.-]+';

interface CompiledSource {
  action: 'allow' | 'deny';
  methods: readonly string[] | undefined;
  caseSensitive: RegExp;
  caseInsensitive: RegExp;
  globs: CompiledGlob[];
  hasIdClass: boolean;
}

type Quirk = 'prefix' | 'case';

function compileSources(sources: readonly SourcePath[]): CompiledSource[] {
  return sources.map((source) => ({
    action: source.action,
    methods: source.methods,
    caseSensitive: new RegExp(source.regex),
    caseInsensitive: new RegExp(source.regex, 'i'),
    globs: source.globs.map(compileGlob),
    hasIdClass: source.regex.includes(ID_CLASS),
  }));
}

/**
 * The rules that can have made the old decision of a row: allows that let its method through for a
 * tightened row, denies for a loosened one.
 */
function findDeciding(
  sources: readonly CompiledSource[],
  row: DifferenceView,
  action: 'allow' | 'deny',
): CompiledSource[] {
  const method = row.method.toUpperCase();
  return sources.filter((s) => s.action === action && (s.methods === undefined || s.methods.includes(method)));
}

/** Why the old rules matched a path their globs do not: prefix extension (incl. odd version prefixes) or case. */
function classifyQuirk(sources: readonly CompiledSource[], row: DifferenceView): Quirk | undefined {
  const path = row.new.normalizedPath;
  if (path === undefined) return undefined;
  const deciding = findDeciding(sources, row, row.change === 'tightened' ? 'allow' : 'deny');
  if (deciding.some((s) => s.globs.some((g) => g.test(path)))) return undefined;
  if (deciding.some((s) => s.caseSensitive.test(path))) return 'prefix';
  if (deciding.some((s) => s.caseInsensitive.test(path))) return 'case';
  return undefined;
}

/** A glob of the deciding kind matches, but its regex does not: only the id class can tell them apart. */
function isIdClassDifference(sources: readonly CompiledSource[], row: DifferenceView): boolean {
  const path = row.new.normalizedPath;
  if (path === undefined) return false;
  // A loosened row is an allow glob reaching further than its regex; a tightened one, a deny glob.
  const widened = row.change === 'loosened' ? 'allow' : 'deny';
  return findDeciding(sources, row, widened).some(
    (s) => s.hasIdClass && s.globs.some((g) => g.test(path)) && !s.caseInsensitive.test(path),
  );
}

/**
 * The prefix, case and id-class warnings for a HAProxy image's translated rules; the id-class one
 * only when a rule with an id segment was emitted (`emittedGlobs`: the paths of the final rules).
 */
export function createHaproxyQuirkWarnings(
  sources: readonly SourcePath[],
  imageLabel: string,
  emittedGlobs: ReadonlySet<string>,
): MigrationWarning[] {
  if (sources.length === 0) return [];
  const compiled = compileSources(sources);
  const warnings: MigrationWarning[] = [
    {
      code: 'migrate/prefix-match-quirk',
      severity: 'info',
      origin: 'image',
      message: `${imageLabel} matched each path regex against the decoded path anchored only at its start, after any /v<digits and dots> prefix, so its rules also caught paths that merely begin with a configured one (/containersfoo, /containers/{id}/startfoo, /v1../containers/json, LinuxServer's /pods/{id}/start). Sockguard's globs match whole paths of real Engine API endpoints; the requests that differ name no endpoint dockerd serves, so a 404 becomes a 403 (or, past a sub-path deny, the reverse).`,
      explains: (row) => classifyQuirk(compiled, row) === 'prefix',
    },
    {
      code: 'migrate/case-insensitive-quirk',
      severity: 'info',
      origin: 'image',
      message: `${imageLabel} matched paths case-insensitively (-i), so /CONTAINERS/json or /V1.41/containers/json counted as /containers/json. dockerd's routes are case-sensitive (those requests get 404) and so is Sockguard, so they are now denied (or, past a sub-path deny, passed on to the 404).`,
      explains: (row) => classifyQuirk(compiled, row) === 'case',
    },
  ];
  if (sources.some((s) => s.regex.includes(ID_CLASS) && s.globs.some((g) => emittedGlobs.has(g)))) {
    warnings.push({
      code: 'migrate/haproxy/id-class-widened',
      severity: 'info',
      origin: 'image',
      message: `${imageLabel}'s action and sub-path regexes took only ids made of [a-zA-Z0-9_.-]; the new rules use a * segment, which takes any id. Container ids and names never contain other characters, so the requests that differ name no container that can exist.`,
      explains: (row) => isIdClassDifference(compiled, row),
    });
  }
  return warnings;
}
