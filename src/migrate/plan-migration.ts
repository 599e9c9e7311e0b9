/**
 * `sockguard migrate` as a pure pipeline: one compose project in, one migration plan per proxy
 * service out (or one plan for `--from` input).
 *
 *   1. select the proxy services (image detection, `--service`, `--source`);
 *   2. read each as its source proxy does and translate it;
 *   3. collect the warnings that need the compose file (published ports, socket mount, consumers
 *      and their endpoints, environment left behind);
 *   4. stringify the policy with origin comments, lint it (an error is a translator bug and stops
 *      the run), and prove parity against the old proxy's emulator over the request corpus;
 *   5. rewrite the compose files (image, environment, command, policy mount).
 */
import type { ComposeProject, ComposeService } from '../compose/model.js';
import { rewriteProxyService } from '../compose/rewrite-service.js';
import { lintPolicy } from '../lint/lint-policy.js';
import { compilePolicy } from '../policy/compile.js';
import { loadPolicy } from '../policy/load.js';
import type { PolicyDocument } from '../policy/schema.js';
import { stringifyPolicy } from '../policy/stringify.js';
import type { TranslateOptions } from '../translators/types.js';
import { NON_CANONICAL_TARGET_REJECTED } from '../verify/explanations.js';
import { checkParity, type ParityOutcome } from './check-parity.js';
import { buildComposeSubject, selectProxyServices, type ServiceSelection } from './compose-subject.js';
import {
  checkConsumers,
  checkLeftoverEnvironment,
  checkPublishedPorts,
  checkSocketMount,
} from './deployment-warnings.js';
import { findConsumers } from './find-consumers.js';
import { placeWarning, sortWarnings, type LocatedWarning } from './located-warning.js';
import { MigrateError } from './migrate-error.js';
import type { ComposeChange, MigrationPlan } from './migration-plan.js';
import type { MigrationSubject } from './peer-input.js';
import { buildServiceChange, listRemovedVariables } from './service-change.js';
import { readSource } from './source-registry.js';
import { buildStandaloneSubject, type StandaloneInput } from './standalone-subject.js';

export interface PlanOptions {
  selection?: ServiceSelection;
  /** `--keep-exfiltration`. */
  keepExfiltration: boolean;
  /** Answers to translation choices, by subject name, then choice id (`--interactive`). */
  answers?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Host path of the policy file for a subject, knowing how many subjects there are. */
  policyPath: (subject: string, count: number) => string;
  /** Reads a host file: compose files for the rewrite, rules files behind bind mounts. */
  readText: (path: string) => string | undefined;
}

/** The compose context of a subject; absent for `--from` input. */
interface Deployment {
  project: ComposeProject;
  service: ComposeService;
  /** Compose file texts as the previous plans left them: each proxy's rewrite builds on the last. */
  texts: Map<string, string>;
}

/** One plan per proxy service of the project. */
export function planMigration(project: ComposeProject, options: PlanOptions): MigrationPlan[] {
  const selected = selectProxyServices(project, options.selection ?? {});
  const texts = new Map<string, string>();
  for (const file of project.files) {
    const text = options.readText(file);
    if (text !== undefined) texts.set(file, text);
  }
  return selected.map(({ service, detection }) =>
    migrateSubject(buildComposeSubject(project, service, detection, options.readText), options, selected.length, {
      project,
      service,
      texts,
    }),
  );
}

/** The plan for a proxy configured without compose (`--from`). */
export function planStandaloneMigration(input: StandaloneInput, options: PlanOptions): MigrationPlan {
  return migrateSubject(buildStandaloneSubject(input), options, 1, undefined);
}

