import { Module } from '@nestjs/common';
import { KudakConfigModule } from '@kudak/config';
import { TemporalClientModule } from '@kudak/temporal';
import { CandidaciesModule } from './candidacies/candidacies.module';
import { HealthModule } from './health/health.module';

@Module({
  imports: [KudakConfigModule, TemporalClientModule, HealthModule, CandidaciesModule],
})
export class AppModule {}
