import { DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { AUTH_OPTIONS, type AuthOptions } from './auth-options';
import { AdminGuard, BrandGuard, JwtUserGuard } from './guards';
import { JwtVerifier } from './jwt-verifier';

/** Global so that guards used by any controller of the app find their dependencies. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: AUTH_OPTIONS, useValue: options },
      AdminGuard,
      BrandGuard,
      JwtUserGuard,
      ...(options.jwt ? [{ provide: JwtVerifier, useValue: new JwtVerifier(options.jwt) }] : []),
    ];
    return { module: AuthModule, providers, exports: providers };
  }
}
