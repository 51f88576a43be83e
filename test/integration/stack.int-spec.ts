/**
 * The test stack itself: the MongoDB and NATS chosen by the global setup answer, so that a failure
 * here (rather than in every other spec) points at the environment.
 */
import { mongo } from 'mongoose';
import { connect } from 'nats';
import { mongodbUriFor, testStack } from '../support/stack';

describe('test stack', () => {
  it('MongoDB answers ping and stores a document', async () => {
    const client = new mongo.MongoClient(mongodbUriFor('stack-int-spec'), {
      serverSelectionTimeoutMS: 10_000,
    });
    try {
      await client.connect();
      expect(await client.db().command({ ping: 1 })).toMatchObject({ ok: 1 });
      const collection = client.db().collection<{ _id: string; at: Date }>('probe');
      await collection.deleteMany({});
      await collection.insertOne({ _id: 'probe', at: new Date() });
      expect(await collection.countDocuments()).toBe(1);
      await client.db().dropDatabase();
    } finally {
      await client.close();
    }
  });

  it('is the FerretDB dev server when TEST_MONGODB_IS_FERRETDB says so', async () => {
    const client = new mongo.MongoClient(testStack().mongodbUri, { serverSelectionTimeoutMS: 10_000 });
    try {
      const info = await client.db('admin').command({ buildInfo: 1 });
      if (testStack().isFerretDb) expect(info).toHaveProperty('ferretdbVersion');
      else expect(info).toHaveProperty('version');
    } finally {
      await client.close();
    }
  });

  it('NATS accepts a connection and has JetStream', async () => {
    const nc = await connect({ servers: testStack().natsUrl, timeout: 5_000 });
    try {
      const info = await (await nc.jetstreamManager()).getAccountInfo();
      expect(info).toBeDefined();
      await nc.flush();
    } finally {
      await nc.close();
    }
  });
});
