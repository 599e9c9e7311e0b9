/**
 * `ownership.allow_unowned_images: false` while a rule lets clients pull or load images
 * (sockguard-config.md §10): pulled and loaded images carry no owner label (classify-owned-request.ts
 * treats those endpoints as global), so the owner cannot list, inspect or run what it just fetched;
 * only images built through POST /build are stamped. Info: it may be intended (build-only clients).
 */
import { defineRule } from '../lint-rule.js';
import { firstReached, ownershipOf } from '../response-scopes.js';

const FETCHES = [
  { method: 'POST', path: '/images/create' },
  { method: 'POST', path: '/images/load' },
];

export default defineRule({
  id: 'unowned-images',
  family: 'policy',
  severity: 'info',
  summary: 'Images pulled under owner isolation are unusable with allow_unowned_images: false',
  help: "Owner isolation stamps the owner label on what clients create, but a pulled (POST /images/create) or loaded (POST /images/load) image gets no label. With ownership.allow_unowned_images: false such images are hidden from the owner's image list and every request naming them, container creates included, is denied with 403 owner_policy_denied_access; only images built through POST /build carry the label. Set allow_unowned_images: true (the default) if clients run pulled images, or keep it false for build-only clients and remove the pull rule.",
  check: (context) => {
    const ownership = ownershipOf(context);
    if (!ownership || ownership.allowUnownedImages) return [];
    const reached = firstReached(context, FETCHES);
    if (reached === undefined) return [];
    return [
      {
        message: `ownership.allow_unowned_images is false and ${reached.rule} allows ${reached.method} ${reached.path}: pulled and loaded images carry no owner label, so owner "${ownership.owner}" cannot list, inspect or run them (403 owner_policy_denied_access); only images built through POST /build are usable`,
        pointer: '/ownership/allow_unowned_images',
      },
    ];
  },
});
