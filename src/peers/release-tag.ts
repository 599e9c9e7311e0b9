/**
 * Image tags that name a dotted release (`0.4.1`, `0.4`, `2`), as published by Tecnativa and 11notes
 * (peers.md §1.1, §4.1). A tag with fewer than three parts floats to the newest release of that line.
 */

export interface ReleaseTag {
  /** Numeric parts as written: `[0, 4, 1]`, `[0, 4]`, `[2]`. */
  parts: readonly number[];
  /** True for `0.4` or `2`: the tag moves to the newest matching release. */
  floating: boolean;
}

const DOTTED_RELEASE = /^(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?(?:\.(0|[1-9][0-9]*))?$/;

/** Parses `X`, `X.Y` or `X.Y.Z` (no `v`, no suffix); anything else is not a release tag. */
export function parseReleaseTag(tag: string): ReleaseTag | undefined {
  const match = DOTTED_RELEASE.exec(tag);
  if (!match) return undefined;
  const parts = match.slice(1).flatMap((part) => (part === undefined ? [] : [Number(part)]));
  return { parts, floating: parts.length < 3 };
}

/** Compares two full versions part by part (missing parts count as 0). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * The newest known release a tag denotes: the release itself, or for a floating tag the newest
 * known release in its line. Undefined when no known release matches (a tag we have no data for).
 */
export function resolveReleaseTag(
  tag: ReleaseTag,
  knownReleases: readonly (readonly number[])[],
): readonly number[] | undefined {
  const matching = knownReleases.filter((release) => tag.parts.every((part, i) => release[i] === part));
  return matching.reduce<readonly number[] | undefined>(
    (newest, release) => (newest === undefined || compareVersions(release, newest) > 0 ? release : newest),
    undefined,
  );
}

export function formatVersion(parts: readonly number[]): string {
  return parts.join('.');
}
