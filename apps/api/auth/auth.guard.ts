import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@kudak/contracts';
import { IS_PUBLIC_KEY, ROLES_KEY, type AuthenticatedRequest } from './auth.decorators';
import { TokenVerifierService } from './token-verifier.service';

interface HeaderSettable {
  setHeader?(name: string, value: string): unknown;
}

/**
 * The API's one guard (global, see AuthModule): a verified bearer token on every route but the
 * @Public() ones (401 otherwise), then the route's @Roles (403 naming the caller's role).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifierService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    try {
      request.identity = await this.verifier.verifyRequest(request);
    } catch (err) {
      // RFC 6750: tell the client which scheme is expected and, for a bad token, why.
      if (err instanceof UnauthorizedException) {
        const challenge = header ? `Bearer realm="kudak", error="invalid_token"` : 'Bearer realm="kudak"';
        http.getResponse<HeaderSettable>().setHeader?.('WWW-Authenticate', challenge);
      }
      throw err;
    }

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const { role } = request.identity;
    if (roles && roles.length > 0 && !roles.includes(role)) {
      throw new ForbiddenException(
        `${/^[aeio]/.test(role) ? 'an' : 'a'} ${role} may not do this; allowed: ${roles.join(', ')}`,
      );
    }
    return true;
  }
}
