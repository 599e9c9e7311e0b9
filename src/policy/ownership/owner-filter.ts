/**
 * Scoping list, prune and events requests by injecting label filters (security-notes.md §11): the
 * client's `filters` parameter is parsed (docker-filters.ts), the values are added to its `label` (or
 * `node.label`) filter, and exactly one re-encoded `filters` parameter is sent; every other parameter
 * is forwarded as received. dockerd ANDs label filters, so a client's own label filters can only
 * narrow the result further (a client-supplied different owner value matches nothing).
 * A repeated `filters` parameter is refused: dockerd reads the first, and sending one we rewrote next to
 * one we did not is exactly the ambiguity to avoid. Never string concatenation.
 */
import { encodeDockerFilters, parseDockerFilters } from './docker-filters.js';
import { invalidRequest, type OwnerDenial } from './owner-verdict.js';
import { findParameters, replaceParameter, splitQuery } from './query-parameters.js';

export type FilterKey = 'label' | 'node.label';

export type RewrittenQuery = { ok: true; rawQuery: string } | { ok: false; problem: string };

/** Adds `values` to the `filterKey` filter of the request's `filters` parameter. */
export function addFilterValues(
  rawQuery: string | undefined,
  filterKey: FilterKey,
  values: readonly string[],
): RewrittenQuery {
  const split = splitQuery(rawQuery);
  if (!split.ok) return { ok: false, problem: split.problem };
  const existing = findParameters(split.parameters, 'filters');
  if (existing.length > 1) return { ok: false, problem: 'the filters parameter is given more than once' };
  const parsed = parseDockerFilters(existing[0]?.value ?? '');
  if (!parsed.ok) return parsed;
  const filters = parsed.filters;
  filters.set(filterKey, new Set([...(filters.get(filterKey) ?? []), ...values]));
  return { ok: true, rawQuery: replaceParameter(split.parameters, 'filters', encodeDockerFilters(filters)) };
}

/** The owner filter for list, prune and events requests: `<label_key>=<owner>`. */
export function injectOwnerFilter(
  rawQuery: string | undefined,
  labelKey: string,
  owner: string,
  filterKey: FilterKey = 'label',
): { ok: true; rawQuery: string } | OwnerDenial {
  const rewritten = addFilterValues(rawQuery, filterKey, [`${labelKey}=${owner}`]);
  return rewritten.ok ? rewritten : invalidRequest(rewritten.problem);
}
