/**
 * `GET /containers/{id}/attach/ws` allowed under `insecure_allow_read_exfiltration`: the
 * acknowledgement silences the startup probe, but this GET is a websocket attached to the
 * container's stdin (security-notes.md D15, §10), i.e. command execution, not a read.
 */
import { defineRule, type LintFinding } from '../lint-rule.js';
import { allowedProbesByRule } from '../probe-findings.js';

const ATTACH_WS = [{ method: 'GET', path: '/containers/sockguard-test/attach/ws' }];

export default defineRule({
  id: 'websocket-attach',
  family: 'exposure',
  severity: 'warning',
  summary: 'GET /containers/{id}/attach/ws allowed: a GET that writes to the container stdin',
  help: "GET /containers/{id}/attach/ws opens a websocket attached to the container's stdin (always before API 1.42, with stdin=1 since): a client can type into a shell in the container. insecure_allow_read_exfiltration acknowledges reads such as logs and archives and also silences sockguard's startup probe for this endpoint, but it is command execution. Deny GET /containers/*/attach/ws above broader allow rules unless clients must interact with containers.",
  check: (context) => {
    // Without the acknowledgement, read-exfiltration already reports this endpoint as an error.
    if (context.policy?.insecure_allow_read_exfiltration !== true) return [];
    return context.scopes.flatMap((scope) =>
      allowedProbesByRule(context, scope, ATTACH_WS).map((group): LintFinding => ({
        message: `${group.name} allows GET /containers/{id}/attach/ws, a websocket attached to the container's stdin: that is command execution inside the container, which insecure_allow_read_exfiltration does not describe; deny GET /containers/*/attach/ws above this rule unless clients must type into containers`,
        pointer: group.pointer,
      })),
    );
  },
});
