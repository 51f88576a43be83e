import type { ClaimedCode } from '@app/persistence';
import { HeldCodes } from './held-codes';

const code = (brandId: string, userId: string): ClaimedCode => ({
  id: `${brandId}-${userId}`,
  brandId,
  code: `CODE-${brandId}-${userId}`,
  userId,
  claimedAt: new Date(0),
  eventId: 'e',
});

describe('HeldCodes', () => {
  it('answers the code remembered for exactly that brand and user', async () => {
    const held = new HeldCodes();
    held.remember(code('acme', 'alice'));
    expect(await held.of('acme', 'alice')).toEqual(code('acme', 'alice'));
    expect(held.of('acme', 'bob')).toBeUndefined();
    expect(held.of('other', 'alice')).toBeUndefined();
    // Ids cannot contain the separator, so no two pairs share a key.
    expect(held.of('acm', 'ealice')).toBeUndefined();
  });
});
