/**
 * The short volume syntax `[SOURCE:]TARGET[:OPTIONS]` as compose-go's ParseVolume reads it: a drive
 * letter (`C:`) is not a separator; options are comma-separated and the last of `ro`/`rw` wins, other
 * options are ignored; a source starting with `.`, `/`, `~`, `\\` or a drive letter is a bind mount,
 * anything else names a volume; a spec without a source is an anonymous volume.
 */

export interface VolumeSpec {
  type: 'bind' | 'volume';
  source?: string;
  target: string;
  readOnly: boolean;
}

export function parseVolumeSpec(spec: string): VolumeSpec | { error: string } {
  if (spec === '') return { error: 'empty volume' };
  if (spec.length <= 2) return { type: 'volume', target: spec, readOnly: false };
  const parts: string[] = [];
  let part = '';
  for (const char of spec) {
    if (char === ':' && !isDriveLetter(part)) {
      parts.push(part);
      part = '';
    } else {
      part += char;
    }
  }
  parts.push(part);
  if (parts.some((p) => p === '')) return { error: 'empty section between colons' };
  if (parts.length > 3) return { error: 'too many colons' };
  const [first = '', second, options] = parts;
  if (second === undefined) return { type: 'volume', target: first, readOnly: false };
  let readOnly = false;
  for (const option of (options ?? '').split(',')) {
    if (option === 'ro') readOnly = true;
    else if (option === 'rw') readOnly = false;
  }
  return { type: volumeTypeOf(first), source: first, target: second, readOnly };
}

/** A source that looks like a host path is a bind mount; anything else names a volume. */
export function volumeTypeOf(source: string | undefined): 'bind' | 'volume' {
  return source !== undefined && isHostPath(source) ? 'bind' : 'volume';
}

function isDriveLetter(part: string): boolean {
  return part.length === 1 && /\p{L}/u.test(part);
}

function isHostPath(source: string): boolean {
  return /^[./~]/.test(source) || source.startsWith('\\\\') || /^\p{L}:/u.test(source);
}
