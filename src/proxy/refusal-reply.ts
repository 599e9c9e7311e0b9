/** A client gate's refusal (src/policy/clients/client-refusal.ts) as the reply the proxy sends. */
import type { ClientRefusal } from '../policy/clients/client-refusal.js';
import type { Reply } from './reply.js';

export function refusalReply(refusal: ClientRefusal): Reply {
  return {
    status: refusal.status,
    body: refusal.body,
    reasonCode: refusal.reasonCode,
    reason: refusal.reason,
    ...(refusal.headers ? { headers: refusal.headers } : {}),
  };
}
