import { codeClaimedV1Schema } from '@app/contracts';
import { claimEventOf } from './claim-event';

describe('claimEventOf', () => {
  const claim = {
    id: '665f1c2b9d3e4a0012345678',
    brandId: 'acme',
    code: '7U7I845L',
    userId: 'alice',
    claimedAt: new Date('2024-05-01T12:34:56.789Z'),
    eventId: '0b5a2b8e-6a41-4d3c-9a57-5f1d0c1e2f3a',
    traceContext: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
  };

  it('is a valid code.claimed v1 event carrying the claim’s stored event id', () => {
    const event = claimEventOf(claim);
    expect(codeClaimedV1Schema.parse(event)).toStrictEqual({
      eventId: claim.eventId,
      type: 'code.claimed',
      version: 1,
      brandId: 'acme',
      code: '7U7I845L',
      userId: 'alice',
      claimedAt: '2024-05-01T12:34:56.789Z',
    });
  });

  it('is the same every time it is built: a republished event is a duplicate JetStream drops', () => {
    expect(claimEventOf(claim)).toStrictEqual(claimEventOf({ ...claim }));
  });
});
