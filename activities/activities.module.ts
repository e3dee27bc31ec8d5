import { Module } from '@nestjs/common';
import { ACTIVITY_NAMES, type KudakActivities } from '@kudak/contracts';
import { DatabaseModule, retryWhileBusy } from '@kudak/database';
import { MailerService } from './mailer.service';
import { NotificationActivities } from './notification.activities';
import { ReadModelActivities } from './read-model.activities';
import { RecordsActivities } from './records.activities';

/** Token of the activity functions the worker registers. */
export const KUDAK_ACTIVITIES = Symbol('KUDAK_ACTIVITIES');

/**
 * How long an activity attempt waits, asynchronously, for a SQLite lock another process holds (the
 * API appending to the audit log, say) before it fails and Temporal's retry policy backs off.
 */
export const ACTIVITY_LOCK_WAIT_MS = 2_000;

/**
 * The worker's SQLite connection never waits for a lock itself: SQLite would sleep on the event loop
 * the workflow tasks need, and a locked database would time out every candidacy's workflow tasks.
 * A locked database fails only the activities that touch it, which wait and retry without blocking.
 */
const WORKER_LOCK_WAIT = { busyTimeoutMs: 0 };

/** An activity run again, without blocking, while SQLite is briefly locked. */
function whileBusy<A, R>(run: (req: A) => Promise<R>): (req: A) => Promise<R> {
  return (req) => retryWhileBusy(() => run(req), ACTIVITY_LOCK_WAIT_MS);
}

/**
 * Binds each activity name (as histories record it) to the method that implements it, one by one:
 * renaming a method cannot rename an activity, and a name left unbound does not compile.
 */
function bindActivities(
  notifications: NotificationActivities,
  records: RecordsActivities,
  readModel: ReadModelActivities,
): KudakActivities {
  return {
    [ACTIVITY_NAMES.notify]: whileBusy((req) => notifications.notify(req)),
    [ACTIVITY_NAMES.recordDecision]: whileBusy((req) => records.recordDecision(req)),
    [ACTIVITY_NAMES.recordEvaluation]: whileBusy((req) => records.recordEvaluation(req)),
    [ACTIVITY_NAMES.recordAward]: whileBusy((req) => records.recordAward(req)),
    [ACTIVITY_NAMES.projectReadModel]: whileBusy((snapshot) => readModel.projectReadModel(snapshot)),
  };
}

@Module({
  // DatabaseService migrates while the app initialises, before the worker is created and polls.
  imports: [DatabaseModule.forRoot(WORKER_LOCK_WAIT)],
  providers: [
    MailerService,
    NotificationActivities,
    RecordsActivities,
    ReadModelActivities,
    {
      provide: KUDAK_ACTIVITIES,
      inject: [NotificationActivities, RecordsActivities, ReadModelActivities],
      useFactory: bindActivities,
    },
  ],
  exports: [KUDAK_ACTIVITIES],
})
export class ActivitiesModule {}
