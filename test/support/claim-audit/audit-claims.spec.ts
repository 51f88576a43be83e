import {
  auditClaims,
  describeAudit,
  type ClaimAnswer,
  type ClaimAuditInput,
  type CodeRecord,
  type ViolationKind,
} from './audit-claims';

const unclaimedHolder = (code: string) => `#${code}`;

const available = (brandId: string, code: string): CodeRecord => ({
  brandId,
  code,
  status: 'available',
  holder: unclaimedHolder(code),
});
const claimed = (brandId: string, code: string, userId: string): CodeRecord => ({
  brandId,
  code,
  status: 'claimed',
  holder: userId,
  claimedBy: userId,
});
const created = (brandId: string, userId: string, code: string): ClaimAnswer => ({
  brandId,
  userId,
  outcome: 'created',
  code,
});
const held = (brandId: string, userId: string, code: string): ClaimAnswer => ({
  brandId,
  userId,
  outcome: 'held',
  code,
});
const exhausted = (brandId: string, userId: string): ClaimAnswer => ({
  brandId,
  userId,
  outcome: 'exhausted',
});

/** A clean run: brand "a" had 4 codes, 3 users claimed, one asked twice, one was too late. */
function cleanRun(): Pick<ClaimAuditInput, 'codes' | 'answers'> {
  return {
    codes: [
      claimed('a', 'A1', 'u1'),
      claimed('a', 'A2', 'u2'),
      claimed('a', 'A3', 'u3'),
      claimed('a', 'A4', 'u4'),
      available('b', 'B1'),
      claimed('b', 'B2', 'u1'),
    ],
    answers: [
      created('a', 'u1', 'A1'),
      created('a', 'u2', 'A2'),
      created('a', 'u3', 'A3'),
      created('a', 'u4', 'A4'),
      held('a', 'u1', 'A1'),
      exhausted('a', 'u5'),
      created('b', 'u1', 'B2'),
    ],
  };
}

function audit(input: Partial<ClaimAuditInput> & Pick<ClaimAuditInput, 'codes' | 'answers'>) {
  return auditClaims({ unclaimedHolder, ...input });
}

const kinds = (input: Parameters<typeof audit>[0]): ViolationKind[] =>
  audit(input).violations.map((v) => v.kind);

