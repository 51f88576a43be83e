import { z } from 'zod';

/**
 * Raised when environment variables are missing or malformed. The message names every bad
 * variable so an operator can fix them all in one go.
 */
export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses `env` with a schema whose keys are variable names, so each issue is reported against
 * the variable that caused it. Empty strings count as unset: `FOO= make launch` must not turn
 * into an empty token.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env): z.infer<S> {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(present);
  if (!result.success) {
    throw new ConfigValidationError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

export const envBoolean = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      message: 'expected true or false',
    })
    .default(defaultValue ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Plain decimal only: `Number()` would also take 0x1F90, 1e3 or 0b101. */
export const envInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, { message: 'expected a whole number in decimal digits' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const envPort = (defaultPort: number) => envInt(1, 65535).default(defaultPort);

/**
 * MongoDB connection strings may list several hosts (a replica-set seed list), which WHATWG URL
 * parsing rejects, so only the scheme and the presence of a host are checked here; the driver
 * reports anything finer at start-up.
 */
export const envMongoUri = () =>
  z.string().regex(/^mongodb(\+srv)?:\/\/[^/?#\s]+/, {
    message: 'expected a MongoDB connection string (mongodb:// or mongodb+srv://)',
  });

export const envUrl = (protocols: readonly string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    {
      message: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    },
  );

/** A list of URLs separated by commas, as NATS clients accept for clusters. */
export const envUrlList = (protocols: readonly string[]) =>
  z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim()))
    .pipe(z.array(envUrl(protocols)).min(1));

export const envSecret = (minLength: number) =>
  z.string().min(minLength, { message: `must be at least ${minLength} characters` });
