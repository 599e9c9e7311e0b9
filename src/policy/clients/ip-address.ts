/**
 * IP addresses and CIDR prefixes for client admission, parsed strictly and compared as Go's
 * net/netip does (the Go proxy's clientacl package): a client address is unmapped first
 * (`::ffff:10.0.0.1` is the IPv4 client 10.0.0.1), an IPv4 prefix never contains an IPv6 address
 * and the reverse (so `::/0` does not admit IPv4 clients, nor `::ffff:0:0/96`), and an address with
 * an IPv6 zone (`fe80::1%eth0`) is contained in no prefix.
 *
 * Strictness matters because these strings decide who may talk to the Docker daemon: IPv4 octets
 * with leading zeros (`010.0.0.1`, octal to inet_aton) and prefix lengths with leading zeros or
 * signs are refused, never guessed.
 */

export interface IpAddress {
  readonly family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  readonly bytes: Uint8Array;
  /** IPv6 zone (`eth0` in `fe80::1%eth0`), absent for most addresses. */
  readonly zone?: string;
}

export interface IpPrefix {
  readonly family: 4 | 6;
  /** The address with the host bits cleared (Go's Prefix.Masked). */
  readonly bytes: Uint8Array;
  readonly bits: number;
  /** As written in the policy, for messages. */
  readonly text: string;
}

const IPV4_OCTET = /^(0|[1-9]\d{0,2})$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;
const PREFIX_BITS = /^(0|[1-9]\d{0,2})$/;

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!IPV4_OCTET.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

/** Groups of one side of `::`; an embedded IPv4 address is allowed only as the very last group. */
function parseIpv6Groups(part: string, mayEndInIpv4: boolean): number[] | undefined {
  if (part === '') return [];
  const groups = part.split(':');
  const out: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]!;
    if (mayEndInIpv4 && i === groups.length - 1 && group.includes('.')) {
      const v4 = parseIpv4(group);
      if (!v4) return undefined;
      out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (IPV6_GROUP.test(group)) {
      out.push(parseInt(group, 16));
    } else {
      return undefined;
    }
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const compressed = halves.length === 2;
  const head = parseIpv6Groups(halves[0]!, !compressed);
  const tail = compressed ? parseIpv6Groups(halves[1]!, true) : [];
  if (!head || !tail) return undefined;
  // `::` stands for at least one zero group.
  if (compressed ? head.length + tail.length > 7 : head.length !== 8) return undefined;
  const groups = [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

/** Parses an IPv4 or IPv6 address (optionally with a zone), or undefined. Not unmapped. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (!text.includes(':')) {
    const bytes = parseIpv4(text);
    return bytes ? { family: 4, bytes } : undefined;
  }
  const percent = text.indexOf('%');
  const zone = percent >= 0 ? text.slice(percent + 1) : undefined;
  if (zone === '') return undefined;
  const bytes = parseIpv6(percent >= 0 ? text.slice(0, percent) : text);
  if (!bytes) return undefined;
  return zone !== undefined ? { family: 6, bytes, zone } : { family: 6, bytes };
}

function isIpv4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** `::ffff:a.b.c.d` becomes the IPv4 address a.b.c.d (Go's Addr.Unmap); everything else is unchanged. */
export function unmapIpAddress(ip: IpAddress): IpAddress {
  if (ip.family === 6 && isIpv4Mapped(ip.bytes)) return { family: 4, bytes: ip.bytes.slice(12) };
  return ip;
}

/** Parses and unmaps a client address; undefined when it is not an IP address (e.g. a unix client). */
export function parseClientIp(text: string | undefined): IpAddress | undefined {
  const ip = text === undefined ? undefined : parseIpAddress(text);
  return ip && unmapIpAddress(ip);
}

/** Parses `address/bits` like Go's netip.ParsePrefix (no zone, canonical decimal bits) and masks it. */
export function parseIpPrefix(text: string): IpPrefix | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpAddress(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (!address || address.zone !== undefined || !PREFIX_BITS.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  if (bits > address.bytes.length * 8) return undefined;
  const bytes = address.bytes.slice();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.min(8, Math.max(0, bits - 8 * i));
    bytes[i] = bytes[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return { family: address.family, bytes, bits, text };
}

export function prefixContains(prefix: IpPrefix, ip: IpAddress): boolean {
  if (prefix.family !== ip.family || ip.zone !== undefined) return false;
  const whole = prefix.bits >> 3;
  for (let i = 0; i < whole; i++) if (prefix.bytes[i] !== ip.bytes[i]) return false;
  const rest = prefix.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((ip.bytes[whole]! ^ prefix.bytes[whole]!) & mask) === 0;
}

export function anyPrefixContains(prefixes: readonly IpPrefix[], ip: IpAddress): boolean {
  return prefixes.some((prefix) => prefixContains(prefix, ip));
}

export function sameIpAddress(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.zone === b.zone && a.bytes.every((byte, i) => byte === b.bytes[i]);
}

/** One spelling per address, for keys: dotted quad, or eight lower-case hex groups (zone kept). */
export function formatIpAddress(ip: IpAddress): string {
  if (ip.family === 4) return ip.bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip.bytes[i]! << 8) | ip.bytes[i + 1]!).toString(16));
  return groups.join(':') + (ip.zone !== undefined ? `%${ip.zone}` : '');
}
