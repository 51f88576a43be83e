/**
 * JSON over real sockets (Node's global fetch) for the e2e specs. Every answer comes back whole:
 * status, headers, raw text and, when the answer is JSON, the parsed body.
 */

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  /** The raw body. */
  text: string;
  /** The parsed body when the answer is JSON, else undefined (typed as T for convenience). */
  body: T;
}

export interface RequestOptions {
  method?: string;
  /** Serialised with JSON.stringify and sent as application/json. */
  json?: unknown;
  /** Sent as is (malformed JSON, other content types); content type from `contentType`. */
  rawBody?: string;
  /** Content-Type of rawBody (default application/json); null sends none. */
  contentType?: string | null;
  /** Sent as "Authorization: Bearer <token>". */
  token?: string;
  /** Sent as the whole Authorization header. */
  authorization?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Gives up when aborted, as a client that stops waiting does (timeoutMs still applies). */
  signal?: AbortSignal;
}

export async function request<T = Record<string, unknown>>(
  baseUrl: string,
  path: string,
  opts: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  let body: string | undefined;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['content-type'] = 'application/json';
  } else if (opts.rawBody !== undefined) {
    body = opts.rawBody;
    const contentType = opts.contentType === undefined ? 'application/json' : opts.contentType;
    if (contentType !== null) headers['content-type'] = contentType;
  }
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  if (opts.authorization !== undefined) headers.authorization = opts.authorization;

  const res = await fetch(baseUrl + path, {
    method: opts.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.any([
      AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      ...(opts.signal ? [opts.signal] : []),
    ]),
  });
  const text = await res.text();
  let parsed: unknown;
  if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') {
    parsed = JSON.parse(text);
  }
  return { status: res.status, headers: res.headers, text, body: parsed as T };
}

/** Headers of a request that came through a trusted proxy for the client at `ip`. */
export const from = (ip: string) => ({ 'x-forwarded-for': ip });

/**
 * Shorthands bound to one app's base URL; with `defaults` (an admin client's token, say), every
 * request starts from them and its own options override them.
 */
export function client(baseUrl: string, defaults: RequestOptions = {}) {
  const send = <T>(path: string, opts: RequestOptions) => request<T>(baseUrl, path, { ...defaults, ...opts });
  return {
    get: <T = Record<string, unknown>>(path: string, opts: RequestOptions = {}) =>
      send<T>(path, { ...opts, method: 'GET' }),
    post: <T = Record<string, unknown>>(path: string, json?: unknown, opts: RequestOptions = {}) =>
      send<T>(path, { ...opts, method: 'POST', json: json ?? opts.json }),
    patch: <T = Record<string, unknown>>(path: string, json?: unknown, opts: RequestOptions = {}) =>
      send<T>(path, { ...opts, method: 'PATCH', json: json ?? opts.json }),
    request: <T = Record<string, unknown>>(path: string, opts: RequestOptions = {}) => send<T>(path, opts),
  };
}

export type Client = ReturnType<typeof client>;

/** The predecessor's envelope (seed-compatible routes). */
export interface LegacyEnvelope {
  code: string;
  data: string;
  message: string;
  status: 'success' | 'error';
}

/** The v1 error body. */
export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface BrandStats {
  brandId: string;
  total: number;
  available: number;
  claimed: number;
  expired: number;
  claimedNotified: number;
}

export interface Brand {
  brandId: string;
  name: string;
  createdAt: string;
  webhook: {
    url: string;
    secretHint: string;
    /** While a replaced secret still signs (rotation grace period). */
    previousSecretHint?: string;
    previousSecretExpiresAt?: string;
    updatedAt: string;
  } | null;
  poolLowThreshold: number | null;
  autoReplenish: { enabled: boolean; count: number } | null;
}

export interface CreatedBrand extends Brand {
  apiKey: string;
  /** When the generator chose the webhook secret. */
  webhookSecret?: string;
}

export interface WebhookAttempt {
  number: number;
  at: string;
  outcome: 'delivered' | 'failed';
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDelivery {
  id: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'dead';
  payload: Record<string, unknown>;
  createdAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  deadAt: string | null;
  deadReason: string | null;
  redeliveries: number;
  attempts: WebhookAttempt[];
}

export interface WebhookDeliveryPage {
  items: WebhookDelivery[];
  nextCursor: string | null;
}

export interface CreatedUser {
  userId: string;
  secret: string;
}

export interface CodeBatch {
  batchId: string;
  brandId: string;
  requested: number;
  generated: number;
  format: { length: number; prefix: string; alphabet: string };
  expiresAt: string | null;
  createdAt: string;
}

export interface Claim {
  code: string;
  brandId: string;
  claimedAt: string;
}

/** Default code format: 8 characters without 0/O/1/I/L. */
export const DEFAULT_CODE_PATTERN = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/;

/** The API's timestamps: ISO 8601 in UTC, with milliseconds. */
export const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
