import { isIP } from 'node:net';

export type AddressFamily = 'ipv4' | 'ipv6';

/** A CIDR block such as 10.0.0.0/8 or fd00::/8; a bare address is a block of one. */
export interface AddressRange {
  readonly network: string;
  readonly prefix: number;
  readonly family: AddressFamily;
}

export function parseCidr(text: string): AddressRange {
  const [network = '', prefixText, ...rest] = text.trim().split('/');
  const version = isIP(network);
  if (version === 0 || rest.length > 0) throw new RangeError(`"${text}" is not an IP address or CIDR block`);
  const family: AddressFamily = version === 4 ? 'ipv4' : 'ipv6';
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? String(bits)) || prefix > bits) {
    throw new RangeError(`"${text}": the prefix length must be 0–${bits}`);
  }
  return { network, prefix, family };
}

export function formatCidr(range: AddressRange): string {
  return `${range.network}/${range.prefix}`;
}
