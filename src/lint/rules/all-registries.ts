/**
 * `allow_all_registries: true` where a rule lets clients pull, load, deploy or install
 * (sockguard-config.md §8.2 image_pull, image_load, service, plugin): any image from any registry,
 * an attacker's included, reaches the daemon. Plugins run with the privileges they ask for.
 */
import { bodyScopes } from '../body-scopes.js';
import { defineRule, type LintFinding } from '../lint-rule.js';

const GROUPS = [
  { group: 'image_pull', method: 'POST', path: '/images/create', what: 'pull any image from any registry' },
  { group: 'image_load', method: 'POST', path: '/images/load', what: 'load images naming any registry' },
  { group: 'service', method: 'POST', path: '/services/create', what: 'run services from any registry' },
  {
    group: 'plugin',
    method: 'POST',
    path: '/plugins/pull',
    what: 'install plugins, which run privileged, from any registry',
  },
] as const;

export default defineRule({
  id: 'all-registries',
  family: 'exposure',
  severity: 'warning',
  summary: 'allow_all_registries lets clients fetch images from any registry',
  help: 'With allow_all_registries: true the image_pull, image_load, service and plugin inspectors accept images from any registry, including one an attacker runs, so any code can be brought onto the host. List the registries you use in allowed_registries (e.g. ghcr.io, registry.example.com) and keep allow_official: true for Docker Hub library images.',
  check: (context) => {
    const findings: LintFinding[] = [];
    for (const scope of bodyScopes(context)) {
      for (const { group, method, path, what } of GROUPS) {
        if (scope.block?.[group]?.allow_all_registries !== true) continue;
        const rule = scope.reachedBy(method, path);
        if (rule === undefined) continue;
        findings.push({
          message: `${scope.key}.${group}.allow_all_registries is true and ${rule} allows ${method} ${path}: clients may ${what}; set it to false and list the registries you use in ${scope.key}.${group}.allowed_registries (e.g. ghcr.io)`,
          pointer: `${scope.pointer}/${group}/allow_all_registries`,
        });
      }
    }
    return findings;
  },
});
