/**
 * The short port syntax `[[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL]` as compose reads it (through
 * docker's nat.ParsePortSpec): the last two `:`-separated parts are the ports and anything before them
 * is the host address (`[::1]` or bare IPv6 allowed); ports may be ranges of equal length, a host range
 * may serve a single container port; the protocol is tcp, udp or sctp (tcp when omitted). One spec
 * with a container range yields one mapping per container port.
 */

export interface PortSpec {
  hostIp?: string;
  published?: string;
  target: number;
  protocol: string;
}

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

export function parsePortSpec(spec: string): PortSpec[] | { error: string } {
  const parts = spec.split(':');
  const containerPart = parts[parts.length - 1] ?? '';
  const hostPort = parts.length >= 2 ? (parts[parts.length - 2] ?? '') : '';
  const rawIp = parts.length >= 3 ? parts.slice(0, -2).join(':') : '';
  const hostIp = rawIp.startsWith('[') && rawIp.endsWith(']') ? rawIp.slice(1, -1) : rawIp;
  if (hostIp !== '' && !isIpAddress(hostIp)) return { error: `invalid host IP address ${JSON.stringify(rawIp)}` };
  const slash = containerPart.indexOf('/');
  const containerPort = slash < 0 ? containerPart : containerPart.slice(0, slash);
  const protocol = (
    slash < 0 || containerPart.slice(slash + 1) === '' ? 'tcp' : (containerPart.slice(slash + 1).split('/')[0] ?? '')
  ).toLowerCase();
  if (!PROTOCOLS.has(protocol)) return { error: `invalid protocol ${JSON.stringify(protocol)}` };
  const container = parseRange(containerPort);
  if (!container) return { error: `invalid container port ${JSON.stringify(containerPort)}` };
  const host = hostPort === '' ? undefined : parseRange(hostPort);
  if (hostPort !== '' && !host) return { error: `invalid published port ${JSON.stringify(hostPort)}` };
  const containerSpan = container[1] - container[0];
  const hostSpan = host ? host[1] - host[0] : containerSpan;
  if (host && hostSpan !== containerSpan && !(containerSpan === 0 && hostSpan > 0)) {
    return { error: `port ranges ${JSON.stringify(hostPort)} and ${JSON.stringify(containerPort)} differ in length` };
  }
  const mappings: PortSpec[] = [];
  for (let i = 0; i <= containerSpan; i++) {
    const published = host === undefined ? undefined : hostSpan === containerSpan ? String(host[0] + i) : hostPort;
    mappings.push({
      ...(hostIp === '' ? {} : { hostIp }),
      ...(published === undefined ? {} : { published }),
      target: container[0] + i,
      protocol,
    });
  }
  return mappings;
}

function parseRange(text: string): [number, number] | undefined {
  const match = /^([0-9]+)(?:-([0-9]+))?$/.exec(text);
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  if (start > 65535 || end > 65535 || end < start) return undefined;
  return [start, end];
}

function isIpAddress(text: string): boolean {
  if (/^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(text)) return text.split('.').every((octet) => Number(octet) <= 255);
  return /^[0-9a-fA-F:.]+(%[0-9A-Za-z_.-]+)?$/.test(text) && text.includes(':');
}
