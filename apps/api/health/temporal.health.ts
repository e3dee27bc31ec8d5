import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Client } from '@temporalio/client';
import { temporalUnavailableReason } from '../common/temporal-exception.filter';

/** Temporal is up when its frontend answers a system-info call within the timeout. */
@Injectable()
export class TemporalHealthIndicator {
  private readonly logger = new Logger(TemporalHealthIndicator.name);

  constructor(
    private readonly client: Client,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'temporal', timeoutMs = 3000): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      await this.client.connection.withDeadline(Date.now() + timeoutMs, () =>
        this.client.workflowService.getSystemInfo({}),
      );
      return indicator.up();
    } catch (err) {
      // The raw gRPC text (addresses, internals) goes to the log; the answer says only what is wrong.
      this.logger.warn(`Temporal is down: ${(err as Error).message}`);
      return indicator.down({ message: temporalUnavailableReason(err) ?? 'Temporal refused the health check' });
    }
  }
}
