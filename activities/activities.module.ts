import { Module } from '@nestjs/common';
import { DatabaseModule, retryWhileBusy } from '@kudak/database';
import { MailerService } from './mailer.service';
import { NotificationActivities } from './notification.activities';
import { RecordsActivities } from './records.activities';

/** Token of the activity functions the worker registers (methods bound to their Nest instances). */
export const KUDAK_ACTIVITIES = Symbol('KUDAK_ACTIVITIES');

/** Every activity class; its public methods become activities. */
const ACTIVITY_CLASSES = [NotificationActivities, RecordsActivities] as const;

/** What workflows proxy: `proxyActivities<KudakActivities>(...)`. */
export type KudakActivities = NotificationActivities & RecordsActivities;

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

/** Each method as an activity: bound to its instance, run again while SQLite is briefly locked. */
function bindMethods(instance: object): Record<string, (...args: unknown[]) => Promise<unknown>> {
  const proto = Object.getPrototypeOf(instance);
  return Object.fromEntries(
    Object.getOwnPropertyNames(proto)
      .filter((name) => name !== 'constructor' && typeof proto[name] === 'function')
      .map((name) => [
        name,
        (...args: unknown[]) => retryWhileBusy(() => proto[name].apply(instance, args), ACTIVITY_LOCK_WAIT_MS),
      ]),
  );
}

@Module({
  // DatabaseService migrates while the app initialises, before the worker is created and polls.
  imports: [DatabaseModule.forRoot(WORKER_LOCK_WAIT)],
  providers: [
    MailerService,
    ...ACTIVITY_CLASSES,
    {
      provide: KUDAK_ACTIVITIES,
      inject: [...ACTIVITY_CLASSES],
      useFactory: (...instances: object[]) => Object.assign({}, ...instances.map(bindMethods)),
    },
  ],
  exports: [KUDAK_ACTIVITIES],
})
export class ActivitiesModule {}