function migrateSubject(
  subject: MigrationSubject,
  options: PlanOptions,
  count: number,
  deployment: Deployment | undefined,
): MigrationPlan {
  const { source } = subject.detection;
  const reading = readSource(source, subject.input);
  const translateOptions: TranslateOptions = {
    keepExfiltration: options.keepExfiltration,
    answers: options.answers?.[subject.name] ?? {},
  };
  const translation = reading.translate(translateOptions);
  const consumers = deployment ? findConsumers(deployment.project, deployment.service) : [];
  const { policy } = translation;
  const policyPath = options.policyPath(subject.name, count);
  const policyText = stringifyPolicy(policy, {
    header: describePolicy(subject, reading.release.note),
    ruleComments: translation.ruleOrigins,
  });

  // Lint and compile with the environment Sockguard will run with: what the rewrite leaves.
  const env = deployment ? environmentAfterRewrite(deployment.service) : {};
  const loaded = loadPolicy(policyText, { file: policyPath });
  const lint = lintPolicy(loaded, { env });
  const error = lint.find((d) => d.severity === 'error');
  if (error || !loaded.policy) {
    const where = error?.range
      ? `${policyPath}:${error.range.start.line}:${error.range.start.col}: `
      : `${policyPath}: `;
    throw new MigrateError(
      'migrate/invalid-policy',
      `the policy generated for ${subject.name} does not pass lint (a ${source} translator bug, please report it): ${where}${error?.code ?? 'invalid'} ${error?.message ?? ''}`.trimEnd(),
    );
  }
  const parity = checkParity(reading.compileEmulator, compilePolicy(loaded.policy, { env }), translation.warnings);

  const locate = (origin: string | undefined) => (origin === undefined ? undefined : subject.input.locate(origin));
  const fallback = deployment?.service;
  const warnings: LocatedWarning[] = [
    ...translation.warnings.map((w) => placeWarning(w, locate(w.origin) ?? fallback)),
    ...(deployment ? deploymentWarnings(deployment.service, policy, consumers) : []),
    ...parityWarnings(parity),
  ];

  return {
    name: subject.name,
    detection: subject.detection,
    release: reading.release,
    policyPath,
    policy,
    policyText,
    choices: translation.choices.map((choice) => ({
      choice,
      applied: translation.applied[choice.id] ?? choice.safeDefault,
    })),
    warnings: sortWarnings(warnings),
    lint,
    parity,
    composeChanges: deployment ? rewriteCompose(deployment, source, policyPath, reading.configurationFiles) : [],
    translation,
  };
}

function describePolicy(subject: MigrationSubject, releaseNote: string): string[] {
  const { detection } = subject;
  const from = detection.image !== undefined ? `${subject.name} (${detection.image})` : subject.name;
  return [
    `Sockguard policy generated by \`sockguard migrate\` from ${from}.`,
    `Source: ${detection.source}; ${releaseNote}.`,
    'Each rule names what it was translated from; read the migration report before deploying.',
  ];
}

/** The service's environment as Sockguard sees it after the rewrite. */
function environmentAfterRewrite(service: ComposeService): Record<string, string> {
  const removed = listRemovedVariables(service);
  return Object.fromEntries(
    [...service.environment.values()].flatMap((entry) =>
      entry.value === undefined || removed.has(entry.name) ? [] : [[entry.name, entry.value]],
    ),
  );
}

function deploymentWarnings(
  service: ComposeService,
  policy: PolicyDocument,
  consumers: ReturnType<typeof findConsumers>,
): LocatedWarning[] {
  return [
    ...checkPublishedPorts(service, policy),
    ...checkSocketMount(service, policy),
    ...checkConsumers(consumers, policy),
    ...checkLeftoverEnvironment(service, listRemovedVariables(service)),
  ];
}

/** Strict canonicalisation is announced only when it explains a difference; missing parity is a warning. */
function parityWarnings(parity: ParityOutcome): LocatedWarning[] {
  if (parity.kind === 'unavailable') {
    return [
      {
        code: 'migrate/parity-unavailable',
        severity: 'warning',
        message: `Parity could not be checked: ${parity.reason.replace(/\.$/, '')}. The old proxy's behaviour is not reproduced, so differences are not reported.`,
      },
    ];
  }
  const explainsSome = parity.result.rows.some((row) => row.explainedBy.includes(NON_CANONICAL_TARGET_REJECTED.code));
  if (!explainsSome) return [];
  const { code, message } = NON_CANONICAL_TARGET_REJECTED;
  return [{ code, severity: 'info', message }];
}

/** This service's change to each compose file, applied on top of the previous plans' changes. */
function rewriteCompose(
  { project, service, texts }: Deployment,
  source: MigrationSubject['detection']['source'],
  policyPath: string,
  configurationFiles: readonly string[],
): ComposeChange[] {
  const change = buildServiceChange(source, service, project.projectDir, policyPath, configurationFiles);
  return project.files.flatMap((file): ComposeChange[] => {
    const before = texts.get(file);
    if (before === undefined) return [];
    const result = rewriteProxyService(before, service.name, change);
    if (!result.ok) throw new MigrateError('migrate/rewrite-failed', `${file}: cannot rewrite: ${result.error}`);
    if (!result.changed) return [];
    texts.set(file, result.text);
    return [{ file, before, after: result.text }];
  });
}
