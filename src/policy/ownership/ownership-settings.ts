/**
 * The `ownership` block as the enforcement core reads it (sockguard-config.md §10): undefined when
 * owner isolation is off (no `owner`).
 */
import type { Policy } from '../schema.js';
import type { OwnershipSettings } from './authorize-owned-request.js';

export function resolveOwnershipSettings(policy: Policy): OwnershipSettings | undefined {
  const { ownership } = policy;
  const owner = ownership.owner ?? '';
  if (owner === '') return undefined;
  return {
    owner,
    labelKey: ownership.label_key,
    allowUnownedImages: ownership.allow_unowned_images,
    allowCrossOwnerNamespaceSharing: ownership.allow_cross_owner_namespace_sharing,
  };
}
