/**
 * Source-independent last step of every translation: find the sensitive endpoints
 * (sensitive-endpoints.ts) the translated rules allow, and either withhold them — deny rules placed
 * before the first rule that allows any of them, with a warning that lists them and explains exactly
 * the parity rows those denies tighten — or keep them and set the acknowledgement Sockguard needs to
 * start (`insecure_allow_read_exfiltration`, `insecure_allow_body_blind_writes`,
 * `insecure_accept_opaque_buildkit_tunnels`). Withholding is the default; keeping is a choice.
 *
 *   const outcome = withholdSensitiveEndpoints(rules, options);
 *   policy = { ...outcome.acknowledgements, rules: outcome.rules.map((r) => r.rule) };
 *
 * Run it last: the warnings' explanations match the inserted deny rules by method and path, so
 * rules added afterwards are fine, but only these rules' exposure is analysed.
 */
import type { Rule } from '../policy/defaults.js';
import { compileRules, evaluateRules } from '../policy/evaluate.js';
import { compileGlob } from '../policy/glob.js';
import { methodMatches, parseMethodSet } from '../policy/methods.js';
import type { PolicyDocument } from '../policy/schema.js';
import { resolveChoice } from './resolve-choice.js';
import {
  hasSlashName,
  listSamplePaths,
  SENSITIVE_ENDPOINTS,
  toProbePath,
  type SensitiveEndpoint,
  type SensitiveGroup,
} from './sensitive-endpoints.js';
import { createDeny, type TranslatedRule } from './translated-rule.js';
import type { DifferenceView, MigrationWarning, TranslateOptions, TranslationChoice } from './types.js';

export type Acknowledgements = Pick<
  PolicyDocument,
  'insecure_allow_read_exfiltration' | 'insecure_allow_body_blind_writes' | 'insecure_accept_opaque_buildkit_tunnels'
>;

export interface SensitiveOutcome {
  /** The input rules with the withheld endpoints' deny rules inserted. */
  rules: TranslatedRule[];
  /** Acknowledgements for the kept groups (merge into the policy). */
  acknowledgements: Acknowledgements;
  warnings: MigrationWarning[];
  /** Only the choices whose endpoints the rules expose. */
  choices: TranslationChoice[];
  applied: Record<string, string>;
}

/** Choice ids (also answerable by flags: `--keep-exfiltration` answers the first). */
export const KEEP_READ_EXFILTRATION = 'keep-read-exfiltration';
export const KEEP_BODY_BLIND_WRITES = 'keep-body-blind-writes';
export const KEEP_BUILDKIT_TUNNELS = 'keep-buildkit-tunnels';

const WITHHOLD = 'withhold';
const KEEP = 'keep';

interface GroupSpec {
  choiceId: string;
  ack: keyof Acknowledgements;
  /** What the endpoints do, for messages. */
  what: string;
  /** How to keep them, for messages. */
  howToKeep: string;
  /** What to do instead of keeping them blind, for messages ('' when nothing). */
  instead: string;
  reason: string;
}

