import { BlockList, isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { AddressFamily, AddressRange } from '@app/config';

/**
 * What ipaddr.js calls each special range, in words an operator reads in an error. Whatever is
 * not plain unicast is refused, so a range this table does not name is still refused (by its
 * ipaddr.js name): the list of special ranges comes from a maintained library, not from us.
 */
const RANGE_WORDS: Readonly<Record<string, string>> = {
  unspecified: 'the unspecified address ("this network")',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a shared (carrier-grade NAT) address',
  private: 'a private address',
  uniqueLocal: 'a unique-local address',
  reserved: 'a reserved or documentation (TEST-NET) address',
  rfc6145: 'an IPv4-translated address',
  rfc6052: 'a NAT64 address',
  '6to4': 'a 6to4 address',
  teredo: 'a Teredo address',
  benchmarking: 'a benchmarking address',
  deprecatedSiteLocal: 'a site-local address',
};

/**
 * Ranges ipaddr.js counts as unicast that still reach something other than the public internet:
 * the deprecated IPv4-compatible form (::a.b.c.d) and IPv6 outside the global unicast block.
 */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

export type AddressVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/**
 * Where a webhook may point: public unicast addresses only, unless configuration allows a range
 * (WEBHOOK_ALLOWED_CIDRS). The service's own host, its cluster and cloud metadata
 * (169.254.169.254) are reachable from here but not from the internet, which is what makes a
 * user-supplied URL an SSRF risk.
 */
export class AddressPolicy {
  private readonly allowList = new BlockList();

  constructor(readonly allowed: readonly AddressRange[] = []) {
    for (const range of allowed) this.allowList.addSubnet(range.network, range.prefix, range.family);
  }

  check(address: string): AddressVerdict {
    const version = isIP(address);
    if (version === 0) return { allowed: false, reason: 'not an IP address' };
    const family: AddressFamily = version === 4 ? 'ipv4' : 'ipv6';
    if (this.allowList.check(address, family)) return { allowed: true };
    const why = refusal(ipaddr.parse(address));
    return why ? { allowed: false, reason: `${address} is ${why}` } : { allowed: true };
  }
}

function refusal(parsed: ipaddr.IPv4 | ipaddr.IPv6): string | undefined {
  // An IPv4-mapped address is the IPv4 address itself once the socket connects.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return refusal((parsed as ipaddr.IPv6).toIPv4Address());
  }
  const range = parsed.range();
  if (range !== 'unicast') return RANGE_WORDS[range] ?? `a special-purpose address (${range})`;
  if (parsed.kind() === 'ipv6') {
    if (parsed.match(IPV4_COMPATIBLE)) return 'an IPv4-compatible address';
    if (!parsed.match(GLOBAL_UNICAST_V6)) return 'not a global unicast address';
  }
  return undefined;
}
