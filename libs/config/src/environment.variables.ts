import 'reflect-metadata';
import { isIP } from 'node:net';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;
const WholeNumber = (min: number, max: number) => (target: object, key: string) => {
  IsInt()(target, key);
  Min(min)(target, key);
  Max(max)(target, key);
};
const Port = () => WholeNumber(1, 65535);
/** Milliseconds the API waits on Temporal. */
const Deadline = () => WholeNumber(100, 120_000);

/** Every environment variable Kudak reads; validated once at start-up (see README's table). */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Port()
  PORT: number = 3000;

  @IsString()
  @IsNotEmpty()
  HOST: string = '127.0.0.1';

  /** Requests per minute to one route from one client address before the API answers 429. */
  @WholeNumber(1, 1_000_000)
  RATE_LIMIT_PER_MINUTE: number = 600;

  /** Requests per minute from one caller (token subject, else address) across all routes before 429. */
  @WholeNumber(1, 1_000_000)
  RATE_LIMIT_PER_CALLER_PER_MINUTE: number = 1200;

  /**
   * The reverse proxies whose `X-Forwarded-For` the API believes: addresses or CIDR ranges, or
   * `loopback`, `linklocal`, `uniquelocal`, comma-separated. Unset: the peer's address is the caller's.
   */
  @IsOptional()
  @IsString()
  TRUSTED_PROXY?: string;

  /** Secret that signs the API's page tokens. Unset: a random one kept in KUDAK_DATA_DIR. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'PAGE_TOKEN_SECRET must be at least 32 characters (e.g. openssl rand -hex 32)' })
  PAGE_TOKEN_SECRET?: string;

  /** host:port of a Temporal frontend. Unset: `npm start` launches the embedded dev server. */
  @IsOptional()
  @Matches(/^[^\s:]+:\d{1,5}$/, { message: 'TEMPORAL_ADDRESS must look like host:port' })
  TEMPORAL_ADDRESS?: string;

  @IsString()
  @IsNotEmpty()
  TEMPORAL_NAMESPACE: string = 'default';

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  TEMPORAL_TASK_QUEUE?: string;

  @Transform(toBoolean)
  @IsBoolean()
  TEMPORAL_TLS: boolean = false;

  @IsOptional()
  @IsString()
  TEMPORAL_TLS_CERT_PATH?: string;

  @IsOptional()
  @IsString()
  TEMPORAL_TLS_KEY_PATH?: string;

  @IsOptional()
  @IsString()
  TEMPORAL_TLS_CA_PATH?: string;

  @IsOptional()
  @IsString()
  TEMPORAL_TLS_SERVER_NAME?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  TEMPORAL_API_KEY?: string;

  /** The longest the API waits for one call to Temporal (a read, a start) before it answers 503. */
  @Deadline()
  TEMPORAL_CALL_DEADLINE_MS: number = 5000;

  /**
   * The longest the API waits for a worker to act before 503: a decision (an Update) and a new
   * candidacy's first state (its first workflow task).
   */
  @Deadline()
  TEMPORAL_UPDATE_DEADLINE_MS: number = 10_000;

  /** Embedded dev server (only when TEMPORAL_ADDRESS is unset). */
  @IsString()
  TEMPORAL_DEV_IP: string = '127.0.0.1';

  @Port()
  TEMPORAL_DEV_PORT: number = 7233;

  @Port()
  TEMPORAL_UI_PORT: number = 8233;

  @IsString()
  @IsNotEmpty()
  KUDAK_DATA_DIR: string = 'var';

  @IsOptional()
  @IsString()
  TEMPORAL_CLI_PATH?: string;

  @IsOptional()
  @IsString()
  TEMPORAL_TEST_SERVER_PATH?: string;

  /** Prebuilt workflow bundle: production workers load it, and every worker when this is set. */
  @IsOptional()
  @IsString()
  WORKFLOW_BUNDLE_PATH?: string;

  /** Kudak's own database. Unset: the SQLite file `<KUDAK_DATA_DIR>/kudak.sqlite`. */
  @IsOptional()
  @Matches(/^(?:postgres(?:ql)?:\/\/\S+|sqlite:.+)$/, {
    message: 'DATABASE_URL must look like postgres://user:password@host:5432/database or sqlite:<file path>',
  })
  DATABASE_URL?: string;

  /** Largest document accepted by an upload, in bytes; a bigger one is a 413. */
  @IsInt()
  @Min(1)
  @Max(1024 * 1024 * 1024, { message: 'DOCUMENT_MAX_BYTES must not be greater than 1073741824 (1 GiB)' })
  DOCUMENT_MAX_BYTES: number = 20 * 1024 * 1024;

  /** Outgoing mail server. Unset: notifications go to the in-app inbox only. */
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must look like smtp://user:password@host:587 (or smtps://)' })
  SMTP_URL?: string;

  @Matches(/^(?:[^<>]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, {
    message: 'MAIL_FROM must be an address, e.g. "Kudak <no-reply@example.org>" or no-reply@example.org',
  })
  MAIL_FROM: string = 'Kudak <no-reply@kudak.local>';

  /** The identity provider's JWKS. Unset: tokens are signed by the local key (`npm run token`). */
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'AUTH_JWKS_URL must be an http(s) URL, e.g. https://id.example.org/.well-known/jwks.json' },
  )
  AUTH_JWKS_URL?: string;

  /** The `iss` every accepted token must carry. */
  @IsString()
  @IsNotEmpty()
  AUTH_ISSUER: string = 'kudak-local';

  /** The `aud` every accepted token must carry. */
  @IsString()
  @IsNotEmpty()
  AUTH_AUDIENCE: string = 'kudak-api';

  /** Where the local signing key lives. Unset: `<KUDAK_DATA_DIR>/auth`. */
  @IsOptional()
  @IsString()
  AUTH_LOCAL_KEY_DIR?: string;

  /**
   * The console's client id at the identity provider (a public client: authorization code with
   * PKCE). The console reads it from GET /auth/config; unset, the console cannot sign in with it.
   */
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,200}$/, { message: 'AUTH_CLIENT_ID must be 1 to 200 printable characters, no spaces' })
  AUTH_CLIENT_ID?: string;

  /** The scopes the console asks the identity provider for, space-separated. */
  @Matches(/^[\x21\x23-\x5b\x5d-\x7e]+(?: [\x21\x23-\x5b\x5d-\x7e]+)*$/, {
    message: 'AUTH_SCOPES must be scope names separated by single spaces, e.g. "openid profile offline_access"',
  })
  AUTH_SCOPES: string = 'openid profile offline_access';

  /** The built console the API serves at `/` (when it holds an index.html). */
  @IsString()
  @IsNotEmpty()
  CONSOLE_DIR: string = 'dist/console';
}

