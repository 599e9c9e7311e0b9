/**
 * Matches one argv token against one token of an exec template (sockguard-config.md §8.2
 * allowed_commands) with the glob dialect of the rules (glob.ts): `*` is a run without `/`, `**` any
 * run, `/**` nothing or `/` plus any run. A backtracking regex would take polynomial time on a
 * hostile token against a template with several wildcards, so the pattern runs as an NFA: at most
 * tokens x pattern steps. Tokens longer than the kernel's per-argument limit could never be executed
 * and match nothing.
 */

/** Linux MAX_ARG_STRLEN: execve refuses a longer argument. */
export const MAX_ARGV_TOKEN_LENGTH = 131072;

type Item =
  | { kind: 'char'; code: number }
  | { kind: 'star' }
  | { kind: 'any' }
  /** The `/` of `/**`, skippable together with the `**` after it. */
  | { kind: 'optional-slash' };

const SLASH = 0x2f;

function parse(pattern: string): Item[] {
  const items: Item[] = [];
  for (let i = 0; i < pattern.length; i++) {
    if (pattern.startsWith('/**', i)) {
      items.push({ kind: 'optional-slash' }, { kind: 'any' });
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      items.push({ kind: 'any' });
      i += 1;
    } else if (pattern[i] === '*') {
      items.push({ kind: 'star' });
    } else {
      items.push({ kind: 'char', code: pattern.charCodeAt(i) });
    }
  }
  return items;
}

export function compileArgvGlob(pattern: string): (token: string) => boolean {
  if (!pattern.includes('*')) return (token) => token === pattern;
  const items = parse(pattern);
  const end = items.length;
  /** Adds a state and everything reachable from it without reading a character. */
  const add = (set: Uint8Array, state: number): void => {
    while (state <= end && set[state] === 0) {
      set[state] = 1;
      const item = items[state];
      if (item === undefined || item.kind === 'char') return;
      if (item.kind === 'optional-slash') {
        state += 2;
      } else {
        state += 1;
      }
    }
  };
  return (token) => {
    if (token.length > MAX_ARGV_TOKEN_LENGTH) return false;
    let current = new Uint8Array(end + 1);
    let next = new Uint8Array(end + 1);
    add(current, 0);
    for (let i = 0; i < token.length; i++) {
      const code = token.charCodeAt(i);
      next.fill(0);
      let alive = false;
      for (let state = 0; state < end; state++) {
        if (current[state] === 0) continue;
        const item = items[state]!;
        if (item.kind === 'char') {
          if (item.code === code) add(next, state + 1);
        } else if (item.kind === 'any' || (item.kind === 'star' && code !== SLASH)) {
          add(next, state);
        } else if (item.kind === 'optional-slash' && code === SLASH) {
          add(next, state + 1);
        } else {
          continue;
        }
        alive = true;
      }
      if (!alive) return false;
      [current, next] = [next, current];
    }
    return current[end] === 1;
  };
}
