import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { KudakConfig } from '@kudak/config';
import { boundedCallInterceptors } from './bounded-calls';
import { temporalConnectionOptions } from './temporal-connection';

/** Closes the shared connection when the app shuts down. */
@Injectable()
class TemporalClientCloser implements OnApplicationShutdown {
  constructor(@Inject(Client) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}

/**
 * The one Temporal {@link Client} of an app. The connection is lazy so the API starts (and
 * `/health` reports the outage) while Temporal is unreachable. Every call is bounded (see
 * {@link boundedCallInterceptors}): a caller gets an answer within seconds, never a 40-second hang.
 */
@Global()
@Module({
  providers: [
    {
      provide: Client,
      inject: [KudakConfig],
      useFactory: (config: KudakConfig) =>
        new Client({
          connection: Connection.lazy({
            ...temporalConnectionOptions(config.temporal),
            interceptors: boundedCallInterceptors(config.temporal.deadlines.callMs),
          }),
          namespace: config.temporal.namespace,
        }),
    },
    TemporalClientCloser,
  ],
  exports: [Client],
})
export class TemporalClientModule {}
