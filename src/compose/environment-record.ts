/** A service's environment as the plain record the peer readers take: what the container gets, unset entries left out. */

import type { ComposeService } from './model.js';

export function environmentRecord(service: Pick<ComposeService, 'environment'>): Record<string, string> {
  // fromEntries defines own properties, so a variable named `__proto__` stays a variable.
  return Object.fromEntries(
    [...service.environment.values()].flatMap((entry) =>
      entry.value === undefined ? [] : [[entry.name, entry.value]],
    ),
  );
}
