/**
 * `clients.allowed_cidrs` with a /0 entry (sockguard-config.md §9): `0.0.0.0/0` admits every IPv4
 * client and `::/0` every IPv6 client, so the ACL looks restrictive and restricts nothing for that
 * family (an IPv4 client is never inside `::/0`: addresses are unmapped first, as in Go's netip).
 */
import { parseIpPrefix } from '../../policy/clients/ip-address.js';
import { stringEntries } from '../body-scopes.js';
import { defineRule, type LintFinding } from '../lint-rule.js';

export default defineRule({
  id: 'open-client-cidr',
  family: 'policy',
  severity: 'warning',
  summary: 'clients.allowed_cidrs admits every address (0.0.0.0/0 or ::/0)',
  help: 'clients.allowed_cidrs is the first gate of every request: only clients inside one of its networks get in. A 0.0.0.0/0 entry admits every IPv4 client and ::/0 every IPv6 client, so the list only pretends to restrict. Write the networks your clients are in, e.g. 172.18.0.0/16 for a compose network or 10.0.0.0/8, or remove allowed_cidrs if every client is meant to reach the rules.',
  check: (context) => {
    const findings: LintFinding[] = [];
    for (const [i, text] of stringEntries(context.document.clients?.allowed_cidrs)) {
      const prefix = parseIpPrefix(text.trim());
      if (!prefix || prefix.bits !== 0) continue;
      const family = prefix.family === 4 ? 'IPv4' : 'IPv6';
      findings.push({
        message: `clients.allowed_cidrs entry "${text}" admits every ${family} client, so the list restricts nothing for ${family}; write the networks your clients are in (e.g. ${prefix.family === 4 ? '172.18.0.0/16' : 'fd00::/8'}), or remove allowed_cidrs if every client is meant`,
        pointer: `/clients/allowed_cidrs/${i}`,
      });
    }
    return findings;
  },
});
