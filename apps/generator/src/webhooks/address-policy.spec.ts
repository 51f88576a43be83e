import { parseCidr } from '@app/config';
import { AddressPolicy } from './address-policy';

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
    ['255.255.255.255', 'reserved'],
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
