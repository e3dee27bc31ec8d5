import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { KudakConfigModule } from '@kudak/config';
import { AuthGuard } from './auth.guard';
import { TokenVerifierService } from './token-verifier.service';

/** Importing it protects every route of the app: see AuthGuard and the decorators. */
@Module({
  imports: [KudakConfigModule],
  providers: [TokenVerifierService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenVerifierService],
})
export class AuthModule {}
