import type { Connection } from 'mongoose';
import type { MongoPoolMetrics } from '@app/metrics';

/**
 * Feeds the pool gauges from the driver's connection-pool (CMAP) events: a pool that stays
 * fully checked out is the first sign of a slow database or too small a MONGODB_MAX_POOL_SIZE.
 * Called as soon as the connection object exists, before it connects, so no event is missed.
 */
export function watchConnectionPool(
  connection: Connection,
  metrics: MongoPoolMetrics,
  maxPoolSize: number,
): void {
  metrics.maxSize(maxPoolSize);
  const client = connection.getClient();
  client.on('connectionCreated', () => metrics.change('open', 1));
  client.on('connectionClosed', () => metrics.change('open', -1));
  client.on('connectionCheckedOut', () => metrics.change('in_use', 1));
  client.on('connectionCheckedIn', () => metrics.change('in_use', -1));
}
