import { Module } from '@nestjs/common';
import { NotificationActivities } from './notification.activities';

/** Token of the activity functions the worker registers (methods bound to their Nest instances). */
export const KUDAK_ACTIVITIES = Symbol('KUDAK_ACTIVITIES');

/** Every activity class; its public methods become activities. */
const ACTIVITY_CLASSES = [NotificationActivities] as const;

export type KudakActivities = NotificationActivities;

function bindMethods(instance: object): Record<string, (...args: unknown[]) => Promise<unknown>> {
  const proto = Object.getPrototypeOf(instance);
  return Object.fromEntries(
    Object.getOwnPropertyNames(proto)
      .filter((name) => name !== 'constructor' && typeof proto[name] === 'function')
      .map((name) => [name, proto[name].bind(instance)]),
  );
}

@Module({
  providers: [
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
