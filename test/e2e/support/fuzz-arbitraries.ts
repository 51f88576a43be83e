/**
 * fast-check arbitraries for API fuzzing: requests built from the apps' routes with hostile path
 * parameters, query strings, headers, credentials and bodies (wrong types, huge and negative
 * numbers, unicode and NUL bytes, MongoDB operators, __proto__ / constructor keys, very long
 * strings, deep nesting, broken JSON, wrong content types).
 *
 * Credentials are named, not embedded, so that the spec resolves them when it sends: a key
 * rotated by an accepted request is then used from the next request on.
 */
import fc from 'fast-check';

export type CredentialKind =
  | 'none'
  | 'admin'
  | 'wrongAdmin'
  | 'brandKey'
  | 'otherBrandKey'
  | 'unknownApiKey'
  | 'userJwt'
  | 'forgedJwt'
  | 'algNoneJwt'
  | 'expiredJwt'
  | 'noExpJwt'
  | 'operatorSubJwt'
  | 'garbage'
  | 'basic'
  | 'hugeBearer';

export interface FuzzRequest {
  readonly method: string;
  /** Path with its query string, already percent-encoded where needed. */
  readonly path: string;
  readonly credential: CredentialKind;
  /** Raw Authorization header text for the "garbage" credential. */
  readonly garbageAuthorization: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** null: no Content-Type header. */
  readonly contentType: string | null;
}

/** Printable ASCII and Latin-1: everything an HTTP client lets through in a header value. */
const headerChar = fc
  .integer({ min: 0x20, max: 0xff })
  .filter((c) => c !== 0x7f)
  .map((c) => String.fromCharCode(c));
export const headerValue = (maxLength = 80) => fc.string({ unit: headerChar, maxLength });

const NAMED_IDS = [
  'fuzzbrand',
  'other-brand',
  'fuzzuser',
  '1',
  '0',
  '-1',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '$gt',
  '$where',
  '..',
  '.',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '9007199254740993',
  '1e308',
] as const;

const RAW_SEGMENTS = [
  '%00',
  'a%00b',
  '%ZZ',
  '%',
  '%2e%2e',
  '%2F',
  'a%2Fb',
  '%C0%AF',
  '%FF',
  '%F0%9F%92%A5',
  '%E2%80%AE',
];

