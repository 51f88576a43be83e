/**
 * Managing a brand's campaigns in the generator, keys enforced: created (every field, optional
 * ones null when absent; an existing id, "default" or an unknown brand refused; idempotent with
 * an Idempotency-Key), listed a page at a time (the default campaign first), read and changed
 * (the default one never); every bad input a 400 that changes nothing, another brand's key a 403,
 * no key a 401. Codes in campaigns and their stats: campaign-codes.e2e-spec.ts.
 */
import type { E2eStack } from './support/e2e-stack';
import {
  campaignsPath as campaigns,
  expectError,
  requestsWithKey,
  startCampaignStack,
  storedCodeDocs,
  type Campaign,
  type KeyedRequest,
} from './support/campaigns';
import { createBrand } from './support/flows';
import { ISO_DATE, type ApiError, type ApiResponse, type CreatedBrand } from './support/http';

interface Page {
  items: Campaign[];
  nextCursor: string | null;
}
type Answer<T> = ApiResponse<T & ApiError>;

let stack: E2eStack;
let acme: CreatedBrand;
let other: CreatedBrand;
/** Requests with acme's key. */
let send: KeyedRequest;

beforeAll(async () => {
  stack = await startCampaignStack('campaign-management');
  acme = await createBrand(stack, { id: 'acme', name: 'Acme' });
  other = await createBrand(stack, { id: 'other', name: 'Other' });
  send = requestsWithKey(stack, acme.apiKey);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

describe('creating a campaign', () => {
  it('answers 201 with every field, optional ones null when absent', async () => {
    const res = await send<Campaign>('POST', campaigns('acme'), {
      campaignId: 'summer',
      name: 'Summer sale',
      startsAt: '2020-06-01T00:00:00Z',
      endsAt: '2099-09-01T00:00:00Z',
      format: { length: 10, prefix: 'SUMMER-' },
      perUserLimit: 3,
      metadata: { channel: 'newsletter' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toStrictEqual({
      brandId: 'acme',
      campaignId: 'summer',
      name: 'Summer sale',
      startsAt: '2020-06-01T00:00:00.000Z',
      endsAt: '2099-09-01T00:00:00.000Z',
      format: { length: 10, prefix: 'SUMMER-', alphabet: null },
      perUserLimit: 3,
      metadata: { channel: 'newsletter' },
      createdAt: expect.stringMatching(ISO_DATE) as unknown,
      updatedAt: expect.stringMatching(ISO_DATE) as unknown,
    });

    const minimal = await send<Campaign>('POST', campaigns('acme'), { campaignId: 'winter', name: 'Winter' });
    expect(minimal.status).toBe(201);
    expect(minimal.body).toMatchObject({
      startsAt: null,
      endsAt: null,
      format: null,
      perUserLimit: 1,
      metadata: null,
    });
  });

  it('refuses an existing id and "default" (409 campaign_exists), an unknown brand (404)', async () => {
    expectError(
      await send('POST', campaigns('acme'), { campaignId: 'summer', name: 'Again' }),
      409,
      'campaign_exists',
    );
    expectError(
      await send('POST', campaigns('acme'), { campaignId: 'default', name: 'Mine' }),
      409,
      'campaign_exists',
    );
    expectError(
      await stack.genAdmin.post<ApiError>(campaigns('nope'), { campaignId: 'x', name: 'X' }),
      404,
      'brand_not_found',
    );
  });

  it.each<[string, Record<string, unknown>]>([
    ['no campaignId', { name: 'X' }],
    ['a campaignId with "$"', { campaignId: '$gt', name: 'X' }],
    ['no name', { campaignId: 'x' }],
    ['an empty name', { campaignId: 'x', name: '' }],
    [
      'startsAt after endsAt',
      { campaignId: 'x', name: 'X', startsAt: '2030-02-01T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' },
    ],
    [
      'startsAt equal to endsAt',
      { campaignId: 'x', name: 'X', startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' },
    ],
    ['a startsAt that is no date', { campaignId: 'x', name: 'X', startsAt: 'tomorrow' }],
    ['format length 5', { campaignId: 'x', name: 'X', format: { length: 5 } }],
    ['a lower-case prefix', { campaignId: 'x', name: 'X', format: { prefix: 'abc' } }],
    ['an alphabet of 9 characters', { campaignId: 'x', name: 'X', format: { alphabet: '123456789' } }],
    ['an unknown format field', { campaignId: 'x', name: 'X', format: { colour: 'red' } }],
    ['perUserLimit 0', { campaignId: 'x', name: 'X', perUserLimit: 0 }],
    ['perUserLimit 101', { campaignId: 'x', name: 'X', perUserLimit: 101 }],
    ['a float perUserLimit', { campaignId: 'x', name: 'X', perUserLimit: 1.5 }],
    [
      '21 metadata entries',
      {
        campaignId: 'x',
        name: 'X',
        metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])),
      },
    ],
    ['a metadata key with "$"', { campaignId: 'x', name: 'X', metadata: { $gt: 'v' } }],
    ['a metadata value that is a number', { campaignId: 'x', name: 'X', metadata: { a: 1 } }],
    ['a metadata value of 501 characters', { campaignId: 'x', name: 'X', metadata: { a: 'v'.repeat(501) } }],
    ['metadata that is a list', { campaignId: 'x', name: 'X', metadata: ['a'] }],
    ['an unknown field', { campaignId: 'x', name: 'X', status: 'active' }],
  ])('refuses %s (400) and stores nothing', async (_name, body) => {
    expectError(await send('POST', campaigns('acme'), body), 400, 'invalid_input');
    expect(await (await stack.db()).collection('campaigns').countDocuments({ campaignId: 'x' })).toBe(0);
  });

  it('is idempotent with an Idempotency-Key', async () => {
    const opts = { headers: { 'idempotency-key': 'create-autumn' } };
    const first = await send('POST', campaigns('acme'), { campaignId: 'autumn', name: 'Autumn' }, opts);
    const again = await send('POST', campaigns('acme'), { campaignId: 'autumn', name: 'Autumn' }, opts);
    expect({ status: again.status, text: again.text }).toEqual({ status: 201, text: first.text });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });
});

describe('who may act on a brand’s campaigns', () => {
  it.each<[string, string, string, unknown]>([
    ['create', 'POST', '/campaigns', { campaignId: 'sneaky', name: 'Sneaky' }],
    ['list', 'GET', '/campaigns', undefined],
    ['read', 'GET', '/campaigns/summer', undefined],
    ['change', 'PATCH', '/campaigns/summer', { name: 'Mine now' }],
    ['generate into', 'POST', '/campaigns/summer/codes', { count: 1 }],
    ['count', 'GET', '/campaigns/summer/stats', undefined],
  ])(
    'another brand’s key may not %s them (403), nor a caller without a key (401)',
    async (_n, method, path, json) => {
      expectError(
        await send(method, `/v1/brands/acme${path}`, json, { token: other.apiKey }),
        403,
        'forbidden',
      );
      expectError(
        await send(method, `/v1/brands/acme${path}`, json, { token: undefined }),
        401,
        'unauthorized',
      );
    },
  );

  it('changed nothing', async () => {
    expect((await send<Campaign>('GET', `${campaigns('acme')}/summer`)).body.name).toBe('Summer sale');
    expect(await (await stack.db()).collection('campaigns').countDocuments({ campaignId: 'sneaky' })).toBe(0);
    expect(await storedCodeDocs(stack, { brandId: 'acme' })).toHaveLength(0);
  });
});

describe('reading campaigns', () => {
  it('the default campaign exists for every brand, dated from its brand', async () => {
    const res = await send<Campaign>('GET', `${campaigns('acme')}/default`);
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({
      brandId: 'acme',
      campaignId: 'default',
      name: 'Default campaign',
      startsAt: null,
      endsAt: null,
      format: null,
      perUserLimit: 1,
      metadata: null,
      createdAt: acme.createdAt,
      updatedAt: acme.createdAt,
    });
  });

  it('an unknown campaign is 404 campaign_not_found, an unknown brand 404 brand_not_found', async () => {
    expectError(await send('GET', `${campaigns('acme')}/nope`), 404, 'campaign_not_found');
    expectError(await stack.genAdmin.get<ApiError>(`${campaigns('nope')}/default`), 404, 'brand_not_found');
    expectError(await stack.genAdmin.get<ApiError>(campaigns('nope')), 404, 'brand_not_found');
  });

  it('lists a page at a time, the default campaign first, then by id, each once', async () => {
    for (const id of ['c-3', 'c-1', 'c-4', 'c-2']) {
      expect((await stack.genAdmin.post(campaigns('other'), { campaignId: id, name: id })).status).toBe(201);
    }
    for (const limit of [1, 2, 5, 6]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
        const res: Answer<Page> = await send<Page>('GET', `${campaigns('other')}${query}`, undefined, {
          token: other.apiKey,
        });
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(limit);
        seen.push(...res.body.items.map((c) => c.campaignId));
        cursor = res.body.nextCursor;
      } while (cursor !== null);
      expect({ limit, seen }).toEqual({ limit, seen: ['default', 'c-1', 'c-2', 'c-3', 'c-4'] });
    }
    const first = await send<Page>('GET', campaigns('other'), undefined, { token: other.apiKey });
    expect(first.body.nextCursor).toBeNull();
    expect(first.body.items[0]).toMatchObject({ campaignId: 'default', createdAt: other.createdAt });
  });

  it.each(['?limit=0', '?limit=101', '?limit=x', '?cursor=bm9wZQ', '?cursor=WyIkZ3QiXQ', '?colour=red'])(
    'refuses the query %s (400)',
    async (query) => {
      expectError(await send('GET', `${campaigns('acme')}${query}`), 400, 'invalid_input');
    },
  );
});

describe('changing a campaign', () => {
  const patch = (id: string, body: unknown) => send<Campaign>('PATCH', `${campaigns('acme')}/${id}`, body);

  it('changes what the body names, keeps what it leaves out, and null removes', async () => {
    const before = (await send<Campaign>('GET', `${campaigns('acme')}/winter`)).body;
    const set = await patch('winter', {
      name: 'Winter deals',
      startsAt: '2030-12-01T00:00:00Z',
      endsAt: '2031-03-01T00:00:00Z',
      format: { prefix: 'SNOW-' },
      perUserLimit: 2,
      metadata: { region: 'north' },
    });
    expect(set.status).toBe(200);
    expect(set.body).toStrictEqual({
      ...before,
      name: 'Winter deals',
      startsAt: '2030-12-01T00:00:00.000Z',
      endsAt: '2031-03-01T00:00:00.000Z',
      format: { length: null, prefix: 'SNOW-', alphabet: null },
      perUserLimit: 2,
      metadata: { region: 'north' },
      updatedAt: expect.stringMatching(ISO_DATE) as unknown,
    });
    expect(Date.parse(set.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));

    const removed = await patch('winter', { startsAt: null, format: null, metadata: null });
    expect(removed.body).toStrictEqual({
      ...set.body,
      startsAt: null,
      format: null,
      metadata: null,
      updatedAt: removed.body.updatedAt,
    });
    expect((await patch('winter', {})).body).toStrictEqual(removed.body);
    expect((await send<Campaign>('GET', `${campaigns('acme')}/winter`)).body).toStrictEqual(removed.body);
  });

  it.each<[string, unknown]>([
    ['a start after the campaign’s end', { startsAt: '2031-04-01T00:00:00Z' }],
    ['a null name', { name: null }],
    ['a null perUserLimit', { perUserLimit: null }],
    ['a format that cannot generate', { format: { alphabet: 'aab' } }],
    ['an unknown field', { campaignId: 'renamed' }],
  ])('refuses %s (400) and changes nothing', async (_name, body) => {
    const before = (await send<Campaign>('GET', `${campaigns('acme')}/winter`)).body;
    expectError(await patch('winter', body), 400, 'invalid_input');
    expect((await send<Campaign>('GET', `${campaigns('acme')}/winter`)).body).toStrictEqual(before);
  });

  it('the default campaign cannot be changed (409 invalid_state), an unknown one is 404', async () => {
    const res = await patch('default', { perUserLimit: 5 });
    expectError(res, 409, 'invalid_state');
    expect(res.body.message).toContain('default campaign');
    expectError(await patch('nope', { name: 'X' }), 404, 'campaign_not_found');
  });
});
