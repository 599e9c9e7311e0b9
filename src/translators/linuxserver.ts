/**
 * linuxserver/docker-socket-proxy settings (src/peers/linuxserver.ts) → a Sockguard policy with the
 * same intent, per engine era (peers.md §2.1): the section rules as for Tecnativa; action allows
 * that take any method from ls47 on (before the gate); `ALLOW_PAUSE`/`ALLOW_UNPAUSE` from ls73,
 * `LIBPOD_*` from ls84; from ls92 the deny-unless-set `ALLOW_ARCHIVE/CHANGES/EXPORT/LOGS/TOP` become
 * explicit deny rules ahead of the section allows and the actions cover `/libpod` and `/pods` too.
 * nginx builds (ls4–ls46, §2.5) read values differently (any value but `0` is on, `POST` only for
 * `1`), kept `ALLOW_*` behind the gate before ls23 and let the location order decide stop; their
 * location regexes are not in the reference, so that era is translated from its documented intent
 * and cannot be verified by parity.
 */
import {
  CONTAINER_ACTION_RULES,
  CONTAINER_PAUSE_RULES,
  DOCKER_SECTION_RULES,
  LIBPOD_ACTION_RULES,
  LIBPOD_SECTION_RULES,
  LINUXSERVER_SUBPATH_DENY_RULES,
  PODMAN_ACTION_RULES,
  type HaproxyPathRule,
} from '../peers/haproxy-rules.js';
import type { LinuxServerSettings } from '../peers/linuxserver.js';
import { describeSetting, type PeerFindingCode } from '../peers/peer-settings.js';
import { assembleTranslation } from './assemble-translation.js';
import { translateHaproxyProcess } from './haproxy-process.js';
import {
  INEFFECTIVE_ALLOWS,
  translateHaproxyRules,
  type ActionGrant,
  type HaproxyTranslationInput,
} from './haproxy-translation.js';
import { convertFindings } from './peer-warnings.js';
import type { MigrationWarning, TranslateOptions, Translation } from './types.js';

/** Findings that announce action allows without effect: their rows are explained by the choice's outcome. */
const INEFFECTIVE_FINDINGS: readonly PeerFindingCode[] = [
  'allow-needs-post',
  'stop-needs-restarts',
  'stop-governed-by-allow-stop',
];

type Plan = Pick<HaproxyTranslationInput, 'sections' | 'subpathDenies' | 'actions' | 'quirksKnown'>;

const anyMethod = (rules: readonly HaproxyPathRule[]): ActionGrant[] =>
  rules.map((rule) => ({ rule, reach: 'any-method' }));

/** The gate runs first (ls1–ls3, and nginx before ls23): actions only reach dockerd with POST on. */
function behindGate(rules: readonly HaproxyPathRule[], postOn: boolean, because: string): ActionGrant[] {
  return rules.map((rule) =>
    postOn ? { rule, reach: 'any-method' } : { rule, reach: 'get-head-only', ineffectiveBecause: because },
  );
}

const containerAction = (variable: string, action: string): HaproxyPathRule => ({
  variable,
  regex: String.raw`^(/v[\d\.]+)?/containers/[a-zA-Z0-9_.-]+/` + action,
});

/** nginx location order decides stop (peers.md §2.5): which variable's location a stop request hits. */
function planNginxActions(settings: LinuxServerSettings, postOn: boolean): ActionGrant[] {
  const on = (name: string): boolean => settings.toggles[name]?.effective === true;
  const before23 = settings.build < 23;
  const grant = (rule: HaproxyPathRule): ActionGrant =>
    before23 && !postOn
      ? {
          rule,
          reach: 'get-head-only',
          ineffectiveBecause:
            'nginx builds before ls23 kept ALLOW_* behind limit_except GET HEAD, so they needed POST=1',
        }
      : { rule, reach: 'any-method' };
  const start = grant(containerAction('ALLOW_START', 'start'));
  const stop = containerAction('ALLOW_STOP', 'stop');
  if (settings.build < 31) {
    // ALLOW_STOP alone did not allow stop before ls31 (issue #16); ALLOW_RESTARTS covered it.
    const stopAlone: ActionGrant = on('ALLOW_RESTARTS')
      ? grant(stop)
      : {
          rule: stop,
          reach: 'nothing',
          ineffectiveBecause: 'before 1.26.2-r3-ls31 ALLOW_STOP only worked together with ALLOW_RESTARTS (issue #16)',
        };
    return [start, stopAlone, grant(containerAction('ALLOW_RESTARTS', '((stop)|(restart)|(kill))'))];
  }
  // From ls31 the stop location comes first and only ALLOW_STOP opens it.
  const restartsStop: ActionGrant = on('ALLOW_STOP')
    ? grant(containerAction('ALLOW_RESTARTS', 'stop'))
    : {
        rule: containerAction('ALLOW_RESTARTS', 'stop'),
        reach: 'nothing',
        ineffectiveBecause: 'nginx checks the stop location first, so ALLOW_STOP alone governs stop',
      };
  return [start, grant(stop), restartsStop, grant(containerAction('ALLOW_RESTARTS', '((restart)|(kill))'))];
}

