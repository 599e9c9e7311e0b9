/**
 * A client profile that no client can resolve to. Profiles are chosen only by selectors
 * (certificate > unix peer > source IP) and `clients.default_profile` (sockguard-config.md §9);
 * `listeners[].allowed_profiles` only admits a resolved profile, it never selects one. A selector
 * also needs a listener of its kind: unix peers need a unix socket, source IPs a TCP listener,
 * certificates a TLS listener.
 */
import type { ListenDocument, PolicyDocument } from '../../policy/schema.js';
import { defineRule, type LintFinding } from '../lint-rule.js';

type SelectorKind = 'client_certificate_profiles' | 'unix_peer_profiles' | 'source_ip_profiles';

const SELECTORS: readonly { kind: SelectorKind; needs: string; fits: (l: Partial<ListenDocument>) => boolean }[] = [
  { kind: 'client_certificate_profiles', needs: 'a TLS listener', fits: (l) => !l.socket && !!l.tls?.cert_file },
  { kind: 'unix_peer_profiles', needs: 'a unix socket listener', fits: (l) => !!l.socket },
  { kind: 'source_ip_profiles', needs: 'a TCP listener', fits: (l) => !l.socket },
];

function listenersOf(document: PolicyDocument): Partial<ListenDocument>[] {
  if (document.listeners) return document.listeners;
  // Without listen: the default TCP listener on 127.0.0.1:2375.
  return [document.listen ?? { address: '127.0.0.1:2375' }];
}

export default defineRule({
  id: 'unselectable-profile',
  family: 'policy',
  severity: 'warning',
  summary: 'Client profile that no client can be resolved to',
  help: "A request uses a profile only when a selector picks it (clients.client_certificate_profiles, clients.unix_peer_profiles, clients.source_ip_profiles, each needing a listener of its kind) or when it is clients.default_profile. listeners[].allowed_profiles admits profiles but never selects one. A profile nothing selects is dead configuration, often a typo in a selector's profile name: add a selector or remove the profile.",
  check: (context) => {
    const { document } = context;
    const clients = document.clients;
    const listeners = listenersOf(document);
    const selectable = new Set<string>();
    const unusable = new Map<string, string>();
    if (clients?.default_profile) selectable.add(clients.default_profile);
    for (const selector of SELECTORS) {
      const usable = listeners.some(selector.fits);
      for (const entry of clients?.[selector.kind] ?? []) {
        if (!entry?.profile) continue;
        if (usable) selectable.add(entry.profile);
        else
          unusable.set(entry.profile, `clients.${selector.kind} names it, but that selector needs ${selector.needs}`);
      }
    }
    const findings: LintFinding[] = [];
    (clients?.profiles ?? []).forEach((profile, i) => {
      const name = profile?.name;
      if (typeof name !== 'string' || name === '' || selectable.has(name)) return;
      const admitted = (document.listeners ?? []).findIndex((l) => l?.allowed_profiles?.includes(name));
      const notes = [
        unusable.get(name),
        admitted >= 0 ? `listeners[${admitted}].allowed_profiles admits it, but admitting does not select` : undefined,
      ].filter((n) => n !== undefined);
      findings.push({
        message: `profile "${name}" is never selected: it is not clients.default_profile and no usable client selector names it${notes.length > 0 ? ` (${notes.join('; ')})` : ''}, so its rules never apply; add a selector for it or remove the profile`,
        pointer: `/clients/profiles/${i}/name`,
      });
    });
    return findings;
  },
});
