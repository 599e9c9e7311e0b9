/**
 * The notations `sockguard test` accepts for what a request carries besides its line: a header
 * `"Name: value"`, the client's source address, and the credentials of a unix-socket peer
 * `uid:gid[:pid]`. Shared by the command's flags and the case suites. Parsing is strict: these
 * values decide which profile a client gets, so nothing is guessed (no octal, no signs, no spaces).
 */
import { parseClientIp } from '../policy/clients/ip-address.js';
import type { UnixPeer } from '../policy/clients/resolve-profile.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Header names Node lower-cases; several values of one name stay in order. */
export type RequestHeaders = Record<string, string | string[]>;

export interface HeaderLine {
  /** Lower-cased, as Node presents it to the proxy. */
  name: string;
  value: string;
}

/** RFC 9110 token characters: what a header name may consist of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Framing headers describe the bytes on the wire, which serve checks before any inspector runs;
 * offline the body is given whole, so they would only pretend to test something.
 */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding']);

/** `Name: value`; the value is trimmed of optional white space like an HTTP parser does. */
export function parseHeaderLine(text: string): Parsed<HeaderLine> {
  const colon = text.indexOf(':');
  const name = colon < 0 ? '' : text.slice(0, colon);
  if (!TOKEN.test(name)) {
    return { ok: false, problem: `expected "Name: value" (e.g. "Content-Type: application/json"), got "${text}"` };
  }
  const value = text.slice(colon + 1).trim();
  // CR, LF and NUL cannot appear in a real header value; allowing them would test a request no
  // HTTP parser produces.
  if (/[\r\n\0]/.test(value)) return { ok: false, problem: `the value of ${name} contains a line break or NUL` };
  const lower = name.toLowerCase();
  if (FRAMING_HEADERS.has(lower)) {
    return {
      ok: false,
      problem: `${name} describes framing, which serve checks before inspection; offline the body is given whole (leave it out)`,
    };
  }
  return { ok: true, value: { name: lower, value } };
}

/** Adds a header; a repeated name keeps every value in order, as Node does for unknown headers. */
export function addHeader(headers: RequestHeaders, { name, value }: HeaderLine): void {
  const previous = headers[name];
  headers[name] = previous === undefined ? value : [...(typeof previous === 'string' ? [previous] : previous), value];
}

/** The first value of a header (names compared case-insensitively). */
export function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return typeof value === 'string' ? value : value?.[0];
}

/** Linux ids are unsigned 32-bit; (uid_t)-1 means "no id" and is never a peer's id. */
const MAX_ID = 0xfffffffe;
const DECIMAL = /^(0|[1-9]\d{0,9})$/;

function parseId(text: string, what: string): Parsed<number> {
  const value = Number(text);
  if (!DECIMAL.test(text) || value > MAX_ID) {
    return { ok: false, problem: `${what} must be a decimal number from 0 to ${MAX_ID}, got "${text}"` };
  }
  return { ok: true, value };
}

/** `uid:gid` or `uid:gid:pid` (pid 0: not visible in the proxy's pid namespace, the default). */
export function parseUnixPeer(text: string): Parsed<UnixPeer> {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3) {
    return { ok: false, problem: `expected uid:gid or uid:gid:pid (e.g. 1000:1000), got "${text}"` };
  }
  const [uidText, gidText, pidText] = parts as [string, string, string | undefined];
  const uid = parseId(uidText, 'uid');
  if (!uid.ok) return uid;
  const gid = parseId(gidText, 'gid');
  if (!gid.ok) return gid;
  const pid = pidText === undefined ? ({ ok: true, value: 0 } as const) : parseId(pidText, 'pid');
  if (!pid.ok) return pid;
  return { ok: true, value: { uid: uid.value, gid: gid.value, pid: pid.value } };
}

/**
 * A client source address as a socket reports it: IPv4, IPv6 (an IPv4-mapped one counts as the
 * IPv4 client, as in serve), an IPv6 zone allowed. No prefix length, no port, no brackets.
 */
export function parseSourceIp(text: string): Parsed<string> {
  if (parseClientIp(text) === undefined) {
    return {
      ok: false,
      problem: `expected an IP address such as 10.0.0.5 or fd00::5 (no port, no /prefix), got "${text}"`,
    };
  }
  return { ok: true, value: text };
}
