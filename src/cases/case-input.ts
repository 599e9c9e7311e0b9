/**
 * Turns what a case wrote about its request (load-suite.ts CaseInputDocument) into the input of a
 * full offline decision: files are read through the caller's `read` (the command does the I/O,
 * relative to the suite file) and a client certificate is parsed.
 */
import { identityFromPem } from '../policy/clients/certificate-identity.js';
import type { FullRequestInput } from './explain-full-request.js';
import type { ClientInput } from '../policy/clients/judge-client.js';
import type { CaseInputDocument } from './load-suite.js';
import type { Parsed } from './request-extras.js';

/** Reads a file named in the suite (path as written); throws when it cannot. */
export type ReadSuiteFile = (path: string) => Uint8Array;

export function resolveCaseInput(
  document: CaseInputDocument,
  read: ReadSuiteFile,
  profile?: string,
): Parsed<FullRequestInput> {
  const client: ClientInput = {
    ...(document.clientIp !== undefined ? { sourceIp: document.clientIp } : {}),
    ...(document.unixPeer !== undefined ? { unixPeer: document.unixPeer } : {}),
    ...(document.listener !== undefined ? { listener: document.listener } : {}),
  };
  const cert = document.clientCert;
  if (cert !== undefined) {
    const pem = cert.kind === 'pem' ? cert.text : new TextDecoder().decode(read(cert.path));
    const identity = identityFromPem(pem);
    if (!identity.ok) {
      return { ok: false, problem: `client_cert${cert.kind === 'file' ? ` ${cert.path}` : ''}: ${identity.problem}` };
    }
    client.certificate = identity.value;
  }
  const body = document.body;
  return {
    ok: true,
    value: {
      client,
      ...(profile !== undefined ? { profile } : {}),
      ...(body !== undefined ? { body: body.kind === 'inline' ? body.bytes : read(body.path) } : {}),
      headers: document.headers ?? {},
    },
  };
}
