/**
 * Field paths pino censors wherever they appear in a logged object (one level of nesting and
 * the top), whatever the code that logged it meant to do.
 */
const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'cookie',
  'password',
  'pass',
  'secret',
  'secretHash',
  // Webhook secrets: the 201 that shows a generated one, and the stored (sealed) fields.
  'webhookSecret',
  'previousSecret',
  'token',
  'accessToken',
  'apiKey',
  'api_key',
  'adminToken',
  'pepper',
  'userSecretPepper',
  'user_secret',
  'jwt',
  'x-discounts-signature',
  'webhook-signature',
];

export const REDACT_PATHS = [
  ...SECRET_KEYS.map((key) => (/^[A-Za-z_]+$/.test(key) ? key : `["${key}"]`)),
  ...SECRET_KEYS.map((key) => (/^[A-Za-z_]+$/.test(key) ? `*.${key}` : `*["${key}"]`)),
  'headers.authorization',
  'req.headers.authorization',
];

export const REDACTED = '[redacted]';

/**
 * Credentials that can end up inside message text (an error message quoting a header, a URL):
 * bearer tokens, JWTs, the services' API keys, `whsec_` webhook secrets, and the secret segment
 * of the predecessor's route.
 */
const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\bdk_[A-Za-z0-9_-]{20,}/g, REDACTED],
  // Standard Webhooks secrets (`whsec_` and base64, or whatever a brand chose after the prefix).
  [/\bwhsec_[A-Za-z0-9+/=_.-]{8,}/g, REDACTED],
  // The route template (…/:user_secret/…) names the segment and stays readable.
  [/(get_code\/[^/\s]+\/)(?!:user_secret\/)[^/\s]+/g, `$1${REDACTED}`],
];

export function scrubSecrets(text: string): string {
  let scrubbed = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}
