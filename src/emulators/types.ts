/**
 * Shared shapes for the source-proxy emulators (src/emulators/<source>.ts). An emulator answers one
 * question: what would the OLD proxy, configured as parsed by src/peers/<source>.ts, do with this
 * request? `migrate --verify` compares that answer with the new Sockguard policy's decision for
 * every endpoint of the Engine API catalog, so both sides must take exactly the same request.
 */

export interface EmulatedRequest {
  /** HTTP method exactly as sent (case preserved: `get` is not `GET` for most proxies). */
  method: string;
  /**
   * Raw origin-form request-target as sent on the wire: path plus optional `?query`, with the
   * client's percent-encoding untouched (`/v1.45/containers/a%2Fb/json?all=1`).
   */
  target: string;
  /**
   * The client's IP address as the proxy sees it (RemoteAddr), for proxies that admit clients by
   * address (wollomatic `-allowfrom`, per-container label allowlists). When absent, emulators skip
   * client admission and judge the method and path only.
   */
  clientIp?: string;
}

export interface EmulatedDecision {
  /** True when the proxy forwards the request to the Docker daemon. */
  allow: boolean;
  /**
   * Status the proxy answers with by itself (403 deny, 405 method, 400 unparseable request, ...);
   * 0 when the request is forwarded, because the daemon then chooses the status.
   */
  status: number;
  /** The source rule that decided, in the source's own terms, e.g. `CONTAINERS=0 (haproxy.cfg ...)`. */
  reason: string;
}

/** A compiled emulator: settings are bound and regexes compiled once, then called per request. */
export type Emulator = (request: EmulatedRequest) => EmulatedDecision;

/**
 * Thrown when a configuration cannot be emulated faithfully (e.g. a LinuxServer nginx-era tag whose
 * location blocks are not in the reference). "Could not run", not a finding: callers report it and
 * skip the parity comparison instead of comparing against a guess.
 */
export class EmulationUnavailableError extends Error {
  readonly code = 'emulation-unavailable';

  constructor(message: string) {
    super(message);
    this.name = 'EmulationUnavailableError';
  }
}