describe('auditClaims', () => {
  it('passes a clean run and counts per brand and in total', () => {
    const report = audit({ ...cleanRun(), expectedTotals: { a: 4, b: 2 } });
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.brands).toEqual([
      {
        brandId: 'a',
        total: 4,
        available: 0,
        claimed: 4,
        expired: 0,
        redeemed: 0,
        newClaims: 4,
        answers: { created: 4, held: 1, exhausted: 1, failed: 0 },
      },
      {
        brandId: 'b',
        total: 2,
        available: 1,
        claimed: 1,
        expired: 0,
        redeemed: 0,
        newClaims: 1,
        answers: { created: 1, held: 0, exhausted: 0, failed: 0 },
      },
    ]);
    expect(report.totals).toEqual({
      total: 6,
      available: 1,
      claimed: 5,
      expired: 0,
      redeemed: 0,
      newClaims: 5,
      answers: { created: 5, held: 1, exhausted: 1, failed: 0 },
    });
  });

  it('passes an empty run', () => {
    expect(audit({ codes: [], answers: [] })).toMatchObject({ ok: true, brands: [], violations: [] });
  });

  it('reports a code given to two users', () => {
    const run = cleanRun();
    const report = audit({ ...run, answers: [...run.answers, held('a', 'u9', 'A2')] });
    expect(report.ok).toBe(false);
    expect(report.violations).toContainEqual({
      kind: 'code_given_to_two_users',
      brandId: 'a',
      message: 'code A2 was given to u2, u9',
    });
  });

  it('reports a user who holds two codes of one brand in the database', () => {
    const codes = [claimed('a', 'A1', 'u1'), claimed('a', 'A2', 'u1'), available('a', 'A3')];
    const answers = [created('a', 'u1', 'A1'), created('a', 'u2', 'A2')];
    const report = audit({ codes, answers });
    expect(report.violations).toContainEqual({
      kind: 'user_holds_two_codes',
      brandId: 'a',
      message: 'user u1 holds A1, A2 in the database',
    });
    // The answer to u2 disagrees with the database as well.
    expect(report.violations.map((v) => v.kind)).toContain('answer_disagrees_with_database');
  });

  it('reports a user who was told two different codes of one brand', () => {
    const codes = [claimed('a', 'A1', 'u1'), available('a', 'A2')];
    expect(kinds({ codes, answers: [created('a', 'u1', 'A1'), held('a', 'u1', 'A2')] })).toEqual(
      expect.arrayContaining(['user_holds_two_codes', 'answer_disagrees_with_database']),
    );
  });

  it('allows a user one code in each of several brands', () => {
    const codes = [claimed('a', 'X', 'u1'), claimed('b', 'X', 'u1')];
    const answers = [created('a', 'u1', 'X'), created('b', 'u1', 'X')];
    expect(audit({ codes, answers }).violations).toEqual([]);
  });

  it('reports "new claim" told twice to the same user, once', () => {
    const codes = [claimed('a', 'A1', 'u1')];
    const answers = [created('a', 'u1', 'A1'), created('a', 'u1', 'A1'), created('a', 'u1', 'A1')];
    expect(kinds({ codes, answers })).toEqual(['repeated_new_claim', 'new_claims_mismatch']);
  });

  it('reports a code that does not exist, or belongs to another brand', () => {
    const codes = [claimed('a', 'A1', 'u1'), available('b', 'B1')];
    const report = audit({
      codes,
      answers: [created('a', 'u1', 'A1'), held('a', 'u2', 'NOPE'), held('a', 'u3', 'B1')],
    });
    expect(report.violations).toEqual([
      { kind: 'claimed_code_missing', brandId: 'a', message: 'user u2 was given NOPE, which does not exist' },
      {
        kind: 'claimed_code_of_other_brand',
        brandId: 'a',
        message: 'user u3 was given B1, a code of brand b',
      },
    ]);
  });

  it('reports an answer the database contradicts: code still available, or claimed by someone else', () => {
    const codes = [available('a', 'A1'), claimed('a', 'A2', 'u9')];
    const report = audit({
      codes,
      answers: [held('a', 'u1', 'A1'), held('a', 'u2', 'A2')],
      claimedBefore: { a: 1 },
    });
    expect(report.violations).toEqual([
      {
        kind: 'answer_disagrees_with_database',
        brandId: 'a',
        message: 'user u1 was given A1, stored as available by undefined',
      },
      {
        kind: 'answer_disagrees_with_database',
        brandId: 'a',
        message: 'user u2 was given A2, stored as claimed by u9',
      },
    ]);
  });

  it('reports a granted answer without a code', () => {
    const report = audit({
      codes: [available('a', 'A1')],
      answers: [{ brandId: 'a', userId: 'u1', outcome: 'held' }],
    });
    expect(report.violations.map((v) => v.kind)).toEqual(['answer_disagrees_with_database']);
  });

  it('reports a code stored twice for one brand', () => {
    const codes = [available('a', 'A1'), available('a', 'A1')];
    expect(kinds({ codes, answers: [] })).toEqual(['duplicate_code']);
  });

  it.each([
    ['a claimed code without claimant', { ...claimed('a', 'A1', 'u1'), claimedBy: null }],
    ['a claimed code whose holder is not the claimant', { ...claimed('a', 'A1', 'u1'), holder: 'u2' }],
    ['an available code with a claimant', { ...available('a', 'A1'), claimedBy: 'u1' }],
    ['an available code held by a user', { ...available('a', 'A1'), holder: 'u1' }],
    ['an expired code with a claimant', { ...available('a', 'A1'), status: 'expired', claimedBy: 'u1' }],
  ])('reports an inconsistent document: %s', (_, doc) => {
    expect(
      kinds({ codes: [doc], answers: [], claimedBefore: { a: doc.status === 'claimed' ? 1 : 0 } }),
    ).toEqual(['inconsistent_document']);
  });

  it('counts codes marked expired apart: never claimed, not claimable, a 409 with only those left is right', () => {
    const codes = [claimed('a', 'A1', 'u1'), { ...available('a', 'A2'), status: 'expired' }];
    const report = audit({ codes, answers: [created('a', 'u1', 'A1'), exhausted('a', 'u2')] });
    expect(report.violations).toEqual([]);
    expect(report.brands[0]).toMatchObject({ total: 2, available: 0, claimed: 1, expired: 1 });
    expect(describeAudit(report)).toContain('2 codes = 0 available + 1 claimed + 1 expired (1 new)');
  });

  it('reports an unknown status, which also breaks total = available + claimed + expired', () => {
    const codes = [available('a', 'A1'), { ...available('a', 'A2'), status: 'reserved' }];
    expect(kinds({ codes, answers: [] })).toEqual(['inconsistent_document', 'counts_do_not_add_up']);
  });

  it('reports a total other than the expected one, including a brand with no codes at all', () => {
    const report = audit({
      codes: [available('a', 'A1')],
      answers: [],
      brandIds: ['a', 'ghost'],
      expectedTotals: { a: 2, ghost: 5 },
    });
    expect(report.violations).toEqual([
      { kind: 'counts_do_not_add_up', brandId: 'a', message: 'expected 2 codes, found 1' },
      { kind: 'counts_do_not_add_up', brandId: 'ghost', message: 'expected 5 codes, found 0' },
    ]);
  });

  it('reports more new claims than "new claim" answers, and says how many requests failed', () => {
    const codes = [claimed('a', 'A1', 'u1'), claimed('a', 'A2', 'u2')];
    const answers: ClaimAnswer[] = [
      created('a', 'u1', 'A1'),
      { brandId: 'a', userId: 'u2', outcome: 'failed' },
    ];
    expect(audit({ codes, answers }).violations).toEqual([
      {
        kind: 'new_claims_mismatch',
        brandId: 'a',
        message: '2 codes were newly claimed but 1 answers said "new claim" (1 requests failed)',
      },
    ]);
  });

  it('counts new claims from the claimed count before the run', () => {
    const codes = [claimed('a', 'A1', 'old'), claimed('a', 'A2', 'u2'), available('a', 'A3')];
    const answers = [created('a', 'u2', 'A2')];
    expect(audit({ codes, answers, claimedBefore: { a: 1 } }).violations).toEqual([]);
    expect(kinds({ codes, answers })).toEqual(['new_claims_mismatch']);
  });

  it('reports "no codes left" while codes are available, unless codes were added during the run', () => {
    const codes = [claimed('a', 'A1', 'u1'), available('a', 'A2')];
    const answers = [created('a', 'u1', 'A1'), exhausted('a', 'u2')];
    expect(kinds({ codes, answers })).toEqual(['exhausted_while_available']);
    expect(kinds({ codes, answers, codesAddedDuringRun: true })).toEqual([]);
  });

  it('audits only the brands asked for', () => {
    const codes = [available('a', 'A1'), available('a', 'A1'), claimed('b', 'B1', 'u1')];
    const report = audit({ codes, answers: [created('b', 'u1', 'B1')], brandIds: ['b'] });
    expect(report.violations).toEqual([]);
    expect(report.brands.map((b) => b.brandId)).toEqual(['b']);
  });
});

describe('describeAudit', () => {
  it('summarises a clean report in one line', () => {
    expect(describeAudit(audit(cleanRun()))).toBe(
      'OK: 2 brand(s), 6 codes = 1 available + 5 claimed (5 new); answers: 5 new, 1 held, 1 exhausted, 0 failed',
    );
  });

  it('lists the first violations and how many more there are', () => {
    const codes = ['A', 'B', 'C'].flatMap((c) => [available('a', c), available('a', c)]);
    const text = describeAudit(audit({ codes, answers: [] }), 2);
    expect(text.split('\n')).toEqual([
      expect.stringMatching(/^3 VIOLATION\(S\): 1 brand\(s\), 6 codes/) as unknown,
      '  duplicate_code [a]: code A is stored more than once',
      '  duplicate_code [a]: code B is stored more than once',
      '  … and 1 more',
    ]);
  });
});
