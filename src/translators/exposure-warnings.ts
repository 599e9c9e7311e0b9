/**
 * Warnings about what a translated rule list allows that behaves differently under Sockguard, or
 * exposes more than an owner probably expects, without being a startup-probe endpoint: container
 * creation is now body-inspected (strict defaults), and `GET /swarm` hands out the join tokens.
 * Neither changes a parity row (parity judges method and path only), so neither explains one.
 */
import type { Rule } from '../policy/defaults.js';
import { compileRules, evaluateRules } from '../policy/evaluate.js';
import type { TranslatedRule } from './translated-rule.js';
import type { MigrationWarning } from './types.js';

interface Exposure {
  method: string;
  path: string;
  code: string;
  severity: MigrationWarning['severity'];
  message: string;
}

const EXPOSURES: readonly Exposure[] = [
  {
    method: 'POST',
    path: '/containers/create',
    code: 'migrate/container-create-inspected',
    severity: 'warning',
    message:
      'The old proxy passed POST /containers/create without looking at the body. Sockguard inspects it and by default denies privileged containers, host namespaces, bind mounts, devices and added capabilities (request_body.container_create); clients that create or recreate containers with such settings (Watchtower, Portainer, CI runners) need them allowed there explicitly.',
  },
  {
    method: 'GET',
    path: '/swarm',
    code: 'migrate/swarm-join-tokens-exposed',
    severity: 'warning',
    message:
      'GET /swarm returns the swarm join tokens (worker and manager): whoever reads them can join nodes to the cluster, a manager token gives full control. The old configuration exposed it and the new policy keeps it for parity; deny GET /swarm unless a client needs it.',
  },
];

export function warnAboutExposures(rules: readonly TranslatedRule[]): MigrationWarning[] {
  const compiled = compileRules(rules.map((r) => r.rule as Rule));
  return EXPOSURES.flatMap((exposure): MigrationWarning[] => {
    const decision = evaluateRules(compiled, exposure.method, exposure.path);
    if (decision.decision !== 'allow' || !decision.matched) return [];
    const origin = rules[decision.matched.index]?.origin;
    return [
      {
        code: exposure.code,
        severity: exposure.severity,
        message: exposure.message,
        ...(origin === undefined ? {} : { origin }),
      },
    ];
  });
}
