import { COMMANDS } from '../subjects';
import {
  COMMAND_SCHEMAS,
  REPLENISH_OUTCOMES,
  replenishPoolReplyV1Schema,
  replenishPoolRequestV1Schema,
  type ReplenishPoolReplyV1,
  type ReplenishPoolRequestV1,
} from '.';

const request: ReplenishPoolRequestV1 = {
  version: 1,
  brandId: 'acme',
  reason: 'exhausted',
  requestedAt: '2024-05-01T12:00:00.000Z',
};
const reply: ReplenishPoolReplyV1 = { version: 1, brandId: 'acme', outcome: 'replenished', added: 100 };

describe('pool.replenish v1', () => {
  it('accepts a valid request and reply unchanged', () => {
    expect(replenishPoolRequestV1Schema.parse(request)).toStrictEqual(request);
    expect(replenishPoolReplyV1Schema.parse(reply)).toStrictEqual(reply);
  });

  it.each(REPLENISH_OUTCOMES)('accepts the outcome %s', (outcome) => {
    expect(replenishPoolReplyV1Schema.safeParse({ ...reply, outcome, added: 0 }).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['another reason', { reason: 'bored' }],
    ['version 2', { version: 2 }],
    ['a bad brand id', { brandId: '#acme' }],
    ['a bad requestedAt', { requestedAt: 'now' }],
    ['an extra field', { count: 1_000_000 }],
  ])('refuses a request with %s', (_, change) => {
    expect(replenishPoolRequestV1Schema.safeParse({ ...request, ...change }).success).toBe(false);
  });

  it.each<[string, Record<string, unknown>]>([
    ['an unknown outcome', { outcome: 'maybe' }],
    ['a negative count', { added: -1 }],
    ['a fractional count', { added: 0.5 }],
    ['an extra field', { codes: ['A'] }],
  ])('refuses a reply with %s', (_, change) => {
    expect(replenishPoolReplyV1Schema.safeParse({ ...reply, ...change }).success).toBe(false);
  });

  it('every command has request and reply schemas', () => {
    expect(Object.keys(COMMAND_SCHEMAS).sort()).toEqual(Object.values(COMMANDS).sort());
    expect(COMMAND_SCHEMAS[COMMANDS.replenishPool].request.safeParse(request).success).toBe(true);
    expect(COMMAND_SCHEMAS[COMMANDS.replenishPool].reply.safeParse(reply).success).toBe(true);
  });
});