/** One path parameter, as it appears in the URL (percent-encoded or deliberately malformed). */
export const pathSegment = fc.oneof(
  fc.constantFrom(...NAMED_IDS).map(encodeURIComponent),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/),
  fc.string({ maxLength: 70 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom(...RAW_SEGMENTS),
  fc.integer({ min: 60, max: 400 }).map((n) => 'a'.repeat(n)),
);

const QUERY_KEYS = [
  'status',
  'count',
  'brandId',
  '__proto__[polluted]',
  'constructor[prototype][polluted]',
  'count[$gt]',
  'a[]',
  '',
  '%00',
];

const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 20 }).map(encodeURIComponent)),
      fc.oneof(
        fc.string({ maxLength: 30 }).map(encodeURIComponent),
        fc.constantFrom('1', '-1', '1e308', '%00', 'true', '{"$gt":""}'),
      ),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`));

const ADVERSARIAL_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '$gt',
  '$ne',
  '$where',
  '$set',
  'count',
  'length',
  'prefix',
  'alphabet',
  'expiresAt',
  'name',
  'id',
  'userId',
  'brand_id',
  'number_of_codes',
  'status',
  'claimedBy',
  'apiKeyHash',
  'toString',
  '',
  'a.b',
];

const adversarialNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 1.5, 6, 8, 32, 33, 50, 51, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, 2 ** 31),
  fc.constantFrom(5e-324, 10_000_000, 10_000_001, 1_000_001, Number.MAX_SAFE_INTEGER + 2),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const adversarialString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    '💥',
    '\u202e',
    'ǅ',
    '{"$gt":""}',
    '2030-01-01T00:00:00Z',
    '1999-01-01T00:00:00Z',
    'SUMMER-',
    'abcdefghij',
    '0123456789',
    '<script>alert(1)</script>',
    "'; DROP TABLE codes;--",
  ),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'A'.repeat(n)),
);

const leaf = fc.oneof(adversarialNumber, adversarialString, fc.boolean(), fc.constant(null));

const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...ADVERSARIAL_KEYS), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Objects shaped like the real bodies, with each field hostile or missing, plus stray keys. */
const nearValidBody = fc
  .tuple(
    fc.record(
      {
        count: fc.oneof(adversarialNumber, jsonValue),
        length: fc.oneof(adversarialNumber, jsonValue),
        prefix: fc.oneof(adversarialString, jsonValue),
        alphabet: fc.oneof(adversarialString, jsonValue),
        expiresAt: fc.oneof(adversarialString, jsonValue),
        name: fc.oneof(adversarialString, jsonValue),
        id: fc.oneof(fc.constantFrom(...NAMED_IDS), adversarialString),
        userId: fc.oneof(fc.constantFrom(...NAMED_IDS), adversarialString),
        brand_id: fc.oneof(adversarialNumber, jsonValue),
        number_of_codes: fc.oneof(adversarialNumber, jsonValue),
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(fc.constantFrom(...ADVERSARIAL_KEYS), jsonValue, { maxKeys: 2 }),
  )
  .map(([fields, extra]) => ({ ...fields, ...extra }));

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Bodies that pass JSON parsing and most validation, so the services' own checks are reached. */
export const PLAUSIBLE_BODIES = {
  legacyGenerate: fc.record({
    brand_id: fc.oneof(fc.integer({ min: -2, max: 100 }), adversarialNumber),
    number_of_codes: fc.oneof(fc.integer({ min: -1, max: 200 }), adversarialNumber),
  }),
  generateCodes: fc.record(
    {
      count: fc.oneof(fc.integer({ min: -1, max: 120 }), adversarialNumber),
      length: fc.integer({ min: 4, max: 40 }),
      prefix: fc.constantFrom('', 'A-', 'abc', 'SUMMER-', 'X'.repeat(17)),
      alphabet: fc.constantFrom('0123456789', 'abc', 'ABCDEFGHJK', 'aabcdefghij'),
      expiresAt: fc.constantFrom('2030-01-01T00:00:00Z', '2000-01-01T00:00:00Z', '2030-02-30T00:00:00Z', 'x'),
    },
    { requiredKeys: ['count'] },
  ),
  createBrand: fc.record(
    {
      name: fc.oneof(fc.string({ maxLength: 210 }), adversarialString),
      id: fc.oneof(fc.stringMatching(ID), adversarialString),
    },
    { requiredKeys: ['name'] },
  ),
  createUser: fc.record({ userId: fc.oneof(fc.stringMatching(ID), adversarialString) }, { requiredKeys: [] }),
  none: fc.constant({}),
} satisfies Record<string, fc.Arbitrary<object>>;

const RAW_BODIES = [
  '{"__proto__":{"isAdmin":true},"name":"proto"}',
  '{"constructor":{"prototype":{"polluted":true}},"count":1}',
  '{"count":1,"count":2}',
  '{"count":1e999}',
  '{"count":-0}',
  '{"count":"1"}',
  '{"name":"\\u0000"}',
  '{"name":"\\ud800"}',
  '{',
  '{"count":',
  '{"count":1}garbage',
  'null',
  '[]',
  '""',
  '0',
  '\u0000',
  '',
];

/** Any body; `plausible` is the route's own kind, which a third of the bodies are. */
export const rawBody = (plausible: fc.Arbitrary<object>) =>
  fc.oneof(
    { weight: 6, arbitrary: plausible.map((b) => JSON.stringify(b)) },
    { weight: 3, arbitrary: nearValidBody.map((b) => JSON.stringify(b)) },
    { weight: 3, arbitrary: jsonValue.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_BODIES) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    // Just under and over the 64 KiB body limit.
    {
      weight: 1,
      arbitrary: fc.integer({ min: 60_000, max: 70_000 }).map((n) => JSON.stringify({ name: 'x'.repeat(n) })),
    },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 5_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 100, max: 3_000 })
        .map((n) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])))),
    },
  );

export const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant<string | null>('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom<string | null>(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'APPLICATION/JSON',
      'application/vnd.api+json',
      'application/json, text/plain',
      '*/*',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.constant<string | null>(null) },
);

/** Present now and then: `rarely(arb, 10)` is undefined nine times in ten. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number) =>
  fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

const headers = fc
  .record({
    'x-request-id': rarely(
      fc.oneof(headerValue(200), fc.constantFrom('ok-id-1', '../../etc/passwd', 'a'.repeat(129))),
      4,
    ),
    'x-forwarded-for': rarely(
      fc.oneof(headerValue(), fc.constantFrom('1.2.3.4', '::1', '1.2.3.4, 5.6.7.8', 'unknown')),
      4,
    ),
    accept: rarely(
      fc.oneof(fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml'), headerValue()),
      4,
    ),
    origin: rarely(fc.constantFrom('https://evil.example.com', 'null', 'http://localhost'), 8),
    // Over HTTP_MAX_HEADER_BYTES (16 KiB by default) most of the time: 431.
    'x-padding': rarely(
      fc.integer({ min: 10_000, max: 40_000 }).map((n) => 'p'.repeat(n)),
      40,
    ),
    'x-random': rarely(headerValue(), 4),
  })
  .map(
    (h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>,
  );

const credential = fc.constantFrom<CredentialKind>(
  'none',
  'admin',
  'admin',
  'wrongAdmin',
  'brandKey',
  'brandKey',
  'otherBrandKey',
  'unknownApiKey',
  'userJwt',
  'userJwt',
  'forgedJwt',
  'algNoneJwt',
  'expiredJwt',
  'noExpJwt',
  'operatorSubJwt',
  'garbage',
  'basic',
);

/** A 30 kB Authorization header (431) now and then. */
const credentialOrHuge = fc.oneof(
  { weight: 40, arbitrary: credential },
  { weight: 1, arbitrary: fc.constant<CredentialKind>('hugeBearer') },
);

export interface RouteTemplate {
  readonly method: string;
  /** Builds the path from its parameters. */
  readonly path: (params: readonly string[]) => string;
  /** Valid values of the parameters, by position: half the time one is used instead of a hostile one. */
  readonly realParams: readonly string[];
  /** The kind of body the route takes. */
  readonly body: keyof typeof PLAUSIBLE_BODIES;
}

/** Stands for the fuzz user's secret in a path; the spec substitutes it when sending. */
export const SECRET_PLACEHOLDER = '__FUZZ_USER_SECRET__';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const;

/** A request against one of `routes` (or a made-up one), hostile in every part. */
export function fuzzRequest(routes: readonly RouteTemplate[]): fc.Arbitrary<FuzzRequest> {
  const route = fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...routes) },
    {
      weight: 1,
      arbitrary: fc.array(pathSegment, { minLength: 1, maxLength: 4 }).map((segments): RouteTemplate => ({
        method: 'GET',
        path: () => `/${segments.join('/')}`,
        realParams: [],
        body: 'none',
      })),
    },
  );
  return route.chain((r) =>
    fc
      .record({
        segments: fc.array(pathSegment, { minLength: 3, maxLength: 3 }),
        realSegments: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        otherMethod: rarely(fc.constantFrom(...METHODS), 10),
        query: rarely(queryString, 3),
        credential: credentialOrHuge,
        garbageAuthorization: fc.oneof(
          headerValue(),
          fc.constantFrom(
            'Bearer',
            'Bearer ',
            'bearer dk_x',
            'Bearer a b',
            'Token abc',
            'Bearer \u00ff\u00fe',
          ),
        ),
        headers,
        body: fc.oneof(
          { weight: 1, arbitrary: fc.constant(undefined) },
          { weight: 7, arbitrary: rawBody(PLAUSIBLE_BODIES[r.body]) },
        ),
        contentType,
      })
      .map(({ segments, realSegments, otherMethod, query, ...rest }) => {
        // Half the time a parameter is a real one, so that the other parts get past validation.
        const params = segments.map((s, i) => (realSegments[i] ? (r.realParams[i] ?? s) : s));
        const method = otherMethod ?? r.method;
        const withBody = method !== 'GET' && method !== 'HEAD';
        return {
          ...rest,
          method,
          path: r.path(params) + (query ?? ''),
          body: withBody ? (rest.body ?? undefined) : undefined,
        };
      }),
  );
}

export const GENERATOR_ROUTES: readonly RouteTemplate[] = [
  { method: 'POST', path: () => '/v1/brands', realParams: [], body: 'createBrand' },
  {
    method: 'POST',
    path: ([b]) => `/v1/brands/${b}/codes`,
    realParams: ['fuzzbrand'],
    body: 'generateCodes',
  },
  { method: 'GET', path: ([b]) => `/v1/brands/${b}/stats`, realParams: ['fuzzbrand'], body: 'none' },
  { method: 'POST', path: ([b]) => `/v1/brands/${b}/api-keys`, realParams: ['fuzzbrand'], body: 'none' },
  { method: 'POST', path: () => '/discounts/api/v1.0/generate', realParams: [], body: 'legacyGenerate' },
  { method: 'GET', path: () => '/health/live', realParams: [], body: 'none' },
];

export const PROVIDER_ROUTES: readonly RouteTemplate[] = [
  { method: 'POST', path: ([b]) => `/v1/brands/${b}/claims`, realParams: ['fuzzbrand'], body: 'none' },
  { method: 'POST', path: () => '/v1/users', realParams: [], body: 'createUser' },
  {
    method: 'GET',
    path: ([u, s, b]) => `/discounts/api/v1.0/get_code/${u}/${s}/${b}`,
    realParams: ['fuzzuser', SECRET_PLACEHOLDER, 'fuzzbrand'],
    body: 'none',
  },
  { method: 'GET', path: () => '/health/live', realParams: [], body: 'none' },
];
