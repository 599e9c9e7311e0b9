/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and never cross the proxy, in either
 * direction: forwarding `Connection: Upgrade`/`Upgrade` is what turns a plain request into an
 * optimistic protocol switch (security-notes.md §6), and forwarding `Transfer-Encoding` or `Expect`
 * lets the daemon frame or pre-answer a body differently from how we read it (§7).
 * Pinned by test/proxy/small-modules.test.ts (stripHopByHop) and test/proxy/forward.test.ts (both
 * directions through a running proxy).
 */

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

/** Header names listed in `Connection` are hop-by-hop too (`Connection: close, X-Foo`). */
function connectionTokens(rawHeaders: readonly string[]): Set<string> {
  const tokens = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== 'connection') continue;
    for (const token of rawHeaders[i + 1]!.split(',')) {
      const name = token.trim().toLowerCase();
      if (name !== '') tokens.add(name);
    }
  }
  return tokens;
}

/**
 * Returns Node's flat raw header list ([name, value, name, value, ...]) without hop-by-hop headers
 * and without any header in `drop` (lower-case names). Case, order and repeats are kept.
 */
export function stripHopByHop(rawHeaders: readonly string[], drop: ReadonlySet<string> = new Set()): string[] {
  const listed = connectionTokens(rawHeaders);
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || listed.has(lower) || lower.startsWith('proxy-') || drop.has(lower)) continue;
    out.push(name, rawHeaders[i + 1]!);
  }
  return out;
}

/** Reads one header from a flat raw list (first occurrence), case-insensitively. */
export function rawHeaderValue(rawHeaders: readonly string[], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === lower) return rawHeaders[i + 1];
  }
  return undefined;
}

/** Returns the flat raw header list without the named headers (lower-case names). */
export function removeHeaders(rawHeaders: readonly string[], names: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (!names.has(rawHeaders[i]!.toLowerCase())) out.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return out;
}