function planRules(settings: LinuxServerSettings): Plan {
  const postOn = settings.toggles['POST']?.effective === true;
  const docker = { sections: DOCKER_SECTION_RULES, subpathDenies: [], quirksKnown: true };
  const withLibpod = [...DOCKER_SECTION_RULES, ...LIBPOD_SECTION_RULES];
  switch (settings.image.era) {
    case 'haproxy-2.8':
      return {
        ...docker,
        actions: behindGate(
          CONTAINER_ACTION_RULES,
          postOn,
          'ls1–ls3 copied Tecnativa: the GET/HEAD gate ran before the ALLOW_* rules, so it needed POST=1',
        ),
      };
    case 'nginx':
      return { ...docker, quirksKnown: false, actions: planNginxActions(settings, postOn) };
    case 'haproxy-actions-first':
      return { ...docker, actions: anyMethod(CONTAINER_ACTION_RULES) };
    case 'haproxy-pause':
      return { ...docker, actions: anyMethod([...CONTAINER_ACTION_RULES, ...CONTAINER_PAUSE_RULES]) };
    case 'haproxy-libpod':
      return {
        ...docker,
        sections: withLibpod,
        actions: anyMethod([...CONTAINER_ACTION_RULES, ...CONTAINER_PAUSE_RULES, ...LIBPOD_ACTION_RULES]),
      };
    case 'haproxy-subpath-denies':
      return {
        sections: withLibpod,
        subpathDenies: LINUXSERVER_SUBPATH_DENY_RULES,
        actions: anyMethod([...PODMAN_ACTION_RULES, ...LIBPOD_ACTION_RULES]),
        quirksKnown: true,
      };
  }
}

function warnAboutNginx(settings: LinuxServerSettings, imageLabel: string): MigrationWarning[] {
  if (settings.engine !== 'nginx') return [];
  const warnings: MigrationWarning[] = [
    {
      code: 'migrate/linuxserver/nginx-unverified',
      severity: 'warning',
      origin: 'image',
      message: `${imageLabel} runs nginx, whose location regexes are not in the reference: the translation follows the documented intent (sections behind limit_except GET HEAD unless POST=1, the ALLOW_* locations, the stop location order) and parity cannot be verified for this build. Check the policy by hand, or move to a current tag first.`,
    },
  ];
  const timeout = settings.proxyReadTimeout;
  if (timeout.read && timeout.raw !== undefined) {
    warnings.push({
      code: 'migrate/unmapped-variable',
      severity: 'info',
      origin: timeout.origin,
      message: `${describeSetting(timeout)} set nginx's proxy_read_timeout (seconds between two reads from dockerd). Sockguard has no such limit: upstream.request_timeout bounds a whole request and never applies to streams. It is not translated.`,
    });
  }
  return warnings;
}

export function translateLinuxServer(settings: LinuxServerSettings, options: TranslateOptions): Translation {
  const imageLabel =
    settings.image.version === undefined
      ? `LinuxServer socket-proxy (assumed 3.4.3-r0-ls${settings.build})`
      : `LinuxServer socket-proxy ${settings.image.version}`;
  const rules = translateHaproxyRules({ imageLabel, toggles: settings.toggles, ...planRules(settings) }, options);
  const process = translateHaproxyProcess({ imageLabel, ...settings });
  const applyIntent = rules.applied[INEFFECTIVE_ALLOWS] === 'apply-intent';
  const ineffective = {
    explains: rules.explainsIneffective,
    outcome: applyIntent
      ? `As chosen (${INEFFECTIVE_ALLOWS}=apply-intent), the new policy allows POST on those paths.`
      : `The new policy keeps that (the safe default); answer ${INEFFECTIVE_ALLOWS}=apply-intent to allow POST on those paths.`,
  };
  const warnings = [
    ...convertFindings(settings.findings, 'linuxserver', (finding) => {
      if (INEFFECTIVE_FINDINGS.includes(finding.code)) return ineffective;
      if (finding.code !== 'subpath-denied-by-default') return undefined;
      return {
        outcome: 'The new policy denies them the same way, with explicit deny rules ahead of the section allows.',
      };
    }),
    ...warnAboutNginx(settings, imageLabel),
    ...process.warnings,
    ...rules.warnings,
  ];
  return assembleTranslation(
    'linuxserver',
    { rules: rules.rules, settings: process.settings, warnings, choices: rules.choices, applied: rules.applied },
    options,
  );
}
