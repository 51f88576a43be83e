/**
 * The floor of the provider's CPU per claim: a bare Fastify handler, in its own Node process like
 * the provider, that sends the repository's very same claim commands (claimCommands) with the
 * driver the provider uses. No Nest, no guards, no rate limits, no outbox relay, no metrics, no
 * logs: what serving a claim over HTTP costs at the least. The bench starts it (floor.ts).
 *
 * Environment: MONGODB_URI, MONGODB_MAX_POOL_SIZE, PORT.
 */
import Fastify from 'fastify';
import { mongo } from 'mongoose';
import { claimCommands, CODES_COLLECTION, type ClaimCommand } from '@app/persistence';

interface ClaimedDoc {
  code: string;
  claimedAt: Date;
}

/**
 * The user is the subject of the bench's JWT, read without checking the signature: checking
 * credentials is part of what the floor leaves out.
 */
function subjectOf(authorization: string | undefined): string | null {
  const payload = authorization?.split('.')[1];
  if (!payload) return null;
  const { sub } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown };
  return typeof sub === 'string' ? sub : null;
}

async function main(): Promise<void> {
  const client = new mongo.MongoClient(process.env.MONGODB_URI ?? '', {
    maxPoolSize: Number(process.env.MONGODB_MAX_POOL_SIZE ?? 50),
  });
  await client.connect();
  const codes = client.db().collection(CODES_COLLECTION);
  const send = (command: ClaimCommand) =>
    codes.findOneAndUpdate(
      command.filter,
      command.update,
      command.options as mongo.FindOneAndUpdateOptions,
    ) as Promise<ClaimedDoc | null>;

  const app = Fastify();
  app.get('/health/ready', () => ({ status: 'ok' }));
  app.post<{ Params: { brandId: string } }>('/v1/brands/:brandId/claims', async (request, reply) => {
    const userId = subjectOf(request.headers.authorization);
    if (!userId) return reply.code(401).send({ error: 'unauthorized' });
    const { brandId } = request.params;
    const [atOrAbove, below] = claimCommands(brandId, userId, new Date());
    const doc = (await send(atOrAbove)) ?? (await send(below));
    if (!doc) return reply.code(409).send({ error: 'no_codes_available' });
    return reply.code(201).send({ brandId, code: doc.code, claimedAt: doc.claimedAt });
  });
  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
  const stop = () => void app.close().then(() => client.close());
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `floor server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
