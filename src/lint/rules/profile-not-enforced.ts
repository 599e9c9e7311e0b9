/**
 * A client profile in `mode: warn` or `mode: audit` (sockguard-config.md §9): requests its rules or
 * request_body deny are forwarded to the daemon and only logged as `request_would_deny`. Meant for
 * rolling a profile out; left on, the profile protects nothing.
 */
import { parseProfileMode } from '../../policy/clients/profile-mode.js';
import { defineRule, type LintFinding } from '../lint-rule.js';

export default defineRule({
  id: 'profile-not-enforced',
  family: 'policy',
  severity: 'info',
  summary: 'Client profile in warn or audit mode: its denials are only logged',
  help: 'A profile with mode: warn or mode: audit forwards every request its rules or request_body would deny, and logs request_would_deny instead (WARN or INFO). Client ACLs, listener admission and identity failures still enforce. This is a rollout step: once the logs show no unexpected would-deny entries, set mode: enforce (or remove mode).',
  check: (context) => {
    const findings: LintFinding[] = [];
    (context.document.clients?.profiles ?? []).forEach((profile, i) => {
      if (typeof profile?.mode !== 'string') return;
      const mode = parseProfileMode(profile.mode);
      if (mode === 'enforce') return;
      const name = typeof profile.name === 'string' ? `"${profile.name}"` : `${i + 1}`;
      findings.push({
        message: `profile ${name} runs in ${mode} mode: requests its rules or request_body deny reach the daemon anyway and are only logged as request_would_deny; set mode: enforce once the logs show no unexpected denials`,
        pointer: `/clients/profiles/${i}/mode`,
        suggestion: 'enforce',
      });
    });
    return findings;
  },
});
