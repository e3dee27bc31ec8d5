import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/auth.decorators';
import { CALLER_THROTTLER, ROUTE_THROTTLER } from '../common/rate-limit';
import { DatabaseHealthIndicator } from './database.health';
import { TemporalHealthIndicator } from './temporal.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly temporal: TemporalHealthIndicator,
    private readonly database: DatabaseHealthIndicator,
  ) {}

  @Get()
  @Public()
  @SkipThrottle({ [ROUTE_THROTTLER]: true, [CALLER_THROTTLER]: true })
  @HealthCheck()
  check() {
    // Each dependency by name: a 503 says which one is down (`error.temporal`, `error.database`).
    return this.health.check([() => this.temporal.isHealthy(), () => this.database.isHealthy()]);
  }
}
