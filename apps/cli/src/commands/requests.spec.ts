import { InvalidArgumentError } from 'commander';
import {
  expectedExportRows,
  exportPath,
  generateBody,
  importContentType,
  importFormat,
  intAtLeast,
} from './requests';

describe('intAtLeast', () => {
  it('parses whole numbers from the minimum up', () => {
    expect(intAtLeast(1)('200000')).toBe(200_000);
    expect(intAtLeast(50)('50')).toBe(50);
  });
  it.each(['0', '-3', '1.5', '1e3', 'abc', '', '99999999999999999999'])('refuses %p', (raw) => {
    expect(() => intAtLeast(1)(raw)).toThrow(InvalidArgumentError);
  });
});

describe('generateBody', () => {
  it('sends only the flags given, so the server’s defaults apply', () => {
    expect(generateBody({ count: 5 })).toEqual({ count: 5 });
    expect(
      generateBody({
        count: 5,
        length: 10,
        prefix: 'SUMMER-',
        alphabet: 'ABCDEFGHJK',
        expiresAt: '2030-01-01T00:00:00Z',
      }),
    ).toEqual({
      count: 5,
      length: 10,
      prefix: 'SUMMER-',
      alphabet: 'ABCDEFGHJK',
      expiresAt: '2030-01-01T00:00:00Z',
    });
  });
});

describe('import format', () => {
  it('follows --format, else the extension, else CSV', () => {
    expect(importFormat('codes.ndjson', undefined)).toBe('ndjson');
    expect(importFormat('codes.JSONL', undefined)).toBe('ndjson');
    expect(importFormat('codes.csv', undefined)).toBe('csv');
    expect(importFormat('codes.txt', undefined)).toBe('csv');
    expect(importFormat('-', undefined)).toBe('csv');
    expect(importFormat('codes.csv', 'ndjson')).toBe('ndjson');
    expect(importContentType('csv')).toBe('text/csv');
    expect(importContentType('ndjson')).toBe('application/x-ndjson');
  });
});

describe('exportPath', () => {
  it('puts the filters in the query and escapes the brand', () => {
    expect(exportPath('acme', { status: 'all' })).toBe('/v1/brands/acme/codes.csv?status=all');
    expect(exportPath('a b', { status: 'claimed', campaign: 'summer', batch: 'b1', job: 'j1' })).toBe(
      '/v1/brands/a%20b/codes.csv?status=claimed&campaignId=summer&batchId=b1&jobId=j1',
    );
  });
});

describe('expectedExportRows', () => {
  const stats = { total: 10, available: 6, claimed: 3, expired: 1 };
  it('reads the status’s count from the stats', () => {
    expect(expectedExportRows(stats, { status: 'all' })).toBe(10);
    expect(expectedExportRows(stats, { status: 'available' })).toBe(6);
    expect(expectedExportRows(stats, { status: 'claimed' })).toBe(3);
    expect(expectedExportRows(stats, { status: 'expired' })).toBe(1);
    expect(expectedExportRows(stats, { status: 'redeemed' })).toBeNull();
  });
  it('cannot tell with a filter the stats do not count by', () => {
    expect(expectedExportRows(stats, { status: 'all', job: 'j1' })).toBeNull();
  });
});
