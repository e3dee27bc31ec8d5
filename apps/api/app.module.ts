import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { KudakConfig, KudakConfigModule } from '@kudak/config';
import { DatabaseModule } from '@kudak/database';
import { TemporalClientModule } from '@kudak/temporal';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CandidaciesModule } from './candidacies/candidacies.module';
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
    ThrottlerModule.forRootAsync({
      inject: [KudakConfig],
      useFactory: (config: KudakConfig) => [{ ttl: 60_000, limit: config.http.rateLimitPerMinute }],
    }),
    // The rate limit runs before authentication: floods of bad tokens are limited too.
    { module: class RateLimitModule {}, providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }] },
    AuthModule,
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
