import type { z } from 'zod';
import { ConfigValidationError, parseEnv, type Env } from '@app/config';

/** The ConfigValidationError parseEnv throws for `env`; fails the test when it does not throw. */
export function configErrorOf<S extends z.ZodObject>(schema: S, env: Env): ConfigValidationError {
  try {
    parseEnv(schema, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigValidationError, parseEnv succeeded');
}

/**
 * Variable names the error's problems are reported against: "NAME: message", or "NAME.1: message"
 * for the second entry of a list variable.
 */
export const namesIn = (error: ConfigValidationError) =>
  error.problems.map((problem) => problem.split(':')[0]!.split('.')[0]);
