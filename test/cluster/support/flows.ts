/**
 * What several cluster specs do with the installed release: user tokens signed with its JWT
 * secret, brands made through the gateway, and GETs from the node to pod and Service addresses.
 */
import { SignJWT } from 'jose';
import { mongo } from 'mongoose';
import { request as httpRequest } from 'node:http';
import { gateway, installation, kubectl, type Installation } from './cluster';

/** A release the specs call: the tier's own (installation()) or one a spec installed beside it. */
export type Release = Pick<Installation, 'namespace' | 'release' | 'host' | 'adminTokens' | 'jwtSecret'>;

/** A user token for the provider's v1 claims (HS256 with the release's JWT_SECRET, sub = userId). */
export function userToken(userId: string, jwtSecret = installation().jwtSecret): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime('30m')
    .sign(new TextEncoder().encode(jwtSecret));
}

/**
 * Registers a brand through the gateway with the generator's admin token (deploy/local/values.yaml
 * lets admin tokens through the public port); resolves to its API key.
 */
export async function createBrand(id: string, target: Release = installation()): Promise<string> {
  const created = await gateway<{ apiKey: string }>(
    '/v1/brands',
    { json: { id, name: `Brand ${id}` }, token: target.adminTokens.generator },
    target.host,
  );
  expect(created.status).toBe(201);
  return created.body.apiKey;
}

export function clusterIp(service: string, namespace = installation().namespace): Promise<string> {
  return kubectl(['get', 'service', '-n', namespace, service, '-o', 'jsonpath={.spec.clusterIP}']);
}

/** The release's database (deploy/local's stand-in), reached from the node at its Service's address. */
export async function withDatabase<T>(
  use: (db: mongo.Db) => Promise<T>,
  namespace = installation().namespace,
): Promise<T> {
  const client = new mongo.MongoClient(
    `mongodb://${await clusterIp('discounts-mongodb', namespace)}:27017/`,
    {
      directConnection: true,
      serverSelectionTimeoutMS: 10_000,
    },
  );
  try {
    return await use(client.db('discounts'));
  } finally {
    await client.close();
  }
}

/** GET from the node to a pod's or a Service's address (kube-proxy's rules route the latter). */
export function getText(host: string, port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpRequest({ host, port, path, timeout: 10_000 }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve(text));
    })
      .on('error', reject)
      .end();
  });
}
