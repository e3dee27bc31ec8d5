import { createParamDecorator, SetMetadata, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@kudak/contracts';
import type { Identity } from './identity';

export const IS_PUBLIC_KEY = 'kudak:auth:public';
export const ROLES_KEY = 'kudak:auth:roles';

/** The request as the auth guard leaves it: the verified caller attached. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  identity?: Identity;
}

/** No token needed (health, docs). Every other route requires a verified bearer token. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * The roles that may call a route (on a handler, or on a controller for all its handlers; the
 * handler's wins). Without it any verified identity may call; city scoping is the route's job.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The verified caller, as the auth guard attached it to the request. */
export const CurrentIdentity = createParamDecorator((_data: unknown, context: ExecutionContext): Identity => {
  const identity = context.switchToHttp().getRequest<AuthenticatedRequest>().identity;
  // Only on a @Public() route (a programming slip): refuse rather than act as nobody.
  if (!identity) throw new UnauthorizedException('missing bearer token');
  return identity;
});
