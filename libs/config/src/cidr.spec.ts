import { formatCidr, parseCidr } from './cidr';

describe('parseCidr', () => {
  it.each([
    ['127.0.0.1', { network: '127.0.0.1', prefix: 32, family: 'ipv4' }],
    ['10.0.0.0/8', { network: '10.0.0.0', prefix: 8, family: 'ipv4' }],
    [' 0.0.0.0/0 ', { network: '0.0.0.0', prefix: 0, family: 'ipv4' }],
    ['::1', { network: '::1', prefix: 128, family: 'ipv6' }],
    ['fd00::/8', { network: 'fd00::', prefix: 8, family: 'ipv6' }],
  ])('parses %j', (text, expected) => {
    expect(parseCidr(text)).toStrictEqual(expected);
  });

  it.each([
    '',
    'localhost',
    '10.0.0.0/',
    '10.0.0.0/33',
    '::/129',
    '10.0.0.0/8/8',
    '10.0.0.0/-1',
    '10.0.0.0/1e1',
    '300.1.1.1',
  ])('refuses %j', (text) => {
    expect(() => parseCidr(text)).toThrow(RangeError);
  });

  it('formats back', () => {
    expect(formatCidr(parseCidr('10.1.0.0/16'))).toBe('10.1.0.0/16');
  });
});
