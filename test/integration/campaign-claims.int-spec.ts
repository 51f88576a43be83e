/**
 * CodeClaimsRepository.claimInCampaign against the test stack's MongoDB (the FerretDB dev server
 * unless MONGODB_URI is set): a user holds at most perUserLimit codes of a campaign however many
 * of their claims race, campaigns never take each other's codes nor the default campaign's, and
 * every claim goes into the outbox with the same write.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ConsoleLogger } from '@nestjs/common';
import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Connection, Model } from 'mongoose';
import { ConfigModule } from '@app/config';
import {
  availableCodes,
  claimTicket,
  Code,
  CodeClaimsRepository,
  CodePoolRepository,
  COLLECTION_NAMES,
  PersistenceModule,
  type CampaignClaim,
} from '@app/persistence';
import { testStackConfig } from '../support/config';

const DB_NAME = `int_campaign_claims_${randomBytes(4).toString('hex')}`;

let moduleRef: TestingModule;
let connection: Connection;
let codeModel: Model<Code>;
let claims: CodeClaimsRepository;
let pool: CodePoolRepository;

beforeAll(async () => {
  moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(testStackConfig('campaign-claims-int-spec', DB_NAME)),
      PersistenceModule.forRoot({ defaultPoolSize: 5, collections: COLLECTION_NAMES }),
    ],
  })
    .setLogger(new ConsoleLogger({ logLevels: ['error', 'fatal'] }))
    .compile();
  connection = moduleRef.get<Connection>(getConnectionToken());
  codeModel = moduleRef.get<Model<Code>>(getModelToken(Code.name));
  // The unique {brandId, holder} index is what caps a user's tickets: the races need it built.
  await codeModel.init();
  claims = moduleRef.get(CodeClaimsRepository);
  pool = moduleRef.get(CodePoolRepository);
});

afterAll(async () => {
  if (connection) await connection.dropDatabase();
  if (moduleRef) await moduleRef.close();
});

/** A fresh brand id per test: tests sharing the database never see each other's codes. */
const newBrandId = () => `camp-${randomBytes(5).toString('hex')}`;

/** Stores `count` available codes of the campaign (undefined: the default one); returns them. */
async function addCodes(
  brandId: string,
  campaignId: string | undefined,
  count: number,
  expiresAt?: Date,
): Promise<string[]> {
  const codes = Array.from({ length: count }, () => `C${randomBytes(6).toString('hex').toUpperCase()}`);
  await codeModel.collection.insertMany(
    availableCodes(
      codes.map((code) => ({
        brandId,
        campaignId,
        code,
        batchId: randomUUID(),
        createdAt: new Date(),
        expiresAt,
      })),
    ),
  );
  return codes;
}

const claimIn = (brandId: string, campaignId: string, userId: string, limit: number) =>
  claims.claimInCampaign(brandId, campaignId, userId, limit, new Date());

const codesOf = (claim: CampaignClaim) => claim.held.map((held) => held.code);

