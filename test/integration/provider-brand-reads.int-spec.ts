/**
 * The internet-facing provider never reads a brand's webhook (its URL, its secret): it reads
 * brands through findPoolSettings alone (apps/provider's BrandSettingsCache). Checked on the
 * commands sent to a real server, with the driver's command monitoring.
 */
import { randomBytes } from 'node:crypto';
import { Brand, BrandSchema, BrandsRepository } from '@app/persistence';
import { monitoredConnection, type MonitoredConnection } from '../support/command-monitor';

const DB_NAME = `int_provider_reads_${randomBytes(4).toString('hex')}`;
const SECRET = 'whsec_never_read_by_the_provider_0123';

let monitored: MonitoredConnection;
let brands: BrandsRepository;

beforeAll(async () => {
  monitored = await monitoredConnection(DB_NAME);
  const model = monitored.connection.model<Brand>(Brand.name, BrandSchema);
  await model.init();
  brands = new BrandsRepository(model);
  await brands.create({
    id: 'hooked',
    name: 'Hooked',
    apiKeyHash: randomBytes(32).toString('hex'),
    poolLowThreshold: 5,
    webhook: { url: 'https://hooks.example.com/x', secret: SECRET, updatedAt: new Date() },
  });
});

afterAll(async () => {
  await monitored?.connection.dropDatabase();
  await monitored?.connection.close();
});

it('reads the pool settings of a brand without ever selecting its webhook', async () => {
  let settings: unknown;
  const commands = await monitored.commandsOf(async () => {
    settings = await brands.findPoolSettings('hooked');
  });
  expect(settings).toEqual({ poolLowThreshold: 5 });
  const reads = commands.filter((c) => c.collection === 'brands');
  expect(reads.map((c) => c.name)).toEqual(['find']);
  // An inclusion projection without the webhook: the field never leaves the database.
  const projection = reads[0]!.command.projection as Record<string, unknown>;
  expect(Object.keys(projection).sort()).toEqual(['_id', 'autoReplenish', 'poolLowThreshold']);
  expect(JSON.stringify(settings)).not.toContain(SECRET);
});
