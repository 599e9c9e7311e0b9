/**
 * `ownership.allow_cross_owner_namespace_sharing: true` with owner isolation on and a rule allowing
 * container creates or builds (sockguard-config.md §10; body-references.ts): `container:<ref>` in
 * HostConfig NetworkMode, PidMode, IpcMode, UTSMode, UsernsMode or Cgroup, and a build's
 * `networkmode=container:<ref>`, are then forwarded without an owner check, so one owner's container
 * joins the namespaces of any container on the host.
 */
import { defineRule } from '../lint-rule.js';
import { firstReached, ownershipOf } from '../response-scopes.js';

const JOINS = [
  { method: 'POST', path: '/containers/create' },
  { method: 'POST', path: '/build' },
];

export default defineRule({
  id: 'cross-owner-namespace',
  family: 'exposure',
  severity: 'warning',
  summary: "Owner isolation lets containers join other owners' namespaces",
  help: "With owner isolation, a container may only refer to objects of its owner. ownership.allow_cross_owner_namespace_sharing: true lifts that for namespace joins (container:<name> as network, PID, IPC, UTS, user or cgroup mode, and a build's networkmode): a client can then start a container inside any other container's namespaces, including other owners' and containers sockguard never created, and see its processes and their environment, sniff and spoof its network traffic and read its shared memory. Leave it off; containers of one owner can still share namespaces with each other.",
  check: (context) => {
    const ownership = ownershipOf(context);
    if (!ownership?.allowCrossOwnerNamespaceSharing) return [];
    const reached = firstReached(context, JOINS);
    if (reached === undefined) return [];
    return [
      {
        message: `ownership.allow_cross_owner_namespace_sharing is true and ${reached.rule} allows ${reached.method} ${reached.path}: owner "${ownership.owner}" can join the network, PID, IPC, UTS, user and cgroup namespaces of any container (container:<name>), other owners' included, and see its processes, environment and traffic; remove the setting`,
        pointer: '/ownership/allow_cross_owner_namespace_sharing',
      },
    ];
  },
});
