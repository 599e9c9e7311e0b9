/**
 * Query parameters as dockerd reads them (security-notes.md D9, D10): Go's url.ParseQuery, the
 * first value of a repeated key wins, `+` is a space, and booleans are true unless they are one of
 * "", 0, no, false, none. Anything ParseQuery reports as an error (a `;` separator, a bad escape)
 * makes dockerd answer 400, so it is refused here too.
 */

export interface GoQuery {
  /** The first value, as r.Form.Get returns it; undefined when the key is absent. */
  get(name: string): string | undefined;
}

export type GoQueryResult = { ok: true; query: GoQuery } | { ok: false; problem: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function unescapeComponent(text: string): string | undefined {
  if (!text.includes('%') && !text.includes('+')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === 0x2b) {
      bytes.push(0x20);
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      for (const b of new TextEncoder().encode(text[i]!)) bytes.push(b);
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

export function parseGoQuery(rawQuery: string | undefined): GoQueryResult {
  const values = new Map<string, string>();
  for (const pair of (rawQuery ?? '').split('&')) {
    if (pair === '') continue;
    if (pair.includes(';')) return { ok: false, problem: 'the query string uses ";" as a separator' };
    const eq = pair.indexOf('=');
    const key = unescapeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = unescapeComponent(eq < 0 ? '' : pair.slice(eq + 1));
    if (key === undefined || value === undefined) {
      return { ok: false, problem: `the query parameter "${pair}" has an invalid escape` };
    }
    if (!values.has(key)) values.set(key, value);
  }
  return { ok: true, query: { get: (name) => values.get(name) } };
}

/** dockerd's httputils.BoolValue (D10): `stdin=on` and `force=x` are true. */
export function isGoTrue(value: string | undefined): boolean {
  const s = (value ?? '').trim().toLowerCase();
  return !(s === '' || s === '0' || s === 'no' || s === 'false' || s === 'none');
}
