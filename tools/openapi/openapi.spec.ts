/**
 * The committed API documents (openapi/*.json) and client types (libs/client/src/generated) are
 * what the code builds now, and follow the house rules. No MongoDB or NATS: the documents come
 * from Nest's preview mode, as `npm run openapi` builds them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { OPENAPI_APPS, openApiDocumentOf, type OpenApiApp } from './apps';
import { clientTypesOf, clientTypesPath, documentPath } from './artefacts';
import {
  errorResponseProblems,
  operationIdProblems,
  operationsOf,
  requestExampleProblems,
  successExampleProblems,
} from './document-rules';

const ROOT = join(__dirname, '..', '..');
const FIX = 'run `npm run openapi` and commit the result';

const built = new Map<OpenApiApp, OpenAPIObject>();
beforeAll(async () => {
  for (const app of OPENAPI_APPS) built.set(app, await openApiDocumentOf(app));
}, 30_000);

const documentOf = (app: OpenApiApp): OpenAPIObject => built.get(app)!;
const committedText = (app: OpenApiApp): string => readFileSync(documentPath(ROOT, app), 'utf8');

/** What differs between two documents, by path and schema name, to say where to look. */
function differences(committed: OpenAPIObject, current: OpenAPIObject): string[] {
  const changed = (section: Record<string, unknown>, other: Record<string, unknown>, label: string) =>
    [...new Set([...Object.keys(section), ...Object.keys(other)])]
      .filter((key) => JSON.stringify(section[key]) !== JSON.stringify(other[key]))
      .map((key) => `${label} ${key}`);
  return [
    ...changed(committed.paths, current.paths, 'path'),
    ...changed(committed.components?.schemas ?? {}, current.components?.schemas ?? {}, 'schema'),
  ];
}

describe.each(OPENAPI_APPS)('openapi/%s.json', (app) => {
  it('is what the code builds now (paths, schemas and key order)', () => {
    const committed = JSON.parse(committedText(app)) as OpenAPIObject;
    const current = documentOf(app);
    // Compact text of both: layout is prettier's, but order is part of what is committed.
    if (JSON.stringify(committed) !== JSON.stringify(current)) {
      const where = differences(committed, current);
      throw new Error(
        `openapi/${app}.json is out of date with the code: ${FIX}.\n` +
          `Differences: ${where.length > 0 ? where.join(', ') : 'info, tags or key order'}`,
      );
    }
  });

  it('is built the same way every time', async () => {
    expect(JSON.stringify(await openApiDocumentOf(app))).toBe(JSON.stringify(documentOf(app)));
  });

  it('ends with one newline and is indented JSON', () => {
    const text = committedText(app);
    expect(text.endsWith('}\n') && !text.endsWith('\n\n')).toBe(true);
    expect(text.split('\n')[1]).toMatch(/^ {2}"openapi": "3\./);
  });

  it(`has libs/client/src/generated/${app}.d.ts generated from it`, async () => {
    const types = readFileSync(clientTypesPath(ROOT, app), 'utf8');
    if (types !== (await clientTypesOf(ROOT, committedText(app))))
      throw new Error(
        `libs/client/src/generated/${app}.d.ts is out of date with openapi/${app}.json: ${FIX}`,
      );
  }, 30_000);

  it('names every operation with an explicit, unique camelCase operationId', () => {
    expect(operationsOf(documentOf(app)).length).toBeGreaterThan(5);
    expect(operationIdProblems(documentOf(app))).toEqual([]);
  });

  it('answers every error with the ApiError schema (LegacyEnvelope on the predecessor’s routes)', () => {
    expect(errorResponseProblems(documentOf(app))).toEqual([]);
  });

  it('shows an example for every request body', () => {
    expect(requestExampleProblems(documentOf(app))).toEqual([]);
  });

  it('shows an example for every success answer, down to each property', () => {
    expect(successExampleProblems(documentOf(app))).toEqual([]);
  });
});
