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

/** Where documents' bytes may be kept (DOCUMENT_STORE). */
export const DOCUMENT_STORES = ['files', 'database', 's3'] as const;
export type DocumentStoreKind = (typeof DOCUMENT_STORES)[number];

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

  /**
   * Where uploaded documents' bytes live. Unset: `database` with a PostgreSQL DATABASE_URL, else
   * `files` in KUDAK_DATA_DIR.
   */
  @IsOptional()
  @IsIn(DOCUMENT_STORES)
  DOCUMENT_STORE?: DocumentStoreKind;

  /** The S3-compatible service (DOCUMENT_STORE=s3). Unset: the provider's endpoint for S3_REGION. */
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'S3_ENDPOINT must be an http(s) URL, e.g. https://s3.example.org or http://127.0.0.1:9000' },
  )
  S3_ENDPOINT?: string;

  /** The bucket documents go to; required with DOCUMENT_STORE=s3 (it must exist). */
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    message: 'S3_BUCKET must be a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens',
  })
  S3_BUCKET?: string;

  @IsString()
  @IsNotEmpty()
  S3_REGION: string = 'us-east-1';

  /** With S3_SECRET_ACCESS_KEY; both unset: the SDK's own chain (AWS_* variables, an instance role). */
  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string;

  /** `http://host/bucket/key` rather than `http://bucket.host/key` (most self-hosted servers). */
  @Transform(toBoolean)
  @IsBoolean()
  S3_FORCE_PATH_STYLE: boolean = false;

  /** Put before each document's SHA-256 in its object key. */
  @IsString()
  @Matches(/^(?:[A-Za-z0-9!_.*'()-]+\/)+$/, {
    message: 'S3_KEY_PREFIX must be folder names each ending in / (e.g. kudak/documents/)',
  })
  S3_KEY_PREFIX: string = 'documents/';

  /** The longest one read or write of the S3 store takes, retries included, before the API answers 503. */
  @Deadline()
  S3_TIMEOUT_MS: number = 5000;

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
  const documentStoreProblem = s3Problem(env, present);
  if (documentStoreProblem) throw new Error(`Invalid configuration:\n  - ${documentStoreProblem}`);
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

const S3_VARIABLES = [
  'S3_ENDPOINT',
  'S3_BUCKET',
  'S3_REGION',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'S3_FORCE_PATH_STYLE',
  'S3_KEY_PREFIX',
  'S3_TIMEOUT_MS',
] as const satisfies ReadonlyArray<keyof EnvironmentVariables>;

/** The S3 settings without which (or with which, unused) DOCUMENT_STORE cannot mean what it says. */
function s3Problem(env: EnvironmentVariables, present: Record<string, unknown>): string | undefined {
  const s3Variables = S3_VARIABLES.filter((name) => name in present);
  if (env.DOCUMENT_STORE !== 's3') {
    // A bucket configured but not used would leave documents where nobody looks for them.
    return s3Variables.length > 0
      ? `DOCUMENT_STORE: must be s3 when ${s3Variables.join(', ')} ${s3Variables.length > 1 ? 'are' : 'is'} set`
      : undefined;
  }
  if (!env.S3_BUCKET) return 'S3_BUCKET: required when DOCUMENT_STORE is s3 (the bucket that holds the documents)';
  if (env.S3_ACCESS_KEY_ID && !env.S3_SECRET_ACCESS_KEY) return 'S3_SECRET_ACCESS_KEY: required with S3_ACCESS_KEY_ID';
  if (!env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY) return 'S3_ACCESS_KEY_ID: required with S3_SECRET_ACCESS_KEY';
  return undefined;
}