describe('CodeClaimsRepository.claimInCampaign', () => {
  it('gives a user up to perUserLimit codes, then the codes held, oldest first', async () => {
    const brandId = newBrandId();
    const codes = await addCodes(brandId, 'spring', 10);

    const answers: CampaignClaim[] = [];
    for (let i = 0; i < 5; i++) answers.push(await claimIn(brandId, 'spring', 'ann', 3));

    expect(answers.map((a) => a.outcome)).toEqual([
      'claimed',
      'claimed',
      'claimed',
      'limit_reached',
      'limit_reached',
    ]);
    const mine = answers.slice(0, 3).map((a) => (a.outcome === 'claimed' ? a.code.code : ''));
    expect(new Set(mine).size).toBe(3);
    for (const code of mine) expect(codes).toContain(code);
    expect(codesOf(answers[0]!)).toEqual(mine.slice(0, 1));
    expect(codesOf(answers[2]!)).toEqual(mine);
    expect(codesOf(answers[4]!)).toEqual(mine);
    for (const held of answers[4]!.held)
      expect(held).toMatchObject({ brandId, campaignId: 'spring', userId: 'ann' });

    // Each code is held by one of the user's tickets, and its event is in the outbox.
    const docs = await codeModel.find({ brandId, status: 'claimed' }).lean().exec();
    expect(docs.map((d) => d.holder).sort()).toEqual(
      [0, 1, 2].map((n) => claimTicket('ann', 'spring', n).holder).sort(),
    );
    for (const doc of docs)
      expect(doc).toMatchObject({ campaignId: 'spring', claimedBy: 'ann', eventPending: true });
    expect(await codeModel.countDocuments({ brandId, status: 'available' })).toBe(7);
  });

  it('answers none_available with the codes held when the campaign runs out, and with none for a stranger', async () => {
    const brandId = newBrandId();
    await addCodes(brandId, 'tiny', 2);
    const first = await claimIn(brandId, 'tiny', 'bob', 3);
    const second = await claimIn(brandId, 'tiny', 'bob', 3);
    const third = await claimIn(brandId, 'tiny', 'bob', 3);
    expect([first.outcome, second.outcome, third.outcome]).toEqual(['claimed', 'claimed', 'none_available']);
    expect(codesOf(third)).toEqual(codesOf(second));
    expect(await claimIn(brandId, 'tiny', 'carol', 3)).toEqual({ outcome: 'none_available', held: [] });
  });

  it('never takes codes of another campaign or of the default campaign, nor gives them to it', async () => {
    const brandId = newBrandId();
    const defaults = await addCodes(brandId, undefined, 3);
    const summer = await addCodes(brandId, 'summer', 2);
    const winter = await addCodes(brandId, 'winter', 2);

    const inSummer = await Promise.all(['u1', 'u2', 'u3'].map((user) => claimIn(brandId, 'summer', user, 1)));
    expect(inSummer.map((a) => a.outcome).sort()).toEqual(['claimed', 'claimed', 'none_available']);
    expect(new Set(inSummer.flatMap(codesOf))).toEqual(new Set(summer));

    // A user holding codes of one campaign still claims in another, and in the default one.
    const inWinter = await claimIn(brandId, 'winter', 'u1', 1);
    expect(inWinter.outcome).toBe('claimed');
    expect(winter).toContain(codesOf(inWinter)[0]);
    const inDefault = await claims.claimOrFindHeld(brandId, 'u1', new Date());
    expect(inDefault.outcome === 'claimed' && defaults.includes(inDefault.code.code)).toBe(true);
    expect(inDefault.outcome === 'claimed' && inDefault.code.campaignId).toBeUndefined();

    // The default campaign's claims never reach a campaign's codes.
    const rest = await Promise.all(
      ['d2', 'd3', 'd4', 'd5'].map((u) => claims.claimOrFindHeld(brandId, u, new Date())),
    );
    expect(rest.map((a) => a.outcome).sort()).toEqual([
      'claimed',
      'claimed',
      'none_available',
      'none_available',
    ]);
    expect(await codeModel.countDocuments({ brandId, campaignId: 'winter', status: 'available' })).toBe(1);
  });

  it('skips expired codes of the campaign', async () => {
    const brandId = newBrandId();
    await addCodes(brandId, 'old', 3, new Date(Date.now() - 1_000));
    expect(await claimIn(brandId, 'old', 'dan', 2)).toEqual({ outcome: 'none_available', held: [] });
    const [live] = await addCodes(brandId, 'old', 1, new Date(Date.now() + 3_600_000));
    const answer = await claimIn(brandId, 'old', 'dan', 2);
    expect(answer.outcome === 'claimed' && answer.code.code).toBe(live);
  });

  it('30 concurrent claims of one user with perUserLimit 3: exactly 3 claimed, every other answer holds those 3', async () => {
    const brandId = newBrandId();
    await addCodes(brandId, 'race', 20);

    const answers = await Promise.all(Array.from({ length: 30 }, () => claimIn(brandId, 'race', 'eve', 3)));

    const claimed = answers.flatMap((a) => (a.outcome === 'claimed' ? [a.code.code] : []));
    expect(claimed).toHaveLength(3);
    expect(new Set(claimed).size).toBe(3);
    for (const answer of answers.filter((a) => a.outcome !== 'claimed')) {
      expect(answer.outcome).toBe('limit_reached');
      expect(new Set(codesOf(answer))).toEqual(new Set(claimed));
    }
    expect(await codeModel.countDocuments({ brandId, claimedBy: 'eve' })).toBe(3);
    expect(await codeModel.countDocuments({ brandId, status: 'available' })).toBe(17);
  });

  it('40 users × 3 concurrent claims, perUserLimit 2, 50 codes: nobody above 2, no code twice, the database agrees', async () => {
    const brandId = newBrandId();
    const codes = await addCodes(brandId, 'crowd', 50);
    const users = Array.from({ length: 40 }, (_, i) => `crowd-${i}`);

    const requests = users.flatMap((user) => [user, user, user]);
    const answers = await Promise.all(requests.map((user) => claimIn(brandId, 'crowd', user, 2)));

    const newClaims = answers.flatMap((a) => (a.outcome === 'claimed' ? [a.code] : []));
    expect(newClaims).toHaveLength(50);
    expect(new Set(newClaims.map((c) => c.code))).toEqual(new Set(codes));
    const docs = await codeModel.find({ brandId, status: 'claimed' }).lean().exec();
    expect(docs).toHaveLength(50);
    const heldBy = new Map<string, string[]>();
    for (const doc of docs) heldBy.set(doc.claimedBy!, [...(heldBy.get(doc.claimedBy!) ?? []), doc.code]);
    for (const held of heldBy.values()) expect(held.length).toBeLessThanOrEqual(2);
    // Whatever a user was told they hold, the database says they hold.
    requests.forEach((user, i) => {
      for (const code of codesOf(answers[i]!)) expect(heldBy.get(user)).toContain(code);
    });
    for (const claim of newClaims) expect(heldBy.get(claim.userId)).toContain(claim.code);
  });
});

it('counts the default campaign’s pool only for pool.low, whatever the campaigns hold', async () => {
  const brandId = newBrandId();
  await addCodes(brandId, undefined, 2);
  await addCodes(brandId, 'spring', 5);
  expect(await pool.countAvailable(brandId)).toBe(2);
  expect((await claimIn(brandId, 'spring', 'u-pool', 1)).outcome).toBe('claimed');
  expect(await pool.countAvailable(brandId)).toBe(2);
});
