/**
 * The caller's container for `clients.container_labels` (sockguard-config.md §9): the first container
 * in the daemon's `GET /containers/json` answer with a network whose `IPAddress` or
 * `GlobalIPv6Address` equals the client's (unmapped) source address.
 *
 * The answer is read as the Go proxy decodes it: the fields used must have their documented types
 * (null counts as absent); anything else is a ContainerListError, which the proxy answers with 502
 * `client label ACL lookup failed` — a garbled list must not read as "no container, no labels".
 *
 * IP-to-container resolution is racy by nature (a container stops, its address is reused by another
 * before the cache expires); unix peer or certificate profiles identify callers soundly.
 */
import { parseClientIp, sameIpAddress, type IpAddress } from './ip-address.js';

export interface CallerContainer {
  readonly id: string;
  /** First name without its leading `/`. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export class ContainerListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerListError';
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optional<T>(value: unknown, check: (v: unknown) => v is T, what: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (!check(value)) throw new ContainerListError(`container list: ${what} has an unexpected type`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
// Inside lists and maps Go decodes a JSON null into "" rather than failing.
const isStringOrNull = (v: unknown): v is string | null => v === null || isString(v);
const isStringArray = (v: unknown): v is (string | null)[] => Array.isArray(v) && v.every(isStringOrNull);
const isStringMap = (v: unknown): v is Record<string, string | null> =>
  isObject(v) && Object.values(v).every(isStringOrNull);

function addressesOf(container: Json): IpAddress[] {
  const settings = optional(container['NetworkSettings'], isObject, 'NetworkSettings');
  const networks = optional(settings?.['Networks'], isObject, 'NetworkSettings.Networks') ?? {};
  return Object.values(networks).flatMap((network) => {
    const entry = optional(network, isObject, 'a network') ?? {};
    return ['IPAddress', 'GlobalIPv6Address'].flatMap((field) => {
      const text = optional(entry[field], isString, field);
      return (text ? parseClientIp(text) : undefined) ?? [];
    });
  });
}

function toCaller(container: Json): CallerContainer {
  const names = optional(container['Names'], isStringArray, 'Names') ?? [];
  return {
    id: optional(container['Id'], isString, 'Id') ?? '',
    name: (names[0] ?? '').replace(/^\//, ''),
    labels: Object.fromEntries(
      Object.entries(optional(container['Labels'], isStringMap, 'Labels') ?? {}).map(([k, v]) => [k, v ?? '']),
    ),
  };
}

/** `containersJson` is the parsed body of `GET /containers/json`; `clientIp` the remote address. */
export function findContainerByIp(containersJson: unknown, clientIp: string): CallerContainer | undefined {
  if (!Array.isArray(containersJson)) throw new ContainerListError('container list: not a JSON array');
  // The whole list is checked before looking, as Go decodes it whole: a bad entry anywhere fails.
  const entries = containersJson.map((container: unknown) => {
    if (!isObject(container)) throw new ContainerListError('container list: an entry is not an object');
    return { caller: toCaller(container), addresses: addressesOf(container) };
  });
  const ip = parseClientIp(clientIp);
  if (!ip) return undefined;
  return entries.find((entry) => entry.addresses.some((address) => sameIpAddress(address, ip)))?.caller;
}
