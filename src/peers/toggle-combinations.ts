/**
 * Findings about combinations of toggles that do less than they suggest on the HAProxy-style images
 * (Tecnativa, LinuxServer): action allows behind the GET/HEAD gate, and EXEC without exec creation.
 */

import type { EnvSetting, PeerFinding } from './peer-settings.js';

type Toggles = Readonly<Record<string, EnvSetting<boolean>>>;

function isOn(toggles: Toggles, name: string): boolean {
  return toggles[name]?.effective === true;
}

/**
 * Where the method gate runs before the `ALLOW_*` rules, `ALLOW_START=1` with `POST` off only adds
 * GET/HEAD on the action paths: `POST /containers/{id}/start` stays 403 (peers.md §1.5, issue #101).
 */
export function findActionsBehindGate(toggles: Toggles, actions: readonly string[], citation: string): PeerFinding[] {
  const enabled = actions.filter((name) => isOn(toggles, name));
  if (enabled.length === 0 || isOn(toggles, 'POST')) return [];
  return [
    {
      code: 'allow-needs-post',
      severity: 'warning',
      origin: `env:${enabled[0]}`,
      message: `${enabled.join(', ')} cannot start/stop/restart anything while POST is off: the GET/HEAD gate runs before the ALLOW_* rules, so POST /containers/{id}/… is 403 (${citation}); they only add GET/HEAD on those paths.`,
      suggestion: 'POST=1',
    },
  ];
}

/** `EXEC` covers `/exec/{id}/…` only; `POST /containers/{id}/exec` needs CONTAINERS and POST (peers.md §1.4, §2.3). */
export function findExecWithoutCreate(toggles: Toggles): PeerFinding[] {
  if (!isOn(toggles, 'EXEC') || (isOn(toggles, 'CONTAINERS') && isOn(toggles, 'POST'))) return [];
  return [
    {
      code: 'exec-create-needs-containers',
      severity: 'info',
      origin: 'env:EXEC',
      message:
        'EXEC covers only /exec/{id}/… (start, json, resize); creating an exec is POST /containers/{id}/exec and needs CONTAINERS=1 and POST=1.',
    },
  ];
}
