/**
 * Stamping the owner label on everything created (or relabelled) through the proxy
 * (sockguard-config.md §10, security-notes.md §11):
 * - containers, networks, volumes, secrets, configs, nodes (update): `Labels`;
 * - services (create and update): `Labels` and `TaskTemplate.ContainerSpec.Labels`, so the tasks and
 *   their containers carry it too (missing objects on that path are created);
 * - builds: the `labels` query parameter (a JSON object of strings).
 * A label the client already set to the owner is kept; any other value under the owner key is refused
 * with 403, never overwritten silently. Struct keys are matched the way Go's decoder matches them
 * (`labels`, `LABELS`, `ſ`-spellings are the same field, D11): a lone spelling is used as is, two
 * spellings of one field are refused (Go would merge them). Label keys are map keys, exact.
 * The body is re-serialised from a lossless tree (key order and number literals kept) so that it
 * says to dockerd exactly what the judged body said, plus the label. An empty or `null` body (which
 * dockerd reads as an empty one) becomes an object: the proxy must send it as application/json with
 * its new length.
 */
import { foldGoName } from '../body/go-fold.js';
import { isJsonObject, markChanged, parseJsonTree, stringifyJsonTree, type JsonObject } from '../response/json-tree.js';
import type { StampKind } from './classify-owned-request.js';
import { deniedAccess, invalidRequest, type OwnerDenial } from './owner-verdict.js';
import { findParameters, replaceParameter, splitQuery } from './query-parameters.js';

export type BodyStampKind = Exclude<StampKind, 'build'>;

export type StampedBody = { ok: true; body: Uint8Array } | OwnerDenial;
export type StampedQuery = { ok: true; rawQuery: string } | OwnerDenial;

const encoder = new TextEncoder();

class StampRefused extends Error {
  constructor(readonly denial: OwnerDenial) {
    super(denial.message);
  }
}

/** The key under which a Go struct field is spelled in this object, refusing two spellings. */
function fieldKey(object: JsonObject, field: string, where: string): string | undefined {
  const folded = foldGoName(field);
  const keys = [...object.keys()].filter((k) => foldGoName(k) === folded);
  if (keys.length > 1) {
    throw new StampRefused(
      invalidRequest(`${where}: ${keys.map((k) => JSON.stringify(k)).join(' and ')} are the same field to dockerd`),
    );
  }
  return keys[0];
}

/** The object at a struct field, created when absent or null. */
function structField(object: JsonObject, field: string, where: string): JsonObject {
  const key = fieldKey(object, field, where) ?? field;
  const value = object.get(key) ?? null;
  if (value === null) {
    const created: JsonObject = new Map();
    object.set(key, created);
    return created;
  }
  if (!isJsonObject(value)) throw new StampRefused(invalidRequest(`${where}.${field} must be an object`));
  return value;
}

function setOwner(labels: JsonObject, where: string, labelKey: string, owner: string): void {
  const current = labels.get(labelKey);
  if (current === undefined || current === null) {
    labels.set(labelKey, owner);
  } else if (typeof current !== 'string') {
    throw new StampRefused(invalidRequest(`${where}[${JSON.stringify(labelKey)}] must be a string`));
  } else if (current !== owner) {
    throw new StampRefused(
      deniedAccess(`the ${labelKey} label is set by sockguard and cannot be chosen by the client`),
    );
  }
}

const LABEL_PATHS: Record<BodyStampKind, readonly (readonly string[])[]> = {
  container: [['Labels']],
  network: [['Labels']],
  volume: [['Labels']],
  secret: [['Labels']],
  config: [['Labels']],
  node: [['Labels']],
  service: [['Labels'], ['TaskTemplate', 'ContainerSpec', 'Labels']],
};

/** Returns the body to forward with the owner label set, or the denial. */
export function stampOwnerLabel(
  kind: BodyStampKind,
  body: Uint8Array | string,
  owner: string,
  labelKey: string,
): StampedBody {
  const empty =
    typeof body === 'string'
      ? body.trim() === ''
      : body.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09);
  const parsed = empty ? { ok: true as const, value: null } : parseJsonTree(body);
  if (!parsed.ok) return invalidRequest(`the request body is not valid JSON: ${parsed.problem}`);
  const root = parsed.value ?? new Map();
  if (!isJsonObject(root)) return invalidRequest('the request body must be a JSON object');
  try {
    for (const path of LABEL_PATHS[kind]) {
      const chain = [root];
      let where = 'body';
      for (const field of path) {
        chain.push(structField(chain[chain.length - 1]!, field, where));
        where = `${where}.${field}`;
      }
      setOwner(chain[chain.length - 1]!, where, labelKey, owner);
      markChanged(...chain);
    }
  } catch (error) {
    if (error instanceof StampRefused) return error.denial;
    throw error;
  }
  return { ok: true, body: encoder.encode(stringifyJsonTree(root)) };
}

/** `POST /build`: the owner label in the `labels` query parameter (dockerd reads its first value). */
export function stampBuildLabels(rawQuery: string | undefined, owner: string, labelKey: string): StampedQuery {
  const split = splitQuery(rawQuery);
  if (!split.ok) return invalidRequest(split.problem);
  const given = findParameters(split.parameters, 'labels');
  if (given.length > 1) return invalidRequest('the labels parameter is given more than once');
  const text = given[0]?.value ?? '';
  const parsed = text === '' ? { ok: true as const, value: null } : parseJsonTree(text);
  if (!parsed.ok) return invalidRequest(`the labels parameter is not valid JSON: ${parsed.problem}`);
  const labels = parsed.value ?? new Map();
  if (!isJsonObject(labels) || ![...labels.values()].every((v) => typeof v === 'string' || v === null)) {
    return invalidRequest('the labels parameter must be a JSON object of strings');
  }
  try {
    setOwner(labels, 'labels', labelKey, owner);
    markChanged(labels);
  } catch (error) {
    if (error instanceof StampRefused) return error.denial;
    throw error;
  }
  return { ok: true, rawQuery: replaceParameter(split.parameters, 'labels', stringifyJsonTree(labels)) };
}
