import * as path from 'node:path';
import { CANDIDACY_TASK_QUEUE } from '@kudak/contracts';
import {
  parseTrustedProxies,
  validateEnvironment,
  type DocumentStoreKind,
  type EnvironmentVariables,
} from './environment.variables';
import { projectRoot } from './project-root';

export interface TemporalSettings {
  /** Set when a cluster or Temporal Cloud is configured; undefined means the embedded dev server. */
  externalAddress?: string;
  address: string;
  namespace: string;
  taskQueue: string;
  tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
  apiKey?: string;
  /** The API's bound on one call to Temporal, and on what waits for a worker (an Update, a first state). */
  deadlines: { callMs: number; updateMs: number };
}

export interface HttpSettings {
  host: string;
  port: number;
  /** Per route and client address. */
  rateLimitPerMinute: number;
  /** Per caller (token subject, else address) across all routes. */
  callerRateLimitPerMinute: number;
  /** Express `trust proxy`: the proxies whose X-Forwarded-For is believed; none when empty. */
  trustedProxies: string[];
}

export interface PageTokenSettings {
  /** PAGE_TOKEN_SECRET, when set. */
  secret?: string;
  /** Otherwise the generated secret kept here (absolute). */
  secretFile: string;
}

export interface DatabaseSettings {
  client: 'better-sqlite3' | 'pg';
  /** An absolute SQLite file path (or `:memory:`), or a PostgreSQL connection URL. */
  connection: string;
}

export interface MailSettings {
  /** Unset: no e-mail, notifications reach the in-app inbox only. */
  smtpUrl?: string;
  from: string;
}

export interface DocumentSettings {
  maxBytes: number;
  /**
   * Where uploaded documents' bytes live: `files` in `folder` (named by their SHA-256),
   * `database`, in Kudak's database beside their metadata, or `s3`, in the bucket `s3` names.
   */
  store: DocumentStoreKind;
  /** Absolute; used by the `files` store. */
  folder: string;
  /** Used by the `s3` store (set when it is the store). */
  s3?: S3Settings;
}

export interface S3Settings {
  /** Unset: the provider's endpoint for the region. */
  endpoint?: string;
  bucket: string;
  region: string;
  /** Unset: the SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
  /** Before each document's SHA-256 in its object key. */
  keyPrefix: string;
  /** The bound on one read or write, retries included. */
  timeoutMs: number;
}

export interface AuthSettings {
  /** `jwks`: tokens from the identity provider at `jwksUrl`; `local`: signed by the local key. */
  mode: 'jwks' | 'local';
  jwksUrl?: string;
  issuer: string;
  audience: string;
  /** Absolute; holds the local signing key (used in `local` mode and by `npm run token`). */
  localKeyDir: string;
  /** The console's public client id at the identity provider (`jwks` mode). */
  clientId?: string;
  /** The scopes the console asks the identity provider for, space-separated. */
  scopes: string;
}

export interface ConsoleSettings {
  /** Absolute; the built console, served at `/` when it holds an index.html. */
  dir: string;
}

/** Typed, validated configuration: the one object the apps read their settings from. */
export class KudakConfig {
  readonly env: EnvironmentVariables['NODE_ENV'];
  readonly http: HttpSettings;
  readonly temporal: TemporalSettings;
  readonly devServer: { ip: string; port: number; uiPort: number; dbFile: string };
  readonly dataDir: string;
  readonly binaries: { cliPath?: string; testServerPath?: string };
  readonly workflowBundlePath: string;
  /**
   * Whether workers and the audit replay load the prebuilt bundle at workflowBundlePath rather than
   * bundle the workflows as they start: in production, and wherever WORKFLOW_BUNDLE_PATH is set
   * (`npm start` sets it to the bundle its build has just checked).
   */
  readonly usePrebuiltWorkflowBundle: boolean;
  readonly database: DatabaseSettings;
  readonly mail: MailSettings;
  readonly auth: AuthSettings;
  readonly console: ConsoleSettings;
  readonly documents: DocumentSettings;
  readonly pageTokens: PageTokenSettings;

