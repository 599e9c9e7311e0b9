/** A service's environment as the plain record the peer readers take: what the container gets, unset entries left out. */

import type { ComposeService } from './model.js';

export function environmentRecord(service: Pick<ComposeService, 'environment'>): Record<string, string> {
  const record: Record<string, string> = {};
  for (const entry of service.environment.values()) if (entry.value !== undefined) record[entry.name] = entry.value;
  return record;
}
