import type { OpenAPIObject } from '@nestjs/swagger';
import { API_ERROR_REF, LEGACY_ENVELOPE_REF } from '@app/http';
import {
  errorResponseProblems,
  operationIdProblems,
  requestExampleProblems,
  successExampleProblems,
} from './document-rules';

const json = (schema: object) => ({ 'application/json': { schema } });

/** A document of the given paths, with a Body schema whose `name` has an example or not. */
function documentWith(paths: OpenAPIObject['paths'], bodyExample = true): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths,
    components: {
      schemas: {
        Body: {
          type: 'object',
          properties: { name: { type: 'string', ...(bodyExample ? { example: 'Acme' } : {}) } },
        },
      },
    },
  };
}

const ok = { description: 'ok' };

describe('operationIdProblems', () => {
  it('accepts unique camelCase ids', () => {
    const doc = documentWith({
      '/a': { get: { operationId: 'listThings', responses: { 200: ok } } },
      '/b': { post: { operationId: 'createThing', responses: { 201: ok } } },
    });
    expect(operationIdProblems(doc)).toEqual([]);
  });

  it.each([
    ['BrandsController_create', 'not an explicit camelCase name'],
    [undefined, 'not an explicit camelCase name'],
    ['create-brand', 'not an explicit camelCase name'],
  ])('refuses %s', (operationId, problem) => {
    const doc = documentWith({ '/a': { get: { operationId, responses: { 200: ok } } } });
    expect(operationIdProblems(doc)).toEqual([expect.stringContaining(problem)]);
  });

  it('refuses an id used twice', () => {
    const doc = documentWith({
      '/a': { get: { operationId: 'getThing', responses: { 200: ok } } },
      '/b': { get: { operationId: 'getThing', responses: { 200: ok } } },
    });
    expect(operationIdProblems(doc)).toEqual(["GET /b: operationId getThing is also GET /a's"]);
  });
});

describe('errorResponseProblems', () => {
  it('wants ApiError on v1 routes and LegacyEnvelope on the predecessor’s, and skips health', () => {
    const doc = documentWith({
      '/v1/a': {
        get: { responses: { 200: ok, 404: { description: 'x', content: json({ $ref: API_ERROR_REF }) } } },
      },
      '/discounts/a': {
        get: { responses: { 429: { description: 'x', content: json({ $ref: LEGACY_ENVELOPE_REF }) } } },
      },
      '/health/ready': {
        get: { responses: { 503: { description: 'x', content: json({ type: 'object' }) } } },
      },
    });
    expect(errorResponseProblems(doc)).toEqual([]);
  });

  it('refuses an error without a body, with another schema, or the other shape', () => {
    const doc = documentWith({
      '/v1/a': {
        get: {
          responses: {
            400: { description: 'no body' },
            409: { description: 'x', content: json({ type: 'object' }) },
            429: { description: 'x', content: json({ $ref: LEGACY_ENVELOPE_REF }) },
          },
        },
      },
      '/discounts/a': {
        get: { responses: { 429: { description: 'x', content: json({ $ref: API_ERROR_REF }) } } },
      },
    });
    expect(errorResponseProblems(doc).map((p) => p.split(':')[0])).toEqual([
      'GET /v1/a 400',
      'GET /v1/a 409',
      'GET /v1/a 429',
      'GET /discounts/a 429',
    ]);
  });
});

describe('requestExampleProblems', () => {
  const post = {
    post: { requestBody: { content: json({ $ref: '#/components/schemas/Body' }) }, responses: { 201: ok } },
  };

  it('accepts a body whose every property has an example', () => {
    expect(requestExampleProblems(documentWith({ '/a': post }))).toEqual([]);
  });

  it('refuses a body with a property without one', () => {
    expect(requestExampleProblems(documentWith({ '/a': post }, false))).toEqual([
      'POST /a application/json: the request body has no example',
    ]);
  });

  it('accepts an example given on the media type', () => {
    const doc = documentWith(
      {
        '/a': {
          post: {
            requestBody: { content: { 'text/csv': { schema: { type: 'string' }, example: 'code\nA1\n' } } },
            responses: { 201: ok },
          },
        },
      },
      false,
    );
    expect(requestExampleProblems(doc)).toEqual([]);
  });
});

describe('successExampleProblems', () => {
  const answering = (status: number, response: object) => ({
    '/a': { get: { responses: { [status]: { description: 'x', ...response } } } },
  });
  const body = json({ $ref: '#/components/schemas/Body' });

  it('accepts a success body whose every property has an example', () => {
    expect(successExampleProblems(documentWith(answering(200, { content: body })))).toEqual([]);
  });

  it('refuses a success body with a property without one', () => {
    expect(successExampleProblems(documentWith(answering(201, { content: body }), false))).toEqual([
      'GET /a 201 application/json: no example',
    ]);
  });

  it('looks into arrays and nested objects', () => {
    const page = json({
      type: 'object',
      properties: {
        items: { type: 'array', items: { $ref: '#/components/schemas/Body' } },
        nextCursor: { type: 'string', nullable: true, example: null },
      },
    });
    expect(successExampleProblems(documentWith(answering(200, { content: page })))).toEqual([]);
    expect(successExampleProblems(documentWith(answering(200, { content: page }), false))).toEqual([
      'GET /a 200 application/json: no example',
    ]);
  });

  it('accepts an example given on the media type, and skips bodiless and error answers', () => {
    const csv = { 'text/csv': { schema: { type: 'string' }, example: 'code\nA1\n' } };
    const doc = documentWith(
      {
        '/csv': { get: { responses: { 200: { description: 'x', content: csv } } } },
        '/empty': { delete: { responses: { 204: { description: 'gone' } } } },
        '/error': { get: { responses: { 404: { description: 'x', content: body } } } },
      },
      false,
    );
    expect(successExampleProblems(doc)).toEqual([]);
  });
});
