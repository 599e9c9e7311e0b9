/**
 * A raw query string split into parameters the way dockerd reads them (Go url.ParseQuery, D9), so one
 * parameter can be replaced while every other one is forwarded byte for byte. A query Go would refuse
 * (a `;` separator, a bad escape, invalid UTF-8 once decoded) is refused here too.
 */
import { parseGoQuery } from '../body/go-query.js';

export interface QueryParameter {
  /** The `key=value` text as sent. */
  readonly raw: string;
  readonly key: string;
  readonly value: string;
}

export type SplitQuery = { ok: true; parameters: QueryParameter[] } | { ok: false; problem: string };

/** Go's QueryUnescape, for a component parseGoQuery already accepted. */
const unescape = (text: string) => decodeURIComponent(text.replaceAll('+', ' '));

export function splitQuery(rawQuery: string | undefined): SplitQuery {
  const checked = parseGoQuery(rawQuery);
  if (!checked.ok) return checked;
  const parameters: QueryParameter[] = [];
  for (const raw of (rawQuery ?? '').split('&')) {
    if (raw === '') continue;
    const eq = raw.indexOf('=');
    parameters.push({
      raw,
      key: unescape(eq < 0 ? raw : raw.slice(0, eq)),
      value: eq < 0 ? '' : unescape(raw.slice(eq + 1)),
    });
  }
  return { ok: true, parameters };
}

/** The parameters named `name` (after decoding: `filter%73` is `filters`). */
export function findParameters(parameters: readonly QueryParameter[], name: string): QueryParameter[] {
  return parameters.filter((p) => p.key === name);
}

/**
 * Replaces the single parameter `name` with `value` (added at the end when absent); every other
 * parameter is kept as sent. The caller has made sure there is at most one.
 */
export function replaceParameter(parameters: readonly QueryParameter[], name: string, value: string): string {
  const raw = `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  let replaced = false;
  const out = parameters.map((p) => {
    if (p.key !== name) return p.raw;
    replaced = true;
    return raw;
  });
  if (!replaced) out.push(raw);
  return out.join('&');
}
