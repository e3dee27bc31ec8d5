import { Global, Module } from '@nestjs/common';
import { KudakConfig } from './kudak.config';

/**
 * Provides the validated {@link KudakConfig}. The factory runs while Nest bootstraps, so a bad
 * variable stops the app at start-up with a message naming it.
 */
@Global()
@Module({
  providers: [{ provide: KudakConfig, useFactory: () => KudakConfig.fromEnvironment() }],
  exports: [KudakConfig],
})
export class KudakConfigModule {}