  constructor(vars: EnvironmentVariables) {
    const root = projectRoot();
    this.env = vars.NODE_ENV;
    this.http = {
      host: vars.HOST,
      port: vars.PORT,
      rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE,
      callerRateLimitPerMinute: vars.RATE_LIMIT_PER_CALLER_PER_MINUTE,
      trustedProxies: vars.TRUSTED_PROXY ? (parseTrustedProxies(vars.TRUSTED_PROXY) ?? []) : [],
    };
    this.dataDir = path.resolve(root, vars.KUDAK_DATA_DIR);
    const useTls =
      vars.TEMPORAL_TLS || !!vars.TEMPORAL_TLS_CERT_PATH || !!vars.TEMPORAL_API_KEY || !!vars.TEMPORAL_TLS_CA_PATH;
    this.temporal = {
      externalAddress: vars.TEMPORAL_ADDRESS,
      address: vars.TEMPORAL_ADDRESS ?? `${vars.TEMPORAL_DEV_IP}:${vars.TEMPORAL_DEV_PORT}`,
      namespace: vars.TEMPORAL_NAMESPACE,
      taskQueue: vars.TEMPORAL_TASK_QUEUE ?? CANDIDACY_TASK_QUEUE,
      tls: useTls
        ? {
            certPath: vars.TEMPORAL_TLS_CERT_PATH,
            keyPath: vars.TEMPORAL_TLS_KEY_PATH,
            caPath: vars.TEMPORAL_TLS_CA_PATH,
            serverName: vars.TEMPORAL_TLS_SERVER_NAME,
          }
        : undefined,
      apiKey: vars.TEMPORAL_API_KEY,
      deadlines: { callMs: vars.TEMPORAL_CALL_DEADLINE_MS, updateMs: vars.TEMPORAL_UPDATE_DEADLINE_MS },
    };
    this.devServer = {
      ip: vars.TEMPORAL_DEV_IP,
      port: vars.TEMPORAL_DEV_PORT,
      uiPort: vars.TEMPORAL_UI_PORT,
      dbFile: path.join(this.dataDir, 'temporal.sqlite'),
    };
    this.binaries = { cliPath: vars.TEMPORAL_CLI_PATH, testServerPath: vars.TEMPORAL_TEST_SERVER_PATH };
    this.workflowBundlePath = path.resolve(root, vars.WORKFLOW_BUNDLE_PATH ?? 'dist/workflow-bundle.js');
    this.usePrebuiltWorkflowBundle = vars.NODE_ENV === 'production' || vars.WORKFLOW_BUNDLE_PATH !== undefined;
    this.database = databaseSettings(vars.DATABASE_URL, this.dataDir, root);
    this.documents = {
      maxBytes: vars.DOCUMENT_MAX_BYTES,
      // Unless told: a PostgreSQL deployment keeps everything in its database (one thing to back
      // up); the embedded default keeps files in the data folder, beside the SQLite file.
      store: vars.DOCUMENT_STORE ?? (this.database.client === 'pg' ? 'database' : 'files'),
      folder: path.join(this.dataDir, 'documents'),
      s3: vars.DOCUMENT_STORE === 's3' ? s3Settings(vars) : undefined,
    };
    this.mail = { smtpUrl: vars.SMTP_URL, from: vars.MAIL_FROM };
    this.auth = {
      mode: vars.AUTH_JWKS_URL ? 'jwks' : 'local',
      jwksUrl: vars.AUTH_JWKS_URL,
      issuer: vars.AUTH_ISSUER,
      audience: vars.AUTH_AUDIENCE,
      localKeyDir: vars.AUTH_LOCAL_KEY_DIR
        ? path.resolve(root, vars.AUTH_LOCAL_KEY_DIR)
        : path.join(this.dataDir, 'auth'),
      clientId: vars.AUTH_CLIENT_ID,
      scopes: vars.AUTH_SCOPES,
    };
    this.console = { dir: path.resolve(root, vars.CONSOLE_DIR) };
    this.pageTokens = { secret: vars.PAGE_TOKEN_SECRET, secretFile: path.join(this.dataDir, 'page-token.secret') };
  }

  /** Reads and validates process.env (or the given map). */
  static fromEnvironment(env: Record<string, unknown> = process.env): KudakConfig {
    return new KudakConfig(validateEnvironment(env));
  }
}

/** DATABASE_URL (already validated) to a Knex client and connection; relative SQLite paths are from the root. */
function databaseSettings(url: string | undefined, dataDir: string, root: string): DatabaseSettings {
  if (!url) return { client: 'better-sqlite3', connection: path.join(dataDir, 'kudak.sqlite') };
  if (/^postgres(?:ql)?:\/\//.test(url)) return { client: 'pg', connection: url };
  const file = url.slice('sqlite:'.length);
  return { client: 'better-sqlite3', connection: file === ':memory:' ? file : path.resolve(root, file) };
}

/** The S3 store's settings (validateEnvironment has checked that the bucket and keys are complete). */
function s3Settings(vars: EnvironmentVariables): S3Settings {
  return {
    endpoint: vars.S3_ENDPOINT,
    bucket: vars.S3_BUCKET!,
    region: vars.S3_REGION,
    credentials:
      vars.S3_ACCESS_KEY_ID && vars.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: vars.S3_ACCESS_KEY_ID, secretAccessKey: vars.S3_SECRET_ACCESS_KEY }
        : undefined,
    forcePathStyle: vars.S3_FORCE_PATH_STYLE,
    keyPrefix: vars.S3_KEY_PREFIX,
    timeoutMs: vars.S3_TIMEOUT_MS,
  };
}
