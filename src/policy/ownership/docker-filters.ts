/**
 * dockerd's `filters` query parameter (api/types/filters FromJSON), read the way dockerd reads it:
 * - the map-of-bools form `{"label":{"a=b":true}}` (what clients send), or else the legacy
 *   map-of-arrays form `{"label":["a=b"]}`; a document mixing the two is refused by dockerd (it answers
 *   500) and here;
 * - the bool is ignored (`{"a=b":false}` still filters on `a=b`, confirmed on dockerd 20.10);
 * - a repeated filter name keeps its last value (Go map decoding), `null` and `""` mean no filters,
 *   `{"label":null}` an empty set; filter names are case-sensitive.
 * The result is re-encoded in the map-of-bools form every supported API version (1.24+) accepts.
 */
import { isJsonObject, parseJsonTree, stringifyJsonTree, type JsonNode } from '../response/json-tree.js';

/** Filter name -> values. */
export type DockerFilters = Map<string, Set<string>>;

export type ParsedFilters = { ok: true; filters: DockerFilters } | { ok: false; problem: string };

const INVALID = 'the filters parameter is not a valid Docker filter document';

function valuesOf(node: JsonNode, form: 'bools' | 'arrays'): Set<string> | undefined {
  if (node === null) return new Set();
  if (form === 'arrays') {
    return Array.isArray(node) && node.every((v) => typeof v === 'string') ? new Set(node as string[]) : undefined;
  }
  if (!isJsonObject(node)) return undefined;
  const values = new Set<string>();
  for (const [value, flag] of node) {
    if (typeof flag !== 'boolean' && flag !== null) return undefined;
    values.add(value);
  }
  return values;
}

/**
 * Duplicate keys are refused by the tree parser; dockerd would keep the last one, so refusing only
 * ever turns a request dockerd would run into a 400.
 */
export function parseDockerFilters(text: string): ParsedFilters {
  if (text === '') return { ok: true, filters: new Map() };
  const parsed = parseJsonTree(text);
  if (!parsed.ok) return { ok: false, problem: `${INVALID}: ${parsed.problem}` };
  const root = parsed.value;
  if (root === null) return { ok: true, filters: new Map() };
  if (!isJsonObject(root)) return { ok: false, problem: `${INVALID}: expected an object` };
  for (const form of ['bools', 'arrays'] as const) {
    const filters: DockerFilters = new Map();
    for (const [name, node] of root) {
      const values = valuesOf(node, form);
      if (values === undefined) break;
      filters.set(name, values);
    }
    if (filters.size === root.size) return { ok: true, filters };
  }
  return {
    ok: false,
    problem: `${INVALID}: each filter must map to {"value": true, ...} or ["value", ...], the same form throughout`,
  };
}

export function encodeDockerFilters(filters: DockerFilters): string {
  const document = new Map<string, JsonNode>();
  for (const [name, values] of filters) document.set(name, new Map([...values].map((v) => [v, true])));
  return stringifyJsonTree(document);
}
