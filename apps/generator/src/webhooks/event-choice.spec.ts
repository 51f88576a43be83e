import { WEBHOOK_EVENT_TYPES } from '@app/contracts';
import type { WebhookSettings } from '@app/persistence';
import { chosenEventTypes, receivesEvent } from './event-choice';

const webhook: WebhookSettings = {
  url: 'https://hooks.acme.example/discounts',
  secret: 'sealed',
  updatedAt: new Date('2024-05-01T00:00:00Z'),
};

describe('the event types a webhook receives', () => {
  it('are code.claimed only for a brand that never chose (what every webhook got before)', () => {
    expect(chosenEventTypes(webhook)).toEqual(['code.claimed']);
    for (const type of WEBHOOK_EVENT_TYPES)
      expect(receivesEvent(webhook, type)).toBe(type === 'code.claimed');
  });

  it('are exactly the chosen ones once a brand chose', () => {
    const chosen = { ...webhook, events: ['job.completed', 'code.redeemed'] as const };
    expect(chosenEventTypes(chosen)).toEqual(['job.completed', 'code.redeemed']);
    expect(receivesEvent(chosen, 'job.completed')).toBe(true);
    expect(receivesEvent(chosen, 'code.redeemed')).toBe(true);
    expect(receivesEvent(chosen, 'code.claimed')).toBe(false);
    expect(receivesEvent(chosen, 'job.failed')).toBe(false);
  });

  it('are none without a webhook', () => {
    for (const type of WEBHOOK_EVENT_TYPES) expect(receivesEvent(undefined, type)).toBe(false);
  });
});
