import { Injectable, Logger, UnauthorizedException, type OnModuleInit } from '@nestjs/common';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTVerifyGetKey,
  type ProtectedHeaderParameters,
} from 'jose';
import { KudakConfig } from '@kudak/config';
import type { AuthenticatedRequest } from './auth.decorators';
import type { Identity } from './identity';
import { identityFromClaims, InvalidIdentityClaimError } from './identity-claims';
import { LOCAL_SIGNING_ALG, loadLocalJwks } from './local-signing-key';

/** Seconds of clock skew tolerated between the token's issuer and this server (exp, nbf). */
export const CLOCK_TOLERANCE_SECONDS = 5;
const BEARER = /^Bearer(?:[ \t]+(.*))?$/i;

/**
 * Verifies bearer tokens: RS256 only, issuer and audience pinned, `exp` required, key by `kid` from
 * the identity provider's JWKS (AUTH_JWKS_URL) or the local key's. Every failure is a 401 with a
 * short reason that is safe to show; the details stay in the server log.
 */
@Injectable()
export class TokenVerifierService implements OnModuleInit {
  private readonly logger = new Logger('Auth');
  private keys?: Promise<JWTVerifyGetKey>;
  private readonly verified = new WeakMap<AuthenticatedRequest, Promise<Identity>>();

  constructor(private readonly config: KudakConfig) {}

  async onModuleInit(): Promise<void> {
    // Local mode: create the key pair at start-up, so a bad key folder stops the API right away.
    if (this.config.auth.mode === 'local') await this.keySet();
  }

  /**
   * The identity of a request's bearer token, verified once per request however often it is asked
   * for (the rate limit's caller, then the auth guard).
   */
  verifyRequest(request: AuthenticatedRequest): Promise<Identity> {
    let identity = this.verified.get(request);
    if (!identity) {
      const header = request.headers.authorization;
      identity = this.verifyAuthorization(Array.isArray(header) ? header[0] : header);
      this.verified.set(request, identity);
    }
    return identity;
  }

  /** The identity in an `Authorization: Bearer <jwt>` header value. */
  async verifyAuthorization(header: string | undefined): Promise<Identity> {
    if (header === undefined || header.trim() === '') throw unauthorized('missing bearer token');
    const match = BEARER.exec(header);
    if (!match) throw unauthorized('authorization must be a bearer token');
    return this.verify(match[1]?.trim());
  }

  async verify(token: string | undefined): Promise<Identity> {
    if (token === undefined || token.trim() === '') throw unauthorized('missing bearer token');
    let header: ProtectedHeaderParameters;
    try {
      if (token.split('.').length !== 3) throw new Error('not three segments');
      header = decodeProtectedHeader(token);
    } catch {
      throw unauthorized('token is not a valid JWT');
    }
    // Checked before any key is looked up: no JWKS fetch for `alg: none`, HS256 key-confusion etc.
    if (header.alg !== LOCAL_SIGNING_ALG) throw unauthorized('only RS256 tokens are accepted');
    if (typeof header.kid !== 'string' || header.kid === '') throw unauthorized('token has no key id (kid)');

    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), {
        algorithms: [LOCAL_SIGNING_ALG],
        issuer: this.config.auth.issuer,
        audience: this.config.auth.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (err) {
      throw unauthorized(this.reasonFor(err));
    }
    try {
      return identityFromClaims(payload);
    } catch (err) {
      if (err instanceof InvalidIdentityClaimError) throw unauthorized(err.reason);
      throw err;
    }
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    this.keys ??= this.createKeySet().catch((err: unknown) => {
      this.keys = undefined; // retry on the next request rather than fail forever
      throw err;
    });
    return this.keys;
  }

  private async createKeySet(): Promise<JWTVerifyGetKey> {
    const { mode, jwksUrl, localKeyDir } = this.config.auth;
    if (mode === 'jwks' && jwksUrl) {
      // jose caches the JWKS and refetches it (rate-limited) when an unknown kid shows up: key rotation.
      return createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5000 });
    }
    return createLocalJWKSet(await loadLocalJwks(localKeyDir));
  }

  private reasonFor(err: unknown): string {
    if (err instanceof errors.JWTExpired) return 'token expired';
    if (err instanceof errors.JWTClaimValidationFailed) {
      switch (err.claim) {
        case 'iss':
          return 'token issuer is not accepted';
        case 'aud':
          return 'token audience is not accepted';
        case 'exp':
          return err.reason === 'missing' ? 'token has no expiry (exp)' : 'token expiry (exp) is invalid';
        case 'sub':
          return 'token has no subject (sub)';
        case 'nbf':
          return 'token is not valid yet';
        default:
          return `token claim "${err.claim}" is invalid`;
      }
    }
    if (err instanceof errors.JWSSignatureVerificationFailed) return 'token signature is invalid';
    if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
      return 'unknown signing key';
    }
    if (err instanceof errors.JOSEAlgNotAllowed) return 'only RS256 tokens are accepted';
    if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'token is not a valid JWT';
    // The keys could not be had (identity provider unreachable or answering nonsense, local key
    // folder unreadable): our problem, not the caller's, but still no identity. Logged for operators.
    if (
      err instanceof errors.JWKSTimeout ||
      err instanceof errors.JWKSInvalid ||
      !(err instanceof errors.JOSEError) ||
      err.code === 'ERR_JOSE_GENERIC'
    ) {
      this.logger.warn(`cannot verify tokens: ${(err as Error)?.message ?? String(err)}`);
      return 'signing keys are unavailable';
    }
    return 'token is not accepted';
  }
}

function unauthorized(reason: string): UnauthorizedException {
  return new UnauthorizedException(reason);
}
