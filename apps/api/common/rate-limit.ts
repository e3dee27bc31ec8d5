import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { KudakConfig } from '@kudak/config';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { TokenVerifierService } from '../auth/token-verifier.service';

/** The per-route limit keeps the throttler's default name, so `@SkipThrottle()` still means it. */
export const ROUTE_THROTTLER = 'default';
/** The limit on one caller across every route. */
export const CALLER_THROTTLER = 'caller';

/** Both limits, per minute: one route from one address, and one caller on all routes together. */
export function rateLimits(config: KudakConfig): ThrottlerModuleOptions {
  return [
    { name: ROUTE_THROTTLER, ttl: 60_000, limit: config.http.rateLimitPerMinute },
    { name: CALLER_THROTTLER, ttl: 60_000, limit: config.http.callerRateLimitPerMinute },
  ];
}

/**
 * The API's rate limits (global; runs before authentication, so floods of bad tokens are limited
 * too). The route limit counts per route and client address, as the throttler does by default. The
 * caller limit counts one caller on every route together: by the subject of a verified token, else
 * by address. The address is the peer's, or X-Forwarded-For's only from a trusted proxy (Express
 * `trust proxy`, from TRUSTED_PROXY), so a client cannot pick a new one for each request.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly verifier: TokenVerifierService,
  ) {
    super(options, storage, reflector);
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    if (request.throttler.name !== CALLER_THROTTLER) return super.handleRequest(request);
    return super.handleRequest({
      ...request,
      getTracker: (req) => this.callerOf(req as AuthenticatedRequest),
      generateKey: (_context, caller, name) => `${name}:${caller}`,
    });
  }

  /** The standard Retry-After too (the throttler names it after the limit, e.g. Retry-After-caller). */
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    this.setResponseHeader(this.getRequestResponse(context).res, 'Retry-After', detail.timeToBlockExpire);
    return super.throwThrottlingException(context, detail);
  }

  private async callerOf(req: AuthenticatedRequest): Promise<string> {
    try {
      return `sub:${(await this.verifier.verifyRequest(req)).sub}`;
    } catch {
      return `address:${await this.getTracker(req)}`;
    }
  }
}
