import { decodeJwt } from 'jose';
import { UsageError } from '../errors';
import { userTokenOf } from './claims';

describe('userTokenOf', () => {
  const env = { DISCOUNTS_USER_TOKEN: 'env.jwt', DISCOUNTS_JWT_SECRET: 'secret-of-32-bytes-or-so-for-hs256' };

  it('signs for --user even when DISCOUNTS_USER_TOKEN is set: the flag beats the variable', async () => {
    const token = await userTokenOf({ user: 'alice' }, env);
    expect(decodeJwt(token).sub).toBe('alice');
  });

  it('takes --user-token over the variable, and the variable when no flag says who', async () => {
    await expect(userTokenOf({ userToken: 'flag.jwt' }, env)).resolves.toBe('flag.jwt');
    await expect(userTokenOf({}, env)).resolves.toBe('env.jwt');
  });

  it('refuses both flags, and neither flag nor variable', async () => {
    await expect(userTokenOf({ userToken: 'flag.jwt', user: 'alice' }, env)).rejects.toThrow(
      'pass either --user-token or --user, not both',
    );
    await expect(userTokenOf({}, {})).rejects.toBeInstanceOf(UsageError);
  });
});
