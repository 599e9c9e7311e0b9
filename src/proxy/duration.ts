/** Go's time.ParseDuration, to milliseconds (the policy's timeouts and intervals are Go durations). */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

export function parseGoDuration(text: string): number {
  if (text === '0') return 0;
  const match = /^([-+]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration`);
  let total = 0;
  for (const part of match[2]!.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * UNIT_MS[part[2]!]!;
  }
  return match[1] === '-' ? -total : total;
}

/** `upstream.request_timeout`: "off" or "" disable it (sockguard-config.md §5). */
export function parseRequestTimeout(text: string): number | undefined {
  if (text === '' || text === 'off') return undefined;
  const ms = parseGoDuration(text);
  return ms > 0 ? ms : undefined;
}
