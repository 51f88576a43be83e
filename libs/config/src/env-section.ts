import type { z } from 'zod';

/** One environment variable: its name and the schema that validates (and converts) it. */
export interface EnvVariable<N extends string = string, S extends z.ZodType = z.ZodType> {
  readonly name: N;
  readonly schema: S;
}

export function env<N extends string, S extends z.ZodType>(name: N, schema: S): EnvVariable<N, S> {
  return { name, schema };
}

type Fields = Record<string, EnvVariable>;

/** The variables of a section, by environment name, for `z.object().extend()`. */
export type SectionVariables<F extends Fields> = { [K in keyof F as F[K]['name']]: F[K]['schema'] };

/** What a schema holding the section's variables parses them to: a section left out does not compile. */
export type ParsedVariables<F extends Fields> = {
  readonly [K in keyof F as F[K]['name']]: z.output<F[K]['schema']>;
};

/** The section as the app uses it: each field the output of its variable's schema. */
export type SectionOf<F extends Fields> = { readonly [K in keyof F]: z.output<F[K]['schema']> };

export interface EnvSection<F extends Fields> {
  readonly variables: SectionVariables<F>;
  /** Builds the section from the parsed environment (the output of a schema holding `variables`). */
  read(parsed: ParsedVariables<F>): SectionOf<F>;
}

/**
 * A section of an app's configuration, each of its variables named once: the schemas to validate
 * the environment with, and the nested shape built from the result. Unit conversions (seconds
 * to milliseconds) belong in the variable's schema, as a transform.
 */
export function envSection<F extends Fields>(fields: F): EnvSection<F> {
  const entries = Object.entries(fields);
  return {
    variables: Object.fromEntries(entries.map(([, v]) => [v.name, v.schema])) as SectionVariables<F>,
    read: (parsed) =>
      Object.fromEntries(
        entries.map(([key, v]) => [key, (parsed as Readonly<Record<string, unknown>>)[v.name]]),
      ) as SectionOf<F>,
  };
}
