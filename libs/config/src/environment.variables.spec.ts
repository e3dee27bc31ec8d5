import * as path from 'node:path';
import { validateEnvironment } from './environment.variables';
import { KudakConfig } from './kudak.config';
import { projectRoot } from './project-root';

describe('validateEnvironment', () => {
  it('applies the embedded defaults when nothing is set', () => {
    const sut = validateEnvironment({});
    expect(sut).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_DEV_PORT: 7233,
      TEMPORAL_UI_PORT: 8233,
      TEMPORAL_TLS: false,
    });
    expect(sut.TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('converts strings from the environment to numbers and booleans', () => {
    const sut = validateEnvironment({ PORT: '8080', TEMPORAL_DEV_PORT: '17233', TEMPORAL_TLS: 'true' });
    expect(sut.PORT).toBe(8080);
    expect(sut.TEMPORAL_DEV_PORT).toBe(17233);
    expect(sut.TEMPORAL_TLS).toBe(true);
  });

  it('treats empty strings as unset', () => {
    expect(validateEnvironment({ TEMPORAL_ADDRESS: '', PORT: '' }).PORT).toBe(3000);
  });

  it('names every bad variable and the reason', () => {
    let message = '';
    try {
      validateEnvironment({ PORT: '70000', TEMPORAL_ADDRESS: 'no-port', NODE_ENV: 'staging' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('Invalid configuration');
    expect(message).toContain('PORT: PORT must not be greater than 65535');
    expect(message).toContain('TEMPORAL_ADDRESS: TEMPORAL_ADDRESS must look like host:port');
    expect(message).toContain('NODE_ENV: NODE_ENV must be one of the following values');
  });

  it('defaults the database to SQLite and the sender to Kudak', () => {
    const sut = validateEnvironment({});
    expect(sut.DATABASE_URL).toBeUndefined();
    expect(sut.SMTP_URL).toBeUndefined();
    expect(sut.MAIL_FROM).toBe('Kudak <no-reply@kudak.local>');
  });

  it('names a bad database URL, mail server or sender', () => {
    const bad = { DATABASE_URL: 'mysql://db/kudak', SMTP_URL: '127.0.0.1:25', MAIL_FROM: 'Kudak' };
    expect(() => validateEnvironment(bad)).toThrow(
      /DATABASE_URL: DATABASE_URL must look like postgres:\/\/user:password@host:5432\/database or sqlite:<file path>/,
    );
    expect(() => validateEnvironment(bad)).toThrow(/SMTP_URL: SMTP_URL must look like smtp:\/\//);
    expect(() => validateEnvironment(bad)).toThrow(/MAIL_FROM: MAIL_FROM must be an address/);
  });

  it('names a database or mail server URL that does not parse', () => {
    expect(() => validateEnvironment({ DATABASE_URL: 'postgres://kudak:p@ss@db:port/kudak' })).toThrow(
      'DATABASE_URL: DATABASE_URL is not a valid URL (percent-encode special characters in the password)',
    );
    expect(() => validateEnvironment({ SMTP_URL: 'smtp://user:pass@[mail:25' })).toThrow(
      'SMTP_URL: SMTP_URL is not a valid URL',
    );
  });

  it('defaults authentication to the local signing key, issuer kudak-local and audience kudak-api', () => {
    const sut = validateEnvironment({});
    expect(sut).toMatchObject({ AUTH_ISSUER: 'kudak-local', AUTH_AUDIENCE: 'kudak-api' });
    expect(sut.AUTH_JWKS_URL).toBeUndefined();
    expect(sut.AUTH_LOCAL_KEY_DIR).toBeUndefined();
  });

  it('requires AUTH_JWKS_URL in production, naming it among the other bad variables', () => {
    const bad = { NODE_ENV: 'production', PORT: '0' };
    expect(() => validateEnvironment(bad)).toThrow('PORT: PORT must not be less than 1');
    expect(() => validateEnvironment(bad)).toThrow('AUTH_JWKS_URL: required when NODE_ENV is production');
    const sut = validateEnvironment({ NODE_ENV: 'production', AUTH_JWKS_URL: 'https://id.example.org/jwks.json' });
    expect(sut.AUTH_JWKS_URL).toBe('https://id.example.org/jwks.json');
  });

  it.each(['id.example.org/jwks.json', 'ftp://id.example.org/jwks.json', 'not a url'])(
    'names an AUTH_JWKS_URL that is not an http(s) URL: %s',
    (url) => {
      expect(() => validateEnvironment({ AUTH_JWKS_URL: url })).toThrow(
        'AUTH_JWKS_URL: AUTH_JWKS_URL must be an http(s) URL',
      );
    },
  );

  it('bounds the API on Temporal (5 s a call, 10 s for a worker) and names a bound out of range', () => {
    expect(validateEnvironment({})).toMatchObject({
      TEMPORAL_CALL_DEADLINE_MS: 5000,
      TEMPORAL_UPDATE_DEADLINE_MS: 10_000,
    });
    expect(() => validateEnvironment({ TEMPORAL_CALL_DEADLINE_MS: '0' })).toThrow(
      'TEMPORAL_CALL_DEADLINE_MS: TEMPORAL_CALL_DEADLINE_MS must not be less than 100',
    );
    expect(() => validateEnvironment({ TEMPORAL_UPDATE_DEADLINE_MS: 'soon' })).toThrow(
      'TEMPORAL_UPDATE_DEADLINE_MS: TEMPORAL_UPDATE_DEADLINE_MS must be an integer number',
    );
  });

  it('limits each caller across routes (1200 a minute) besides each route (600)', () => {
    expect(validateEnvironment({})).toMatchObject({
      RATE_LIMIT_PER_MINUTE: 600,
      RATE_LIMIT_PER_CALLER_PER_MINUTE: 1200,
    });
    expect(() => validateEnvironment({ RATE_LIMIT_PER_CALLER_PER_MINUTE: '0' })).toThrow(
      'RATE_LIMIT_PER_CALLER_PER_MINUTE: RATE_LIMIT_PER_CALLER_PER_MINUTE must not be less than 1',
    );
  });

  it.each(['10.0.0.5', '10.0.0.0/8, 192.168.1.1', 'loopback,uniquelocal', '::1', 'fd00::/8'])(
    'accepts TRUSTED_PROXY %s',
    (value) => {
      expect(validateEnvironment({ TRUSTED_PROXY: value }).TRUSTED_PROXY).toBe(value);
    },
  );

  it.each(['everyone', '10.0.0.0/33', '300.1.1.1', '10.0.0.1/8/1', '10.0.0.1,'])(
    'names a bad TRUSTED_PROXY %s',
    (value) => {
      expect(() => validateEnvironment({ TRUSTED_PROXY: value })).toThrow(
        'TRUSTED_PROXY: TRUSTED_PROXY must be comma-separated IP addresses or CIDR ranges',
      );
    },
  );

  it('requires a PAGE_TOKEN_SECRET of 32 characters or more', () => {
    expect(() => validateEnvironment({ PAGE_TOKEN_SECRET: 'short' })).toThrow(
      'PAGE_TOKEN_SECRET: PAGE_TOKEN_SECRET must be at least 32 characters',
    );
    expect(validateEnvironment({ PAGE_TOKEN_SECRET: 'x'.repeat(32) }).PAGE_TOKEN_SECRET).toBe('x'.repeat(32));
  });

  it('requires the key with a client certificate', () => {
    expect(() => validateEnvironment({ TEMPORAL_TLS_CERT_PATH: '/c.pem' })).toThrow(
      'TEMPORAL_TLS_KEY_PATH: required with TEMPORAL_TLS_CERT_PATH',
    );
  });
});

describe('KudakConfig', () => {
  it('uses the embedded dev server address when TEMPORAL_ADDRESS is unset', () => {
    const sut = KudakConfig.fromEnvironment({ TEMPORAL_DEV_PORT: '17233' });
    expect(sut.temporal.externalAddress).toBeUndefined();
    expect(sut.temporal.address).toBe('127.0.0.1:17233');
    expect(sut.temporal.tls).toBeUndefined();
    expect(sut.devServer.dbFile).toMatch(/var[\\/]temporal\.sqlite$/);
  });

  it('connects to a cluster or Temporal Cloud with TLS and an API key', () => {
    const sut = KudakConfig.fromEnvironment({
      TEMPORAL_ADDRESS: 'kudak.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'kudak.a1b2c',
      TEMPORAL_API_KEY: 'secret',
    });
    expect(sut.temporal).toMatchObject({
      externalAddress: 'kudak.a1b2c.tmprl.cloud:7233',
      address: 'kudak.a1b2c.tmprl.cloud:7233',
      namespace: 'kudak.a1b2c',
      apiKey: 'secret',
      tls: {},
    });
  });

  it('keeps its database in the data folder unless DATABASE_URL says otherwise', () => {
    const sut = KudakConfig.fromEnvironment({ KUDAK_DATA_DIR: 'var/test-data' });
    expect(sut.database.client).toBe('better-sqlite3');
    expect(sut.database.connection).toMatch(/var[\\/]test-data[\\/]kudak\.sqlite$/);
    expect(path.isAbsolute(sut.database.connection)).toBe(true);
  });

  it.each([
    ['postgres://kudak:secret@db:5432/kudak', 'pg'],
    ['postgresql://kudak@db/kudak?sslmode=require', 'pg'],
  ])('connects to PostgreSQL for %s', (url, client) => {
    expect(KudakConfig.fromEnvironment({ DATABASE_URL: url }).database).toEqual({ client, connection: url });
  });

  it('opens the SQLite file that sqlite:<path> names, relative to the project root', () => {
    expect(KudakConfig.fromEnvironment({ DATABASE_URL: 'sqlite:/tmp/k.sqlite' }).database).toEqual({
      client: 'better-sqlite3',
      connection: '/tmp/k.sqlite',
    });
    const relative = KudakConfig.fromEnvironment({ DATABASE_URL: 'sqlite:var/other.sqlite' }).database;
    expect(relative.connection).toBe(path.join(projectRoot(), 'var', 'other.sqlite'));
    expect(KudakConfig.fromEnvironment({ DATABASE_URL: 'sqlite::memory:' }).database.connection).toBe(':memory:');
  });

  it('verifies tokens with the local key in the data folder unless AUTH_JWKS_URL is set', () => {
    const sut = KudakConfig.fromEnvironment({ KUDAK_DATA_DIR: 'var/test-data' });
    expect(sut.auth).toEqual({
      mode: 'local',
      jwksUrl: undefined,
      issuer: 'kudak-local',
      audience: 'kudak-api',
      localKeyDir: path.join(projectRoot(), 'var', 'test-data', 'auth'),
      clientId: undefined,
      scopes: 'openid profile offline_access',
    });
    expect(KudakConfig.fromEnvironment({ AUTH_LOCAL_KEY_DIR: 'keys' }).auth.localKeyDir).toBe(
      path.join(projectRoot(), 'keys'),
    );
  });

  it('trusts the identity provider with AUTH_JWKS_URL, issuer and audience pinned', () => {
    const sut = KudakConfig.fromEnvironment({
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'http://127.0.0.1:8080/realms/kudak/protocol/openid-connect/certs',
      AUTH_ISSUER: 'http://127.0.0.1:8080/realms/kudak',
      AUTH_AUDIENCE: 'kudak',
    });
    expect(sut.auth).toMatchObject({
      mode: 'jwks',
      jwksUrl: 'http://127.0.0.1:8080/realms/kudak/protocol/openid-connect/certs',
      issuer: 'http://127.0.0.1:8080/realms/kudak',
      audience: 'kudak',
    });
  });

  it("names the console's client id and scopes, and where the built console is", () => {
    const sut = KudakConfig.fromEnvironment({ AUTH_CLIENT_ID: 'kudak-console', AUTH_SCOPES: 'openid kudak' });
    expect(sut.auth).toMatchObject({ clientId: 'kudak-console', scopes: 'openid kudak' });
    expect(sut.console.dir).toBe(path.join(projectRoot(), 'dist', 'console'));
    expect(KudakConfig.fromEnvironment({ CONSOLE_DIR: '/srv/console' }).console.dir).toBe('/srv/console');
    expect(() => validateEnvironment({ AUTH_CLIENT_ID: 'kudak console' })).toThrow(
      'AUTH_CLIENT_ID: AUTH_CLIENT_ID must be 1 to 200 printable characters, no spaces',
    );
    expect(() => validateEnvironment({ AUTH_SCOPES: 'openid  profile' })).toThrow('AUTH_SCOPES: AUTH_SCOPES must be');
  });

  it('loads the prebuilt workflow bundle in production or when WORKFLOW_BUNDLE_PATH names one', () => {
    const development = KudakConfig.fromEnvironment({});
    expect(development.usePrebuiltWorkflowBundle).toBe(false);
    expect(development.workflowBundlePath).toMatch(/dist[\\/]workflow-bundle\.js$/);
    const named = KudakConfig.fromEnvironment({ WORKFLOW_BUNDLE_PATH: '/srv/kudak/bundle.js' });
    expect(named).toMatchObject({ usePrebuiltWorkflowBundle: true, workflowBundlePath: '/srv/kudak/bundle.js' });
    const production = KudakConfig.fromEnvironment({
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://id.example.org/jwks.json',
    });
    expect(production.usePrebuiltWorkflowBundle).toBe(true);
  });

  it('trusts no proxy by default; keeps the page-token secret in the data folder unless PAGE_TOKEN_SECRET is set', () => {
    const sut = KudakConfig.fromEnvironment({ KUDAK_DATA_DIR: 'var/test-data' });
    expect(sut.http.trustedProxies).toEqual([]);
    expect(sut.pageTokens).toEqual({
      secret: undefined,
      secretFile: path.join(projectRoot(), 'var', 'test-data', 'page-token.secret'),
    });
    expect(KudakConfig.fromEnvironment({ TRUSTED_PROXY: '10.0.0.5, loopback' }).http.trustedProxies).toEqual([
      '10.0.0.5',
      'loopback',
    ]);
  });

  it('sends e-mail only when SMTP_URL is set', () => {
    expect(KudakConfig.fromEnvironment({}).mail).toEqual({ smtpUrl: undefined, from: 'Kudak <no-reply@kudak.local>' });
    const sut = KudakConfig.fromEnvironment({ SMTP_URL: 'smtp://u:p@127.0.0.1:2525', MAIL_FROM: 'cfc@example.org' });
    expect(sut.mail).toEqual({ smtpUrl: 'smtp://u:p@127.0.0.1:2525', from: 'cfc@example.org' });
  });
});

describe('the document store', () => {
  const s3 = { DOCUMENT_STORE: 's3', S3_BUCKET: 'kudak-documents' };
  const problem = (env: Record<string, string>) => {
    try {
      KudakConfig.fromEnvironment(env);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  };

  it('keeps files in the data folder with SQLite and rows in PostgreSQL unless DOCUMENT_STORE says', () => {
    expect(KudakConfig.fromEnvironment({}).documents).toMatchObject({ store: 'files', s3: undefined });
    const pg = { DATABASE_URL: 'postgres://kudak:secret@db:5432/kudak' };
    expect(KudakConfig.fromEnvironment(pg).documents.store).toBe('database');
    expect(KudakConfig.fromEnvironment({ ...pg, DOCUMENT_STORE: 'files' }).documents.store).toBe('files');
    expect(KudakConfig.fromEnvironment({ DOCUMENT_STORE: 'database' }).documents.store).toBe('database');
  });

  it('with DOCUMENT_STORE=s3, reads the bucket, endpoint and keys, with bounded defaults', () => {
    expect(KudakConfig.fromEnvironment(s3).documents).toMatchObject({
      store: 's3',
      s3: {
        endpoint: undefined,
        bucket: 'kudak-documents',
        region: 'us-east-1',
        credentials: undefined,
        forcePathStyle: false,
        keyPrefix: 'documents/',
        timeoutMs: 5000,
      },
    });
    const selfHosted = KudakConfig.fromEnvironment({
      ...s3,
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_REGION: 'eu-central-1',
      S3_ACCESS_KEY_ID: 'kudak',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_FORCE_PATH_STYLE: 'true',
      S3_KEY_PREFIX: 'cfc/documents/',
      S3_TIMEOUT_MS: '2000',
    }).documents.s3;
    expect(selfHosted).toEqual({
      endpoint: 'http://127.0.0.1:9000',
      bucket: 'kudak-documents',
      region: 'eu-central-1',
      credentials: { accessKeyId: 'kudak', secretAccessKey: 'secret' },
      forcePathStyle: true,
      keyPrefix: 'cfc/documents/',
      timeoutMs: 2000,
    });
  });

  it.each([
    [
      { DOCUMENT_STORE: 'bucket' },
      'DOCUMENT_STORE: DOCUMENT_STORE must be one of the following values: files, database, s3',
    ],
    [{ DOCUMENT_STORE: 's3' }, 'S3_BUCKET: required when DOCUMENT_STORE is s3'],
    [{ S3_BUCKET: 'kudak-documents' }, 'DOCUMENT_STORE: must be s3 when S3_BUCKET is set'],
    [{ ...s3, S3_BUCKET: 'Kudak_Documents' }, 'S3_BUCKET: S3_BUCKET must be a bucket name'],
    [{ ...s3, S3_ENDPOINT: '127.0.0.1:9000' }, 'S3_ENDPOINT: S3_ENDPOINT must be an http(s) URL'],
    [{ ...s3, S3_ACCESS_KEY_ID: 'kudak' }, 'S3_SECRET_ACCESS_KEY: required with S3_ACCESS_KEY_ID'],
    [{ ...s3, S3_SECRET_ACCESS_KEY: 'secret' }, 'S3_ACCESS_KEY_ID: required with S3_SECRET_ACCESS_KEY'],
    [{ ...s3, S3_KEY_PREFIX: 'documents' }, 'S3_KEY_PREFIX: S3_KEY_PREFIX must be folder names each ending in /'],
    [{ ...s3, S3_TIMEOUT_MS: '0' }, 'S3_TIMEOUT_MS: S3_TIMEOUT_MS must not be less than 100'],
  ])('refuses %j at start, naming the variable', (env, message) => {
    expect(problem(env)).toContain(message);
  });
});
