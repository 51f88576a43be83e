import { BlockList, isIP } from 'node:net';
import { parseCidr, type AddressFamily, type AddressRange } from '@app/config';

/**
 * Where a webhook must not point unless allowed by configuration: the service's own host, its
 * cluster and cloud metadata (169.254.169.254) are reachable from here but not from the
 * internet, which is what makes a user-supplied URL an SSRF risk.
 */
const FORBIDDEN: ReadonlyArray<readonly [string, string]> = [
  ['0.0.0.0/8', 'a "this network" address'],
  ['10.0.0.0/8', 'a private address'],
  ['100.64.0.0/10', 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['169.254.0.0/16', 'a link-local address'],
  ['172.16.0.0/12', 'a private address'],
  ['192.0.0.0/24', 'an IETF protocol address'],
  ['192.168.0.0/16', 'a private address'],
  ['198.18.0.0/15', 'a benchmarking address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['240.0.0.0/4', 'a reserved address'],
  ['::/128', 'the unspecified address'],
  ['::1/128', 'a loopback address'],
  // IPv4-mapped addresses (::ffff:a.b.c.d) are checked against the IPv4 blocks by BlockList.
  ['::/96', 'an IPv4-compatible address'],
  ['64:ff9b::/96', 'a NAT64 address'],
  ['fc00::/7', 'a unique-local address'],
  ['fe80::/10', 'a link-local address'],
  ['ff00::/8', 'a multicast address'],
];

export type AddressVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

export class AddressPolicy {
  private readonly forbidden: ReadonlyArray<{ list: BlockList; reason: string }>;
  private readonly allowList = new BlockList();

  constructor(readonly allowed: readonly AddressRange[] = []) {
    this.forbidden = FORBIDDEN.map(([cidr, reason]) => ({ list: blockListOf([parseCidr(cidr)]), reason }));
    for (const range of allowed) this.allowList.addSubnet(range.network, range.prefix, range.family);
  }

  check(address: string): AddressVerdict {
    const version = isIP(address);
    if (version === 0) return { allowed: false, reason: 'not an IP address' };
    const family: AddressFamily = version === 4 ? 'ipv4' : 'ipv6';
    if (this.allowList.check(address, family)) return { allowed: true };
    const hit = this.forbidden.find(({ list }) => list.check(address, family));
    return hit ? { allowed: false, reason: `${address} is ${hit.reason}` } : { allowed: true };
  }
}

function blockListOf(ranges: readonly AddressRange[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) list.addSubnet(range.network, range.prefix, range.family);
  return list;
}
