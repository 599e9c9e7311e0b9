/**
 * The Sockguard glob dialect (sockguard-config.md §3.6): fully anchored, case-sensitive,
 * `*` = run of non-`/` within one segment, `/**` = nothing or `/` + anything, `**` = anything.
 * Matcher kinds follow the Go implementation so behaviour is identical, including its quirk that
 * the per-segment matcher ignores a missing leading `/` (lint rejects such patterns).
 */

export type GlobKind = 'literal' | 'match-all' | 'trailing-deep' | 'segments' | 'regex';

export interface CompiledGlob {
  readonly pattern: string;
  readonly kind: GlobKind;
  test(path: string): boolean;
}

/** Translates a glob to an anchored regular-expression source. */
export function globToRegexSource(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    if (pattern.startsWith('/**', i)) {
      out += '(/.*)?';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      out += '.*';
      i += 1;
    } else if (pattern[i] === '*') {
      out += '[^/]*';
    } else {
      out += pattern[i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return `^${out}$`;
}

/** Matches one path segment against a segment pattern whose only wildcard is `*` (no `/`). */
function matchSegment(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

export function compileGlob(pattern: string): CompiledGlob {
  const base = { pattern };
  if (!pattern.includes('*')) return { ...base, kind: 'literal', test: (path) => path === pattern };
  if (pattern === '/**') return { ...base, kind: 'match-all', test: () => true };
  if (pattern.endsWith('/**') && !pattern.slice(0, -3).includes('*')) {
    const prefix = pattern.slice(0, -3);
    const withSlash = prefix + '/';
    return { ...base, kind: 'trailing-deep', test: (path) => path === prefix || path.startsWith(withSlash) };
  }
  if (!pattern.includes('**')) {
    const segments = (pattern.startsWith('/') ? pattern.slice(1) : pattern).split('/');
    return {
      ...base,
      kind: 'segments',
      test: (path) => {
        if (!path.startsWith('/')) return false;
        const parts = path.slice(1).split('/');
        return parts.length === segments.length && parts.every((part, i) => matchSegment(segments[i]!, part));
      },
    };
  }
  // No `s` flag: like Go's RE2, `.` does not match a newline (pinned in test/policy/glob.test.ts).
  const regex = new RegExp(globToRegexSource(pattern));
  return { ...base, kind: 'regex', test: (path) => regex.test(path) };
}
