/**
 * Go's net.ParseIP, net.ParseCIDR and IPNet.Contains, for wollomatic's `-listenip` check and its
 * `-allowfrom` admission (peers.md §3.2, §3.5). Addresses are 16-byte arrays; IPv4 is stored
 * IPv4-mapped like Go, and Contains compares in the IPv4 form whenever both sides have one.
 */

export type GoIP = Uint8Array;

export interface GoCIDR {
  /** Network number, 4 bytes (IPv4 CIDR) or 16 bytes. */
  network: Uint8Array;
  mask: Uint8Array;
}

/** net.ParseIP: dotted IPv4 (no leading zeros, since Go 1.17) or RFC 4291 IPv6 without a zone. */
export function parseGoIP(text: string): GoIP | undefined {
  if (text.includes('.') && !text.includes(':')) {
    const v4 = parseIPv4(text);
    return v4 && mapV4(v4);
  }
  if (text.includes(':')) return parseIPv6(text);
  return undefined;
}

/** net.ParseCIDR: `<ip>/<decimal prefix length>`, prefix within the address size. */
export function parseGoCIDR(text: string): GoCIDR | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  const ip = parseGoIP(addr);
  if (!ip) return undefined;
  const isV4 = !addr.includes(':');
  const size = isV4 ? 32 : 128;
  // Go's dtoi: decimal digits only (leading zeros accepted), the whole rest must be consumed.
  if (!/^[0-9]{1,8}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  if (bits > size) return undefined;
  const mask = new Uint8Array(size / 8);
  for (let b = 0; b < bits; b++) mask[b >> 3]! |= 0x80 >> (b & 7);
  const raw = isV4 ? ip.slice(12) : ip;
  const network = raw.map((byte, k) => byte & mask[k]!);
  return { network, mask };
}

/** IPNet.Contains. */
export function containsGoIP(cidr: GoCIDR, ip: GoIP): boolean {
  let network = cidr.network;
  let mask = cidr.mask;
  const network4 = to4(network);
  if (network4) {
    network = network4;
    if (mask.length === 16) mask = mask.slice(12);
  }
  const candidate = to4(ip) ?? ip;
  if (candidate.length !== network.length || mask.length !== network.length) return false;
  return candidate.every((byte, k) => (byte & mask[k]!) === network[k]);
}

/** net.IP.Equal. */
export function equalGoIP(a: GoIP, b: GoIP): boolean {
  return a.length === b.length && a.every((byte, k) => byte === b[k]);
}

/** Whether the address has an IPv4 form (To4() != nil). */
export function isGoIPv4(ip: GoIP): boolean {
  return to4(ip) !== undefined;
}

function to4(ip: Uint8Array): Uint8Array | undefined {
  if (ip.length === 4) return ip;
  if (ip.length === 16 && ip.slice(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff) {
    return ip.slice(12);
  }
  return undefined;
}

function mapV4(v4: Uint8Array): GoIP {
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out.set(v4, 12);
  return out;
}

function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let k = 0; k < 4; k++) {
    const part = parts[k]!;
    if (!/^[0-9]{1,3}$/.test(part) || (part.length > 1 && part[0] === '0')) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out[k] = n;
  }
  return out;
}

function parseIPv6(text: string): GoIP | undefined {
  const out = new Uint8Array(16);
  let s = text;
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return out;
  }
  let i = 0;
  while (i < 16) {
    const hex = /^[0-9a-fA-F]{1,4}/.exec(s);
    if (!hex) return undefined;
    // An embedded IPv4 address may end the address.
    if (s.length > hex[0].length && s[hex[0].length] === '.') {
      if (ellipsis < 0 && i !== 12) return undefined;
      if (i + 4 > 16) return undefined;
      const v4 = parseIPv4(s);
      if (!v4) return undefined;
      out.set(v4, i);
      i += 4;
      s = '';
      break;
    }
    const n = parseInt(hex[0], 16);
    out[i] = n >> 8;
    out[i + 1] = n & 0xff;
    i += 2;
    s = s.slice(hex[0].length);
    if (s === '') break;
    if (s[0] !== ':' || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) out[j + n] = out[j]!;
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) out[j] = 0;
  } else if (ellipsis >= 0) {
    return undefined;
  }
  return out;
}
