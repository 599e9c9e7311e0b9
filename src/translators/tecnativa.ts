/**
 * Tecnativa/docker-socket-proxy settings (src/peers/tecnativa.ts) → a Sockguard policy with the same
 * intent (peers.md §1): one rule per enabled section, `GET,HEAD` behind the method gate, plus the
 * write methods dockerd serves in the section when `POST` was on; `ALLOW_*` action allows as
 * `POST` rules where they took effect; sensitive endpoints withheld unless kept. In Tecnativa the
 * gate runs before the `ALLOW_*` rules, so with `POST` off they never let a write through (§1.5):
 * the safe default keeps that no-op, the `ineffective-allows` choice applies the apparent intent.
 */
import { CONTAINER_ACTION_RULES, DOCKER_SECTION_RULES } from '../peers/haproxy-rules.js';
import type { TecnativaSettings } from '../peers/tecnativa.js';
import { assembleTranslation } from './assemble-translation.js';
import { convertFindings } from './peer-warnings.js';
import { translateHaproxyProcess } from './haproxy-process.js';
import { INEFFECTIVE_ALLOWS, translateHaproxyRules, type ActionGrant } from './haproxy-translation.js';
import type { TranslateOptions, Translation } from './types.js';

const GATE_FIRST = 'needs POST=1 in Tecnativa: the GET/HEAD gate runs before the ALLOW_* rules, so it had no effect';

export function translateTecnativa(settings: TecnativaSettings, options: TranslateOptions): Translation {
  const { image, toggles } = settings;
  const imageLabel = image.version === undefined ? 'Tecnativa (assumed v0.4.1)' : `Tecnativa v${image.version}`;
  const postOn = toggles['POST']?.effective === true;
  const actions: ActionGrant[] = CONTAINER_ACTION_RULES.map((rule) =>
    postOn ? { rule, reach: 'any-method' } : { rule, reach: 'get-head-only', ineffectiveBecause: GATE_FIRST },
  );
  const rules = translateHaproxyRules(
    { imageLabel, toggles, sections: DOCKER_SECTION_RULES, subpathDenies: [], actions, quirksKnown: true },
    options,
  );
  const process = translateHaproxyProcess({ imageLabel, ...settings });
  const applyIntent = rules.applied[INEFFECTIVE_ALLOWS] === 'apply-intent';
  const warnings = [
    ...convertFindings(settings.findings, 'tecnativa', (finding) =>
      finding.code === 'allow-needs-post'
        ? {
            explains: rules.explainsIneffective,
            outcome: applyIntent
              ? `As chosen (${INEFFECTIVE_ALLOWS}=apply-intent), the new policy allows POST on those paths.`
              : `The new policy keeps them without effect (the safe default); answer ${INEFFECTIVE_ALLOWS}=apply-intent to allow POST on those paths.`,
          }
        : undefined,
    ),
    ...process.warnings,
    ...rules.warnings,
  ];
  return assembleTranslation(
    'tecnativa',
    { rules: rules.rules, settings: process.settings, warnings, choices: rules.choices, applied: rules.applied },
    options,
  );
}
