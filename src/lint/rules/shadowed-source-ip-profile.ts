/**
 * `clients.source_ip_profiles` entries shadowed by an earlier one (sockguard-config.md §9: the first
 * entry containing the client's address selects the profile): a CIDR inside an earlier entry's CIDR
 * never selects its own profile. When every CIDR of an entry is shadowed the entry is dead.
 */
import { parseIpPrefix, prefixContains, type IpPrefix } from '../../policy/clients/ip-address.js';
import { stringEntries } from '../body-scopes.js';
import { defineRule, type LintFinding } from '../lint-rule.js';

interface Written {
  entry: number;
  index: number;
  text: string;
  profile: string;
  prefix: IpPrefix;
}

/** Whether `outer` contains every address of `inner` (same family, no longer than it). */
const containsPrefix = (outer: IpPrefix, inner: IpPrefix): boolean =>
  outer.family === inner.family &&
  outer.bits <= inner.bits &&
  prefixContains(outer, { family: inner.family, bytes: inner.bytes });

export default defineRule({
  id: 'shadowed-source-ip-profile',
  family: 'policy',
  severity: 'warning',
  summary: 'source_ip_profiles CIDR that an earlier entry already covers',
  help: "clients.source_ip_profiles is checked in order and the first entry containing the client address selects the profile. A CIDR inside a CIDR of an earlier entry can never select its own profile: those clients get the earlier entry's profile. Put narrower networks before wider ones (10.1.0.0/16 before 10.0.0.0/8), or remove the dead entry.",
  check: (context) => {
    const written: Written[] = [];
    (context.document.clients?.source_ip_profiles ?? []).forEach((entry, e) => {
      const profile = typeof entry?.profile === 'string' ? entry.profile : '';
      for (const [index, text] of stringEntries(entry?.cidrs)) {
        const prefix = parseIpPrefix(text.trim());
        if (prefix) written.push({ entry: e, index, text, profile, prefix });
      }
    });
    const findings: LintFinding[] = [];
    for (const later of written) {
      const earlier = written.find((w) => w.entry < later.entry && containsPrefix(w.prefix, later.prefix));
      if (!earlier) continue;
      const at = `clients.source_ip_profiles[${earlier.entry}].cidrs[${earlier.index}] "${earlier.text}"`;
      const message =
        earlier.profile === later.profile
          ? `"${later.text}" is already covered by ${at} for the same profile "${later.profile}"; remove it`
          : `"${later.text}" is inside ${at}, which is checked first: these clients get profile "${earlier.profile}", never "${later.profile}"; move clients.source_ip_profiles[${later.entry}] before entry ${earlier.entry}`;
      findings.push({
        message: `clients.source_ip_profiles[${later.entry}].cidrs entry ${message}`,
        pointer: `/clients/source_ip_profiles/${later.entry}/cidrs/${later.index}`,
        ...(earlier.profile === later.profile ? { severity: 'info' as const } : {}),
      });
    }
    return findings;
  },
});
