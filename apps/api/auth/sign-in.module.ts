import { Module } from '@nestjs/common';
import { KudakConfigModule } from '@kudak/config';
import { loadDemoPeople } from './demo-people';
import { DEMO_PEOPLE, LocalSessionsService } from './local-sessions.service';
import { SignInController } from './sign-in.controller';

/** The console's way in: its auth settings, and local sign-in as a demo person. */
@Module({
  imports: [KudakConfigModule],
  controllers: [SignInController],
  providers: [LocalSessionsService, { provide: DEMO_PEOPLE, useFactory: loadDemoPeople }],
})
export class SignInModule {}
