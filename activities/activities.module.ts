import { Module } from '@nestjs/common';
import { DatabaseModule } from '@kudak/database';
import { MailerService } from './mailer.service';
import { NotificationActivities } from './notification.activities';
import { RecordsActivities } from './records.activities';

/** Token of the activity functions the worker registers (methods bound to their Nest instances). */
export const KUDAK_ACTIVITIES = Symbol('KUDAK_ACTIVITIES');

/** Every activity class; its public methods become activities. */
const ACTIVITY_CLASSES = [NotificationActivities, RecordsActivities] as const;

/** What workflows proxy: `proxyActivities<KudakActivities>(...)`. */
export type KudakActivities = NotificationActivities & RecordsActivities;

function bindMethods(instance: object): Record<string, (...args: unknown[]) => Promise<unknown>> {
  const proto = Object.getPrototypeOf(instance);
  return Object.fromEntries(
    Object.getOwnPropertyNames(proto)
      .filter((name) => name !== 'constructor' && typeof proto[name] === 'function')
      .map((name) => [name, proto[name].bind(instance)]),
  );
}

@Module({
  // DatabaseService migrates while the app initialises, before the worker is created and polls.
  imports: [DatabaseModule],
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
