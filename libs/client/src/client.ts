import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { paths as GeneratorPaths } from './generated/generator';
import type { paths as ProviderPaths } from './generated/provider';

export type { GeneratorPaths, ProviderPaths };
export type GeneratorClient = Client<GeneratorPaths>;
export type ProviderClient = Client<ProviderPaths>;

/**
 * The bearer credential: a brand's API key or an app's admin token (generator), a user's JWT or
 * the provider's admin token (provider). A function is asked before every request, so a
 * short-lived JWT can be renewed without making a new client.
 */
export type Credential = string | (() => string | Promise<string>);

/** Extra openapi-fetch options (a custom fetch, headers), except the base URL. */
export type ClientExtras = Omit<ClientOptions, 'baseUrl'>;

/** Sends `Authorization: Bearer <credential>` on every request (the apps' only auth scheme). */
export function bearerAuth(credential: Credential): Middleware {
  return {
    async onRequest({ request }) {
      const token = typeof credential === 'function' ? await credential() : credential;
      request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  };
}

function withAuth<P extends object>(
  baseUrl: string,
  credential: Credential | undefined,
  extras: ClientExtras,
): Client<P> {
  // openapi-fetch joins paths to the base URL as text: a trailing slash would double.
  const client = createClient<P>({ ...extras, baseUrl: baseUrl.replace(/\/+$/, '') });
  if (credential !== undefined) client.use(bearerAuth(credential));
  return client;
}

/**
 * A typed client of the generator's API (openapi/generator.json): `baseUrl` is its public port,
 * or its admin port (ADMIN_PORT) for admin calls with the admin token.
 */
export function createGeneratorClient(
  baseUrl: string,
  credential?: Credential,
  extras: ClientExtras = {},
): GeneratorClient {
  return withAuth<GeneratorPaths>(baseUrl, credential, extras);
}

/** A typed client of the provider's API (openapi/provider.json). */
export function createProviderClient(
  baseUrl: string,
  credential?: Credential,
  extras: ClientExtras = {},
): ProviderClient {
  return withAuth<ProviderPaths>(baseUrl, credential, extras);
}
