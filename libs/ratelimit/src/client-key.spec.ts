import { clientKeyOf } from './client-key';

describe('clientKeyOf', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::', '2001:db8:1:2::/64'],
    ['::1', '::/64'],
  ])('keys %s as %s', (ip, key) => {
    expect(clientKeyOf(ip)).toBe(key);
  });

  it('keeps two /64s apart', () => {
    expect(clientKeyOf('2001:db8:1:2::1')).not.toBe(clientKeyOf('2001:db8:1:3::1'));
  });

  it('passes through what is not an address (a unix socket peer, say)', () => {
    expect(clientKeyOf('unknown')).toBe('unknown');
  });
});
