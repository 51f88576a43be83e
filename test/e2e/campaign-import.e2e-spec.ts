/**
 * Importing codes into a campaign over real sockets: a streamed CSV and an NDJSON body land in the
 * campaign (and only there: claims in it take them, the brand-level claim does not), an unknown
 * campaign is refused before a byte is stored, and the brand-level import stays the default
 * campaign's.
 */
import { claim as brandClaim } from './support/claims';
import { claimInCampaign, createCampaign, storedCodes } from './support/campaigns';
import { startE2eStack, type E2eStack } from './support/e2e-stack';
import { createBrand } from './support/flows';
import type { ApiError } from './support/http';
import { userToken } from './support/jwt';

interface ImportReport {
  importId: string;
  brandId: string;
  campaignId?: string;
  accepted: number;
  rejected: number;
}

let stack: E2eStack;
let brandKey: string;

beforeAll(async () => {
  stack = await startE2eStack({ label: 'campaign-import' });
  brandKey = (await createBrand(stack, { id: 'importer', name: 'Importer' })).apiKey;
  await createCampaign(stack, 'importer', { campaignId: 'spring', perUserLimit: 2 });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const importInto = (path: string, body: string, contentType: string) =>
  stack.gen.post<ImportReport & ApiError>(`/v1/brands/importer${path}`, undefined, {
    token: brandKey,
    rawBody: body,
    contentType,
    timeoutMs: 60_000,
  });

describe('import into a campaign', () => {
  it('stores a CSV and an NDJSON body in the campaign, and the brand-level import in the default one', async () => {
    const csv = await importInto(
      '/campaigns/spring/codes/import',
      'code\nSPRING-0001\nSPRING-0002\n',
      'text/csv',
    );
    expect(csv.status).toBe(201);
    expect(csv.body).toMatchObject({ brandId: 'importer', campaignId: 'spring', accepted: 2, rejected: 0 });
    const ndjson = await importInto(
      '/campaigns/spring/codes/import',
      '"SPRING-0003"\n',
      'application/x-ndjson',
    );
    expect(ndjson.body).toMatchObject({ campaignId: 'spring', accepted: 1 });
    const plain = await importInto('/codes/import', 'PLAIN-0001\n', 'text/csv');
    expect(plain.status).toBe(201);
    expect(plain.body).not.toHaveProperty('campaignId');

    const codesOf = async (campaignId: string | null) =>
      (await storedCodes(stack, 'importer', campaignId)).map((c) => c.code).sort();
    expect(await codesOf('spring')).toEqual(['SPRING-0001', 'SPRING-0002', 'SPRING-0003']);
    expect(await codesOf(null)).toEqual(['PLAIN-0001']);
    // A code is unique per brand, whatever its campaign.
    const again = await importInto('/campaigns/spring/codes/import', 'PLAIN-0001\n', 'text/csv');
    expect(again.body).toMatchObject({ accepted: 0, rejected: 1 });
  });

  it('hands the campaign’s imported codes to claims in the campaign only', async () => {
    const token = await userToken('importer-user');
    const inCampaign = await claimInCampaign(stack.prov, 'importer', 'spring', token);
    expect(inCampaign.status).toBe(201);
    expect(inCampaign.body.code).toMatch(/^SPRING-000[123]$/);
    const brandLevel = await brandClaim(stack.prov, 'importer', token);
    expect(brandLevel.status).toBe(201);
    expect(brandLevel.body.code).toBe('PLAIN-0001');
  });

  it('refuses an unknown campaign (404) and another brand’s key (403), storing nothing', async () => {
    const before = (await storedCodes(stack, 'importer', 'nope')).length;
    const unknown = await importInto('/campaigns/nope/codes/import', 'NOPE-0001\n', 'text/csv');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'campaign_not_found' });
    const other = await createBrand(stack, { id: 'other-importer', name: 'Other' });
    const forbidden = await stack.gen.post<ApiError>(
      '/v1/brands/importer/campaigns/spring/codes/import',
      undefined,
      {
        token: other.apiKey,
        rawBody: 'OTHER-0001\n',
        contentType: 'text/csv',
      },
    );
    expect(forbidden.status).toBe(403);
    expect((await storedCodes(stack, 'importer', 'nope')).length).toBe(before);
    expect((await storedCodes(stack, 'importer', 'spring')).map((c) => c.code)).not.toContain('OTHER-0001');
  });
});
