import { Module } from '@nestjs/common';
import { ACTIVITY_NAMES, type KudakActivities } from '@kudak/contracts';
import { DatabaseModule } from '@kudak/database';
import { MailerService } from './mailer.service';
import { NotificationActivities } from './notification.activities';
import { RecordsActivities } from './records.activities';

/** Token of the activity functions the worker registers. */
export const KUDAK_ACTIVITIES = Symbol('KUDAK_ACTIVITIES');

/**
 * Binds each activity name (as histories record it) to the method that implements it, one by one:
 * renaming a method cannot rename an activity, and a name left unbound does not compile.
 */
function bindActivities(notifications: NotificationActivities, records: RecordsActivities): KudakActivities {
  return {
    [ACTIVITY_NAMES.notify]: (req) => notifications.notify(req),
    [ACTIVITY_NAMES.recordDecision]: (req) => records.recordDecision(req),
    [ACTIVITY_NAMES.recordEvaluation]: (req) => records.recordEvaluation(req),
    [ACTIVITY_NAMES.recordAward]: (req) => records.recordAward(req),
  };
}

@Module({
  // DatabaseService migrates while the app initialises, before the worker is created and polls.
  imports: [DatabaseModule],
  providers: [
    MailerService,
    NotificationActivities,
    RecordsActivities,
    { provide: KUDAK_ACTIVITIES, inject: [NotificationActivities, RecordsActivities], useFactory: bindActivities },
  ],
  exports: [KUDAK_ACTIVITIES],
})
export class ActivitiesModule {}
