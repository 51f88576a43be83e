import { nameBasedEventId } from './name-based-event-id';

/**
 * The id of "brand X ran low during time window W". Every provider replica that notices the
 * same shortage in the same window derives the same id, so JetStream (message id) and the
 * generator (event id) each keep only one of them.
 */
export function poolLowEventId(brandId: string, at: Date, windowMs: number): string {
  const window = Math.floor(at.getTime() / windowMs);
  return nameBasedEventId(`pool.low\u0000${brandId}\u0000${windowMs}\u0000${window}`);
}
