/**
 * Whether a `user[:group]` spec runs as root (security-notes.md §9, §15.2). The UID is parsed with
 * Go's strconv.Atoi, so `0`, `00`, `+0` and `-0` are root; `root` by name is root; an empty user
 * means the image default, which is usually root and is treated as root.
 */
export function isRootUser(user: string | undefined): boolean {
  const spec = (user ?? '').trim();
  const name = (spec.includes(':') ? spec.slice(0, spec.indexOf(':')) : spec).trim();
  return name === '' || name.toLowerCase() === 'root' || /^[+-]?0+$/.test(name);
}
