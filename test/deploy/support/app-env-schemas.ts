/**
 * The apps' configuration schemas, for the checks that every deployment (the chart, compose.yaml)
 * gives the apps an environment they accept: only variables they read, nothing required missing.
 */
// The deployment checks compare deployments with the apps' configuration schemas, so they read
// them where they are defined; nothing else of the apps is imported.
// eslint-disable-next-line no-restricted-imports
import { generatorEnvSchema } from '../../../apps/generator/src/generator.config';
// eslint-disable-next-line no-restricted-imports
import { providerEnvSchema } from '../../../apps/provider/src/provider.config';

export const APP_ENV_SCHEMAS = { generator: generatorEnvSchema, provider: providerEnvSchema } as const;
export type App = keyof typeof APP_ENV_SCHEMAS;
export const APPS = Object.keys(APP_ENV_SCHEMAS) as App[];

/** Never set by a deployment: it opens the brand API without keys (`make launch`'s quickstart only). */
export const QUICKSTART_ONLY_VARIABLE = 'DEV_OPEN_BRAND_API';

/** The names among `names` that the app's config schema does not read (a typo, or a stale setting). */
export function unknownVariables(app: App, names: readonly string[]): string[] {
  const known = new Set(Object.keys(APP_ENV_SCHEMAS[app].shape));
  return names.filter((name) => !known.has(name));
}