/** Express's names for address ranges it can trust as proxies. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUSTED_PROXY's entries (addresses, CIDR ranges, range names), or undefined when one is not. */
export function parseTrustedProxies(value: string): string[] | undefined {
  const entries = value.split(',').map((entry) => entry.trim());
  const valid = (entry: string): boolean => {
    if (PROXY_RANGE_NAMES.includes(entry)) return true;
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return false;
    if (prefix === undefined) return true;
    return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
  };
  return entries.every(valid) ? entries : undefined;
}

/** Validates and converts the environment; throws one error naming every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): EnvironmentVariables {
  // Empty strings mean "unset" (as in `FOO= npm start`).
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== ''));
  const env = plainToInstance(EnvironmentVariables, present, { enableImplicitConversion: true });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: false });
  const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((msg) => `  - ${e.property}: ${msg}`));
  // The local signing key is a development convenience; production trusts an identity provider.
  if (env.NODE_ENV === 'production' && !env.AUTH_JWKS_URL) {
    lines.push("  - AUTH_JWKS_URL: required when NODE_ENV is production (the identity provider's JWKS URL)");
  }
  if (lines.length > 0) {
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (env.TEMPORAL_TLS_CERT_PATH && !env.TEMPORAL_TLS_KEY_PATH) {
    throw new Error('Invalid configuration:\n  - TEMPORAL_TLS_KEY_PATH: required with TEMPORAL_TLS_CERT_PATH');
  }
  if (env.TRUSTED_PROXY !== undefined && parseTrustedProxies(env.TRUSTED_PROXY) === undefined) {
    throw new Error(
      'Invalid configuration:\n  - TRUSTED_PROXY: TRUSTED_PROXY must be comma-separated IP addresses or CIDR ranges ' +
        '(e.g. 10.0.0.5,10.1.0.0/16), or loopback, linklocal, uniquelocal',
    );
  }
  // The patterns above only check the scheme; the drivers need the rest to parse as a URL too.
  for (const name of ['DATABASE_URL', 'SMTP_URL'] as const) {
    const url = env[name];
    if (url?.includes('://') && !URL.canParse(url)) {
      throw new Error(
        `Invalid configuration:\n  - ${name}: ${name} is not a valid URL (percent-encode special characters in the password)`,
      );
    }
  }
  return env;
}
