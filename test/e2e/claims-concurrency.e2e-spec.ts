/**
 * Claims under contention, through real sockets: a brand running out of codes, a flash sale of 500
 * users for 400 codes, and one user hammering the claim route. No code may go to two users, no
 * user may get two codes, and the database must agree with the answers: besides the assertions of
 * each test, the claim audit (test/support/claim-audit) checks every answer against the database.
 */
import type { ClaimAnswer } from '../support/claim-audit';
import {
  auditAnswer,
  claim as claimAt,
  CLAIM_TIMEOUT_MS,
  expectCleanAudit as expectCleanAuditIn,
  histogram,
  type ClaimReply,
} from './support/claims';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { type BrandStats, type CreatedBrand } from './support/http';
import { userToken } from './support/jwt';
import { eventually } from './support/poll';

let stack: E2eStack;

beforeAll(async () => {
  stack = await startE2eStack({ label: 'claims', generatorEnv: { DEV_OPEN_BRAND_API: undefined } });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

/** Creates a brand holding exactly `count` codes. */
async function brandWithCodes(id: string, count: number): Promise<CreatedBrand> {
  const brand = await stack.genAdmin.post<CreatedBrand>('/v1/brands', { id, name: id });
  expect(brand.status).toBe(201);
  const batch = await stack.genAdmin.post(`/v1/brands/${id}/codes`, { count }, { timeoutMs: 60_000 });
  expect(batch.status).toBe(201);
  return brand.body;
}

async function stats(brandId: string): Promise<BrandStats> {
  const res = await stack.genAdmin.get<BrandStats>(`/v1/brands/${brandId}/stats`);
  expect(res.status).toBe(200);
  return res.body;
}

const claim = (brandId: string, token: string): Promise<ClaimReply> => claimAt(stack.prov, brandId, token);

async function expectCleanAudit(brandId: string, total: number, answers: readonly ClaimAnswer[]) {
  return expectCleanAuditIn(await stack.db(), brandId, total, answers);
}

async function claimedDocs(brandId: string) {
  return (await stack.db()).collection('codes').find({ brandId, status: 'claimed' }).toArray();
}

describe('claims under contention', () => {
  it('a brand with 3 codes serves exactly 3 of 5 concurrent users; the others get 409 codes_exhausted', async () => {
    await brandWithCodes('trio', 3);
    const users = ['t-1', 't-2', 't-3', 't-4', 't-5'];
    const tokens = await Promise.all(users.map((u) => userToken(u)));
    const answers = await Promise.all(tokens.map((t) => claim('trio', t)));

    expect(histogram(answers)).toEqual({ 201: 3, 409: 2 });
    const won = answers.filter((a) => a.status === 201);
    expect(new Set(won.map((a) => a.body.code)).size).toBe(3);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body).toMatchObject({ statusCode: 409, error: 'codes_exhausted' });
    }

    // Asking again changes nothing: winners get their code (200), losers stay refused.
    const again = await Promise.all(tokens.map((t) => claim('trio', t)));
    for (let i = 0; i < users.length; i++) {
      if (answers[i]!.status === 201) {
        expect(again[i]!.status).toBe(200);
        expect(again[i]!.body).toStrictEqual(answers[i]!.body);
      } else {
        expect(again[i]!.status).toBe(409);
      }
    }
    const audited = [...answers, ...again].map((a, i) => auditAnswer('trio', users[i % users.length]!, a));
    expect(await expectCleanAudit('trio', 3, audited)).toMatchObject({
      claimed: 3,
      newClaims: 3,
      answers: { created: 3, held: 3, exhausted: 4, failed: 0 },
    });
    const docs = await claimedDocs('trio');
    expect(docs).toHaveLength(3);
    expect(new Set(docs.map((d) => d.claimedBy as string)).size).toBe(3);
    expect(await stats('trio')).toMatchObject({ total: 3, available: 0, claimed: 3 });
  }, 60_000);

  it(
    '500 users for 400 codes at once: 400 × 201 with distinct codes, 100 × 409, nobody with two',
    async () => {
      await brandWithCodes('flash', 400);
      const users = Array.from({ length: 500 }, (_, i) => `flash-user-${i}`);
      const tokens = await Promise.all(users.map((u) => userToken(u)));

      const answers = await Promise.all(tokens.map((t) => claim('flash', t)));

      expect(histogram(answers)).toEqual({ 201: 400, 409: 100 });
      const codeOfUser = new Map<string, string>();
      answers.forEach((a, i) => {
        if (a.status === 201) {
          expect(a.body.brandId).toBe('flash');
          codeOfUser.set(users[i]!, a.body.code);
        } else {
          expect(a.body).toMatchObject({ statusCode: 409, error: 'codes_exhausted' });
        }
      });
      expect(new Set(codeOfUser.values()).size).toBe(400);

      // The database agrees: 400 claimed documents, 400 different holders, each the user told so.
      const docs = await claimedDocs('flash');
      expect(docs).toHaveLength(400);
      expect(new Set(docs.map((d) => d.claimedBy as string)).size).toBe(400);
      const holderOfCode = new Map(docs.map((d) => [d.code as string, d.claimedBy as string]));
      for (const [user, code] of codeOfUser) expect(holderOfCode.get(code)).toBe(user);
      const codes = (await stack.db()).collection('codes');
      expect(await codes.countDocuments({ brandId: 'flash', status: 'available' })).toBe(0);

      expect(await stats('flash')).toMatchObject({
        brandId: 'flash',
        total: 400,
        available: 0,
        claimed: 400,
      });
      // Every claim's event reaches the generator, once.
      await eventually(async () => expect((await stats('flash')).claimedNotified).toBe(400), {
        timeoutMs: 120_000,
      });

      // A winner asking again gets the same code; a loser is still refused.
      const winner = answers.findIndex((a) => a.status === 201);
      const loser = answers.findIndex((a) => a.status === 409);
      const winnerAgain = await claim('flash', tokens[winner]!);
      expect(winnerAgain.status).toBe(200);
      expect(winnerAgain.body.code).toBe(answers[winner]!.body.code);
      const loserAgain = await claim('flash', tokens[loser]!);
      expect(loserAgain.status).toBe(409);

      const audited = [
        ...answers.map((a, i) => auditAnswer('flash', users[i]!, a)),
        auditAnswer('flash', users[winner]!, winnerAgain),
        auditAnswer('flash', users[loser]!, loserAgain),
      ];
      expect(await expectCleanAudit('flash', 400, audited)).toMatchObject({
        available: 0,
        claimed: 400,
        answers: { created: 400, held: 1, exhausted: 101, failed: 0 },
      });
    },
    CLAIM_TIMEOUT_MS + 120_000,
  );

  it('50 concurrent claims by one user: one 201, 49 × 200, one code, one claimed document', async () => {
    await brandWithCodes('solo', 20);
    const token = await userToken('solo-user');

    const answers = await Promise.all(Array.from({ length: 50 }, () => claim('solo', token)));

    expect(histogram(answers)).toEqual({ 200: 49, 201: 1 });
    expect(new Set(answers.map((a) => a.body.code)).size).toBe(1);
    const code = answers[0]!.body.code;
    for (const a of answers) expect(a.body).toStrictEqual(answers[0]!.body);

    const docs = await claimedDocs('solo');
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ code, claimedBy: 'solo-user' });
    expect(await stats('solo')).toMatchObject({ total: 20, available: 19, claimed: 1 });
    expect(
      await expectCleanAudit(
        'solo',
        20,
        answers.map((a) => auditAnswer('solo', 'solo-user', a)),
      ),
    ).toMatchObject({ claimed: 1, answers: { created: 1, held: 49 } });
    // One claim, one event.
    await eventually(async () => expect((await stats('solo')).claimedNotified).toBe(1), {
      timeoutMs: 20_000,
    });
  }, 120_000);

  it('no process failed or logged an error along the way', () => {
    for (const app of [stack.provider, stack.generator]) {
      expect(app.child.exitCode).toBeNull();
      const errors = app
        .logs()
        .split('\n')
        .filter((line) => /"level":"(error|fatal)"|\bERROR\b/.test(line));
      expect(errors).toEqual([]);
    }
  });
});
