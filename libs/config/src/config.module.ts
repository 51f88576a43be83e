import { DynamicModule, Global, Module, type ValueProvider } from '@nestjs/common';
import type { CommonConfig } from './common-config';

/** The whole, already validated configuration of the running service. */
export const APP_CONFIG = Symbol('APP_CONFIG');
/** The part every lib may depend on; the same object as APP_CONFIG. */
export const COMMON_CONFIG = Symbol('COMMON_CONFIG');

/**
 * Configuration is parsed once in main.ts (so a bad variable stops the process before Nest
 * starts) and handed in here; tests pass a plain object. `sections` are an app's parts of it
 * under tokens of their own, for features to inject only the part they read.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot<C extends CommonConfig>(config: C, sections: readonly ValueProvider[] = []): DynamicModule {
    const tokens = [APP_CONFIG, COMMON_CONFIG, ...sections.map((section) => section.provide)];
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: COMMON_CONFIG, useValue: config },
        ...sections,
      ],
      exports: tokens,
    };
  }
}