const GROUPS: Readonly<Record<SensitiveGroup, GroupSpec>> = {
  'read-exfiltration': {
    choiceId: KEEP_READ_EXFILTRATION,
    ack: 'insecure_allow_read_exfiltration',
    what: 'stream container files, logs, attach sessions, image exports or registry pushes',
    howToKeep: 'run with --keep-exfiltration',
    instead: 'Allow only the list/inspect endpoints your clients need.',
    reason: 'read exfiltration withheld by migration',
  },
  'body-blind-exec': {
    choiceId: KEEP_BODY_BLIND_WRITES,
    ack: 'insecure_allow_body_blind_writes',
    what: 'create or start exec sessions, i.e. run any command in any container, unchecked',
    howToKeep: `answer ${KEEP_BODY_BLIND_WRITES}=${KEEP}`,
    instead: 'To allow specific commands, list them in request_body.exec.allowed_commands and allow these endpoints.',
    reason: 'body-blind exec withheld by migration',
  },
  'body-blind-write': {
    choiceId: KEEP_BODY_BLIND_WRITES,
    ack: 'insecure_allow_body_blind_writes',
    what: 'apply request bodies no Sockguard inspector checks (swarm join, plugin settings, kube play, manifests)',
    howToKeep: `answer ${KEEP_BODY_BLIND_WRITES}=${KEEP}`,
    instead: '',
    reason: 'body-blind write withheld by migration',
  },
  'buildkit-tunnel': {
    choiceId: KEEP_BUILDKIT_TUNNELS,
    ack: 'insecure_accept_opaque_buildkit_tunnels',
    what: 'open opaque BuildKit tunnels (/session, /grpc) that Sockguard cannot filter',
    howToKeep: `answer ${KEEP_BUILDKIT_TUNNELS}=${KEEP} (sets the deprecated insecure_accept_opaque_buildkit_tunnels)`,
    instead: 'A request_body.buildkit block mediates them instead.',
    reason: 'BuildKit tunnel withheld by migration',
  },
};

const GROUP_ORDER: readonly SensitiveGroup[] = [
  'read-exfiltration',
  'body-blind-exec',
  'body-blind-write',
  'buildkit-tunnel',
];

interface Exposure {
  endpoint: SensitiveEndpoint;
  /** The endpoint's methods the rules allow on some sample path. */
  methods: string[];
  /** Index of the first rule that allows one of them. */
  firstIndex: number;
  /** True when the probe-shaped path (one id segment) is denied already and only names containing `/` get through. */
  onlySlashNames: boolean;
}

function findExposures(rules: readonly TranslatedRule[]): Exposure[] {
  const compiled = compileRules(rules.map((r) => r.rule as Rule));
  return SENSITIVE_ENDPOINTS.flatMap((endpoint): Exposure[] => {
    let firstIndex = Infinity;
    let probeAllowed = false;
    let slashNameAllowed = false;
    const probe = toProbePath(endpoint.path);
    const methods = endpoint.methods.filter((method) => {
      let allowed = false;
      for (const path of listSamplePaths(endpoint.path)) {
        const decision = evaluateRules(compiled, method, path);
        if (decision.decision !== 'allow' || !decision.matched) continue;
        allowed = true;
        probeAllowed ||= path === probe;
        slashNameAllowed ||= hasSlashName(path);
        firstIndex = Math.min(firstIndex, decision.matched.index);
      }
      return allowed;
    });
    if (methods.length === 0) return [];
    return [{ endpoint, methods, firstIndex, onlySlashNames: !probeAllowed && slashNameAllowed }];
  });
}

const describe = (exposure: Exposure): string =>
  `${exposure.methods.join(',')} ${exposure.endpoint.display}${exposure.onlySlashNames ? ' (for names containing /: link aliases, registry paths)' : ''}`;

function createChoice(spec: GroupSpec, exposures: readonly Exposure[]): TranslationChoice {
  const list = exposures.map(describe).join('; ');
  return {
    id: spec.choiceId,
    question: `The old proxy allowed endpoints that ${spec.what}: ${list}. Keep them?`,
    options: [
      {
        value: WITHHOLD,
        label: 'Withhold them (safe)',
        effect: `deny rules for ${list} before the rule that allowed them`,
      },
      { value: KEEP, label: 'Keep them', effect: `keep them allowed and set ${spec.ack}: true` },
    ],
    safeDefault: WITHHOLD,
  };
}

/** True for rows a set of inserted deny rules decides: tightened, and the rule matches method and path. */
function explainedByDenies(denies: readonly TranslatedRule[]): (row: DifferenceView) => boolean {
  const matchers = denies.map((d) => ({
    methods: parseMethodSet(d.rule.match.method),
    glob: compileGlob(d.rule.match.path),
  }));
  return (row) => {
    const path = row.new.normalizedPath;
    if (row.change !== 'tightened' || path === undefined) return false;
    const method = row.method.toUpperCase();
    return matchers.some((m) => methodMatches(m.methods, method) && m.glob.test(path));
  };
}

