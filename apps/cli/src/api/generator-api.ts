/**
 * What the commands ask of the services. The commands see only these interfaces; the transport
 * underneath (typed-apis.ts: the generated client, and plain fetch for streamed bodies) can change
 * without them.
 */
import type {
  Brand,
  BrandPage,
  BrandStats,
  ClaimAnswer,
  CreateBrandBody,
  CreatedBrand,
  GenerateAnswer,
  GenerateBody,
  ImportReport,
  Job,
  RotatedKey,
} from './types';

export interface ListBrandsQuery {
  limit?: number;
  cursor?: string;
  namePrefix?: string;
}

export interface GeneratorApi {
  createBrand(body: CreateBrandBody): Promise<CreatedBrand>;
  listBrands(query: ListBrandsQuery): Promise<BrandPage>;
  getBrand(brandId: string): Promise<Brand>;
  rotateKey(brandId: string): Promise<RotatedKey>;
  brandStats(brandId: string): Promise<BrandStats>;
  generateCodes(brandId: string, body: GenerateBody): Promise<GenerateAnswer>;
  getJob(jobId: string): Promise<Job>;
  cancelJob(jobId: string): Promise<Job>;
  /** Streams `body` (counted by the caller as it is read); contentLength when known. */
  importCodes(
    brandId: string,
    body: ReadableStream<Uint8Array>,
    contentType: string,
    contentLength: number | null,
  ): Promise<ImportReport>;
  /** The CSV answer as a byte stream (GET …/codes.csv with the query in `path`). */
  exportCsv(path: string): Promise<ReadableStream<Uint8Array>>;
}

export interface ProviderApi {
  claim(brandId: string, userToken: string, campaignId?: string): Promise<ClaimAnswer>;
}
