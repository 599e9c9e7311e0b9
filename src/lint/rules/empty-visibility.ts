/**
 * Visibility that can never show anything (sockguard-config.md §7, §10): selectors are ANDed, so two
 * selectors requiring different values of one label key (`env=dev` and `env=prod`), or a selector
 * requiring another value of the ownership label key than `ownership.owner` while owner isolation is
 * on, hide every resource: every list comes back empty and every inspect is answered 404. A profile's
 * selectors apply on top of the root's (mergeVisibilitySettings), so a profile is checked with both;
 * a conflict is reported once, on the later selector.
 */
import { parseLabelSelector } from '../../policy/response/visibility.js';
import { defineRule, type LintFinding } from '../lint-rule.js';
import { ownershipOf, visibilityScopes } from '../response-scopes.js';

interface WrittenSelector {
  key: string;
  value: string;
  /** `response.visible_resource_labels[1]`, for messages. */
  name: string;
  pointer: string;
}

function valuedSelectors(key: string, pointer: string, entries: readonly [number, string][]): WrittenSelector[] {
  return entries.flatMap(([i, text]) => {
    const selector = parseLabelSelector(text);
    if (selector?.value === undefined) return [];
    return [
      {
        key: selector.key,
        value: selector.value,
        name: `${key}.visible_resource_labels[${i}]`,
        pointer: `${pointer}/visible_resource_labels/${i}`,
      },
    ];
  });
}

const HIDES_ALL = 'selectors are ANDed, so no resource passes: every list is empty and every inspect answers 404';

export default defineRule({
  id: 'empty-visibility',
  family: 'policy',
  severity: 'warning',
  summary: 'Visibility selectors that no resource can satisfy',
  help: "Every selector in response.visible_resource_labels (and a profile's on top of the root's) must hold for a resource to be visible, and with ownership.owner set the owner label must also equal the owner. Two selectors that require different values of the same label key, or a selector requiring another owner's value of the ownership label key, can never hold together: clients then see no containers, images or networks at all. Keep one value per key; to show several values, use profiles with one selector each.",
  check: (context) => {
    const ownership = ownershipOf(context);
    const [root, ...profiles] = visibilityScopes(context);
    const rootSelectors = valuedSelectors(root!.key, root!.pointer, root!.lists.visible_resource_labels);
    const findings: LintFinding[] = [];
    const check = (earlier: readonly WrittenSelector[], added: readonly WrittenSelector[]) => {
      const seen = [...earlier];
      for (const selector of added) {
        const conflict = seen.find((s) => s.key === selector.key && s.value !== selector.value);
        if (conflict !== undefined) {
          findings.push({
            message: `${selector.name} requires ${selector.key}=${selector.value} but ${conflict.name} requires ${conflict.key}=${conflict.value}: ${HIDES_ALL}`,
            pointer: selector.pointer,
          });
        } else if (ownership && selector.key === ownership.labelKey && selector.value !== ownership.owner) {
          findings.push({
            message: `${selector.name} requires ${selector.key}=${selector.value} but owner isolation shows only resources labelled ${ownership.labelKey}=${ownership.owner} (ownership.owner): ${HIDES_ALL}`,
            pointer: selector.pointer,
          });
        }
        seen.push(selector);
      }
    };
    check([], rootSelectors);
    for (const profile of profiles) {
      check(rootSelectors, valuedSelectors(profile.key, profile.pointer, profile.lists.visible_resource_labels));
    }
    return findings;
  },
});
