import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { KudakConfig, KudakConfigModule } from '@kudak/config';
import { DatabaseModule } from '@kudak/database';
import { TemporalClientModule } from '@kudak/temporal';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { SignInModule } from './auth/sign-in.module';
import { CandidaciesModule } from './candidacies/candidacies.module';
import { rateLimits, RateLimitGuard } from './common/rate-limit';
import { TemporalExceptionFilter } from './common/temporal-exception.filter';
import { DecisionsModule } from './decisions/decisions.module';
import { DocumentsModule } from './documents/documents.module';
import { HealthModule } from './health/health.module';
import { MeModule } from './me/me.module';

@Module({
  imports: [
    KudakConfigModule,
    TemporalClientModule,
    DatabaseModule,
    ThrottlerModule.forRootAsync({ inject: [KudakConfig], useFactory: rateLimits }),
    // The rate limits run before authentication (their guard is registered first): floods of bad
    // tokens are limited too.
    {
      module: class RateLimitModule {},
      imports: [AuthModule],
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
    },
    AuthModule,
    SignInModule,
    HealthModule,
    CandidaciesModule,
    DecisionsModule,
    DocumentsModule,
    MeModule,
    AuditModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: TemporalExceptionFilter }],
})
export class AppModule {}
