/**
 * CIDRs written as IPv4-mapped IPv6 (`::ffff:10.0.0.0/104`) in `clients.allowed_cidrs` or
 * `clients.source_ip_profiles[].cidrs`: a client address is unmapped to IPv4 before it is compared
 * (sockguard-config.md §9, Go's netip), and an IPv6 prefix never contains an IPv4 address, so such
 * an entry matches no client at all. The message gives the IPv4 prefix meant.
 */
import { parseIpPrefix, type IpPrefix } from '../../policy/clients/ip-address.js';
import { stringEntries } from '../body-scopes.js';
import { defineRule, type LintFinding } from '../lint-rule.js';

const MAPPED_BITS = 96;

function isMapped(prefix: IpPrefix): boolean {
  if (prefix.family !== 6 || prefix.bits < MAPPED_BITS) return false;
  for (let i = 0; i < 10; i++) if (prefix.bytes[i] !== 0) return false;
  return prefix.bytes[10] === 0xff && prefix.bytes[11] === 0xff;
}

/** The IPv4 prefix a mapped one stands for, e.g. 10.0.0.0/8. */
const ipv4Of = (prefix: IpPrefix): string => `${[...prefix.bytes.slice(12)].join('.')}/${prefix.bits - MAPPED_BITS}`;

export default defineRule({
  id: 'mapped-cidr',
  family: 'policy',
  severity: 'warning',
  summary: 'IPv4-mapped IPv6 CIDR that never matches a client',
  help: 'Sockguard compares a client address after unmapping it: a client at ::ffff:10.0.0.5 is the IPv4 client 10.0.0.5, and an IPv6 prefix never contains an IPv4 address. A CIDR written as ::ffff:a.b.c.d/n therefore matches nobody: in allowed_cidrs it admits no one, in source_ip_profiles it selects no one. Write the IPv4 prefix instead (::ffff:10.0.0.0/104 is 10.0.0.0/8).',
  check: (context) => {
    const clients = context.document.clients;
    const lists: { entries: [number, string][]; pointer: string; field: string }[] = [
      {
        entries: stringEntries(clients?.allowed_cidrs),
        pointer: '/clients/allowed_cidrs',
        field: 'clients.allowed_cidrs',
      },
      ...(clients?.source_ip_profiles ?? []).map((entry, i) => ({
        entries: stringEntries(entry?.cidrs),
        pointer: `/clients/source_ip_profiles/${i}/cidrs`,
        field: `clients.source_ip_profiles[${i}].cidrs`,
      })),
    ];
    const findings: LintFinding[] = [];
    for (const { entries, pointer, field } of lists) {
      for (const [i, text] of entries) {
        const prefix = parseIpPrefix(text.trim());
        if (!prefix || !isMapped(prefix)) continue;
        findings.push({
          message: `${field} entry "${text}" is an IPv4-mapped IPv6 prefix and matches no client (clients are compared as IPv4 after unmapping); write ${ipv4Of(prefix)}`,
          pointer: `${pointer}/${i}`,
          suggestion: ipv4Of(prefix),
        });
      }
    }
    return findings;
  },
});
