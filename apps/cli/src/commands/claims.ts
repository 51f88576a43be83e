import type { Command } from 'commander';
import { SignJWT } from 'jose';
import { ENV, requireBrand } from '../config';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { formatRecord } from '../output';

type ContextOf = (command: Command) => CommandContext;

interface ClaimFlags {
  brand?: string;
  campaign?: string;
  userToken?: string;
  user?: string;
  jwtSecret?: string;
}

/** Minted tokens live this long: enough for one claim, short enough not to matter if pasted. */
const MINTED_TOKEN_SECONDS = 300;

/**
 * The user's JWT: --user-token as given, or one minted for --user with the provider's HS256
 * JWT_SECRET (--jwt-secret / DISCOUNTS_JWT_SECRET): for testing a deployment whose secret you
 * hold, never for real users. DISCOUNTS_USER_TOKEN only when neither flag says who claims: a flag
 * typed now beats a variable set long ago.
 */
export async function userTokenOf(flags: ClaimFlags, env: Readonly<Record<string, string | undefined>>) {
  if (flags.userToken !== undefined && flags.user !== undefined) {
    throw new UsageError('pass either --user-token or --user, not both');
  }
  if (flags.userToken !== undefined) return flags.userToken;
  if (flags.user === undefined) {
    const fromEnv = env[ENV.userToken];
    if (fromEnv) return fromEnv;
    throw new UsageError(
      `who claims? Pass --user-token <jwt> (or ${ENV.userToken}), or --user <id> with --jwt-secret ` +
        `(or ${ENV.jwtSecret}) to sign one`,
    );
  }
  const secret = flags.jwtSecret ?? env[ENV.jwtSecret];
  if (!secret)
    throw new UsageError(`--user needs the provider's JWT secret: --jwt-secret or ${ENV.jwtSecret}`);
  const now = Math.floor(Date.now() / 1_000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(flags.user)
    .setIssuedAt(now)
    .setExpirationTime(now + MINTED_TOKEN_SECONDS)
    .sign(new TextEncoder().encode(secret));
}

export function registerClaims(program: Command, contextOf: ContextOf): void {
  const claims = program.command('claims').description('claim codes as a user (the provider; for testing)');

  claims
    .command('create')
    .description('claim a code of the brand for a user; the same code again if they already hold one')
    .option('--brand <brandId>', 'the brand (default: $DISCOUNTS_BRAND)')
    .option('--campaign <campaignId>', 'claim from this campaign')
    .option('--user-token <jwt>', `the user's JWT (default: $${ENV.userToken})`)
    .option('--user <userId>', 'sign a token for this user id instead (needs --jwt-secret)')
    .option('--jwt-secret <secret>', `the provider's JWT_SECRET (default: $${ENV.jwtSecret})`)
    .action(async (opts: ClaimFlags, command: Command) => {
      const ctx = contextOf(command);
      const brandId = requireBrand(opts.brand, ctx.io.env);
      const token = await userTokenOf(opts, ctx.io.env);
      const { claim, isNew } = await ctx.provider().claim(brandId, token, opts.campaign);
      ctx.output.result({ ...claim, new: isNew }, () => formatRecord({ ...claim, new: isNew }));
    });
}
