import { BlockList } from 'node:net';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { parseCidr } from '@app/config';
import { AddressPolicy } from './address-policy';

/**
 * IANA's special-purpose registries (RFC 6890 and successors), written out independently of
 * ipaddr.js so the property tests below check the library's table against the registry.
 */
const SPECIAL_V4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.31.196.0/24',
  '192.52.193.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '192.175.48.0/24',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
];
/** Inside 2000::/3 (global unicast); everything outside it is refused as a whole. */
const SPECIAL_V6_GLOBAL = ['2001::/23', '2001:db8::/32', '2002::/16', '2620:4f:8000::/48', '3fff::/20'];
const SPECIAL_V6_OTHER = [
  '::/128',
  '::1/128',
  '::/96',
  '64:ff9b::/96',
  '64:ff9b:1::/48',
  '100::/64',
  'fc00::/7',
  'fe80::/10',
  'fec0::/10',
  'ff00::/8',
  '5f00::/16',
];

describe('AddressPolicy without exceptions', () => {
  const policy = new AddressPolicy();

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.7', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['0.0.0.0', 'this network'],
    ['100.64.0.1', 'shared'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'TEST-NET'],
    ['198.51.100.7', 'TEST-NET'],
    ['203.0.113.200', 'TEST-NET'],
    ['2002:7f00:1::1', '6to4'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['64:ff9b:1::a00:1', 'NAT64'],
    ['2001:db8::1', 'documentation'],
    ['::7f00:1', 'IPv4'],
    ['4000::1', 'not a global unicast'],
    ['::', 'unspecified'],
    // IPv4 in IPv6 clothing must not slip through.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['64:ff9b::a00:1', 'NAT64'],
  ])('refuses %s (%s)', (address, kind) => {
    const verdict = policy.check(address);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason).toContain(kind);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '172.15.255.255',
    '192.169.0.1',
    '2606:4700::1111',
    '2001:4860:4860::8888',
  ])('allows the public address %s', (address) => {
    expect(policy.check(address)).toStrictEqual({ allowed: true });
  });

  it('refuses what is not an IP address', () => {
    expect(policy.check('example.com')).toStrictEqual({ allowed: false, reason: 'not an IP address' });
  });
});

describe('AddressPolicy over generated addresses', () => {
  const policy = new AddressPolicy();
  const v4 = blockList(SPECIAL_V4, 'ipv4');
  const v6Global = blockList(SPECIAL_V6_GLOBAL, 'ipv6');

  it('refuses every IPv4 address in a special-purpose range and allows every other one', () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        expect(policy.check(address).allowed).toBe(!v4.check(address, 'ipv4'));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each(SPECIAL_V4.concat(SPECIAL_V6_GLOBAL, SPECIAL_V6_OTHER))('refuses addresses inside %s', (cidr) => {
    fc.assert(
      fc.property(addressIn(cidr), (address) => {
        expect(policy.check(address).allowed).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('judges an IPv4-mapped address as the IPv4 address it maps', () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        expect(policy.check(`::ffff:${address}`).allowed).toBe(policy.check(address).allowed);
      }),
      { numRuns: 5_000 },
    );
  });

  it('allows global unicast IPv6 outside the special ranges and refuses it inside them', () => {
    fc.assert(
      fc.property(addressIn('2000::/3'), (address) => {
        expect(policy.check(address).allowed).toBe(!v6Global.check(address, 'ipv6'));
      }),
      { numRuns: 20_000 },
    );
  });

  it('refuses IPv6 outside 2000::/3', () => {
    const globalUnicast = blockList(['2000::/3'], 'ipv6');
    const outside = addressIn('::/0').filter((address) => !globalUnicast.check(address, 'ipv6'));
    fc.assert(
      fc.property(outside, (address) => {
        expect(policy.check(address).allowed).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('AddressPolicy with an allow-list', () => {
  const policy = new AddressPolicy([parseCidr('127.0.0.1'), parseCidr('10.1.0.0/16')]);

  it('allows exactly the listed addresses and blocks', () => {
    expect(policy.check('127.0.0.1').allowed).toBe(true);
    expect(policy.check('::ffff:127.0.0.1').allowed).toBe(true);
    expect(policy.check('10.1.200.3').allowed).toBe(true);
  });

  it('still refuses the rest of the forbidden ranges', () => {
    expect(policy.check('127.0.0.2').allowed).toBe(false);
    expect(policy.check('::1').allowed).toBe(false);
    expect(policy.check('10.2.0.1').allowed).toBe(false);
    expect(policy.check('169.254.169.254').allowed).toBe(false);
  });
});

function blockList(cidrs: readonly string[], family: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const range = parseCidr(cidr);
    if (range.family === family) list.addSubnet(range.network, range.prefix, family);
  }
  return list;
}

/** Random addresses inside a CIDR block: its network bits, random host bits. */
function addressIn(cidr: string): fc.Arbitrary<string> {
  const { network, prefix } = parseCidr(cidr);
  const bytes = ipaddr.parse(network).toByteArray();
  const hostBits = BigInt(bytes.length * 8 - prefix);
  const base = (bytes.reduce((n, byte) => (n << 8n) | BigInt(byte), 0n) >> hostBits) << hostBits;
  return fc
    .bigInt({ min: 0n, max: (1n << hostBits) - 1n })
    .map((host) => toAddress(base | host, bytes.length));
}

/** The address of `length` bytes whose value is `value`, as ipaddr.js writes it. */
function toAddress(value: bigint, length: number): string {
  const bytes = Array.from({ length }, (_, i) => Number((value >> BigInt((length - 1 - i) * 8)) & 255n));
  return ipaddr.fromByteArray(bytes).toString();
}