function createWarning(
  group: SensitiveGroup,
  kept: boolean,
  exposures: readonly Exposure[],
  rules: readonly TranslatedRule[],
  denies: readonly TranslatedRule[],
): MigrationWarning {
  const spec = GROUPS[group];
  const list = exposures.map(describe).join('; ');
  const first = exposures.reduce((a, b) => (b.firstIndex < a.firstIndex ? b : a));
  const origin = rules[first.firstIndex]?.origin;
  const base = { code: `migrate/${group}-${kept ? 'kept' : 'withheld'}`, severity: 'warning' as const };
  const at = origin === undefined ? {} : { origin };
  if (kept) {
    return {
      ...base,
      ...at,
      message:
        `The old proxy allowed endpoints that ${spec.what}: ${list}. They stay allowed, as chosen, and the policy sets ${spec.ack}: true so that Sockguard starts. ${spec.instead}`.trim(),
    };
  }
  return {
    ...base,
    ...at,
    message:
      `The old proxy allowed endpoints that ${spec.what}: ${list}. Sockguard refuses to start with them allowed unacknowledged, so the new policy denies them ahead of the rule that allowed them; to keep them, ${spec.howToKeep}. ${spec.instead}`.trim(),
    explains: explainedByDenies(denies),
  };
}

/** Withholds (default) or keeps every sensitive endpoint the rules expose; see the module header. */
export function withholdSensitiveEndpoints(
  rules: readonly TranslatedRule[],
  options: TranslateOptions,
): SensitiveOutcome {
  const exposures = findExposures(rules);
  const byGroup = new Map<SensitiveGroup, Exposure[]>();
  for (const exposure of exposures)
    byGroup.set(exposure.endpoint.group, [...(byGroup.get(exposure.endpoint.group) ?? []), exposure]);

  const choices: TranslationChoice[] = [];
  const applied: Record<string, string> = {};
  for (const group of GROUP_ORDER) {
    const spec = GROUPS[group];
    if (!byGroup.has(group) || applied[spec.choiceId] !== undefined) continue;
    const sameChoice = GROUP_ORDER.filter((g) => GROUPS[g].choiceId === spec.choiceId).flatMap(
      (g) => byGroup.get(g) ?? [],
    );
    const choice = createChoice(spec, sameChoice);
    choices.push(choice);
    applied[choice.id] =
      choice.id === KEEP_READ_EXFILTRATION && options.keepExfiltration ? KEEP : resolveChoice(choice, options.answers);
  }

  const acknowledgements: Acknowledgements = {};
  const warnings: MigrationWarning[] = [];
  const inserted: TranslatedRule[] = [];
  let insertAt = rules.length;
  for (const group of GROUP_ORDER) {
    const groupExposures = byGroup.get(group);
    if (!groupExposures) continue;
    const spec = GROUPS[group];
    const kept = applied[spec.choiceId] === KEEP;
    if (kept) {
      acknowledgements[spec.ack] = true;
      warnings.push(createWarning(group, true, groupExposures, rules, []));
      continue;
    }
    const denies = groupExposures.map((exposure) => {
      const allowedBy = rules[exposure.firstIndex];
      return createDeny(
        exposure.methods.join(','),
        exposure.endpoint.path,
        `withheld: ${allowedBy?.comment ?? 'the old configuration'} allowed it${exposure.onlySlashNames ? ' for names containing /' : ''} (${group}; to keep it, ${spec.howToKeep})`,
        {
          reason: spec.reason,
          ...(allowedBy?.origin === undefined ? {} : { origin: allowedBy.origin }),
        },
      );
    });
    inserted.push(...denies);
    insertAt = Math.min(insertAt, ...groupExposures.map((e) => e.firstIndex));
    warnings.push(createWarning(group, false, groupExposures, rules, denies));
  }
  return {
    rules: [...rules.slice(0, insertAt), ...inserted, ...rules.slice(insertAt)],
    acknowledgements,
    warnings,
    choices,
    applied,
  };
}
