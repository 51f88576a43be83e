import ipaddr from 'ipaddr.js';

/** Networks hand a subscriber a whole /64: keyed by address, one client would be 2^64 clients. */
const IPV6_CLIENT_PREFIX = 64;

/**
 * What per-client limits and lockouts count a client address under: an IPv4 address as is (an
 * IPv4-mapped IPv6 address as the IPv4 address), an IPv6 address by its /64.
 */
export function clientKeyOf(ip: string): string {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(ip);
  } catch {
    return ip;
  }
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const bytes = parsed.toByteArray().fill(0, IPV6_CLIENT_PREFIX / 8);
  return `${ipaddr.fromByteArray(bytes).toString()}/${IPV6_CLIENT_PREFIX}`;
}
