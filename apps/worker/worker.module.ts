import { Module } from '@nestjs/common';
import { KudakConfigModule } from '@kudak/config';
import { ActivitiesModule } from '../../activities/activities.module';
import { TemporalWorkerService } from './temporal-worker.service';

@Module({
  imports: [KudakConfigModule, ActivitiesModule],
  providers: [TemporalWorkerService],
  exports: [TemporalWorkerService],
})
export class WorkerModule {}
