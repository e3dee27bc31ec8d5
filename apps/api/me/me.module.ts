import { Module } from '@nestjs/common';
import { CandidaciesModule } from '../candidacies/candidacies.module';
import { MeController } from './me.controller';
import { MeService } from './me.service';

@Module({
  imports: [CandidaciesModule],
  controllers: [MeController],
  providers: [MeService],
})
export class MeModule {}
