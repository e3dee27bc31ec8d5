// `npm run token -- --role reviewer --country IR --cities isfahan,tehran` (a district submitter also
// `--districts district-1,district-2`): a bearer token for the embedded default, signed by the local key (created if needed) with the configured issuer and
// audience. Prints only the JWT, so `TOKEN=$(npm run --silent token -- ...)` works.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { CITY_ID_PATTERN, COUNTRY_CODE_PATTERN, ROLES, type Role } from '@kudak/contracts';
import { KudakConfig } from '@kudak/config';
import { SLUG } from '../common/validation.decorators';
import { isRole, KUDAK_CLAIM, type KudakClaim } from './identity';
import { parseKudakClaim } from './identity-claims';
import { LOCAL_SIGNING_ALG, loadLocalPrivateKey, type LocalSigningKey } from './local-signing-key';

export const DEFAULT_TTL = '8h';
const MAX_TTL_SECONDS = 30 * 24 * 3600;
const TTL_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

export interface MintTokenOptions {
  role: Role;
  country: string;
  /** City ids, or ['*'] for every city of the country. */
  cities: string[];
  /** District ids: required for a district_submitter (the districts it acts on), refused for others. */
  districts?: string[];
  /** Default `local-<role>`. */
  sub?: string;
  /** Default `Local development`. */
  org?: string;
  name?: string;
  /** Seconds, or `30m`, `8h`, `7d`. Default 8h. */
  ttl?: string | number;
}

export interface SignTokenOptions {
  key: LocalSigningKey;
  issuer: string;
  audience: string;
  /** Lifetime from `issuedAt`; negative makes an already expired token (tests). */
  ttlSeconds: number;
  /** Unix seconds; default now. */
  issuedAt?: number;
}

/** Not a usable command line; the CLI exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Signs Kudak's claims as an RS256 JWT with the given key (no checks: tests build bad tokens with it). */
export async function signKudakToken(sub: string, claim: KudakClaim, options: SignTokenOptions): Promise<string> {
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
  return new SignJWT({ [KUDAK_CLAIM]: claim })
    .setProtectedHeader({ alg: LOCAL_SIGNING_ALG, typ: 'JWT', kid: options.key.kid })
    .setSubject(sub)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + options.ttlSeconds)
    .setJti(randomUUID())
    .sign(options.key.privateKey);
}

/** A token the API accepts in local mode. Refuses when AUTH_JWKS_URL is set (the API would not). */
export async function mintLocalToken(
  options: MintTokenOptions,
  config: KudakConfig = KudakConfig.fromEnvironment(),
): Promise<string> {
  if (config.auth.mode !== 'local') {
    throw new Error(
      'AUTH_JWKS_URL is set: tokens come from the identity provider, and the API would refuse locally signed ones',
    );
  }
  const claim = parseKudakClaim({
    role: options.role,
    org: options.org ?? 'Local development',
    country: options.country,
    cities: options.cities,
    ...(options.districts !== undefined ? { districts: options.districts } : {}),
    ...(options.name !== undefined ? { name: options.name } : {}),
  });
  return signKudakToken(options.sub ?? `local-${options.role}`, claim, {
    key: await loadLocalPrivateKey(config.auth.localKeyDir),
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    ttlSeconds: parseTtl(options.ttl ?? DEFAULT_TTL),
  });
}

/** `90`, `90s`, `30m`, `8h`, `7d` to seconds (1 s to 30 days). */
export function parseTtl(ttl: string | number): number {
  const match = /^(\d+)([smhd]?)$/.exec(String(ttl).trim());
  const seconds = match ? Number(match[1]) * TTL_UNITS[match[2] || 's'] : NaN;
  if (!(seconds >= 1 && seconds <= MAX_TTL_SECONDS)) {
    throw new UsageError(`--ttl must be like 90s, 30m, 8h or 7d, at most 30d (got "${ttl}")`);
  }
  return seconds;
}

export const MINT_TOKEN_USAGE = `Usage: npm run token -- --role <role> --country <CC> --cities <id,id|*> [options]

  --role      ${ROLES.join(' | ')}
  --country   ISO 3166-1 alpha-2 code, e.g. IR
  --cities    comma-separated city ids, or '*' for every city of the country
  --districts comma-separated district ids the district_submitter acts on
              (required for --role district_submitter, refused for the other roles)
  --sub       subject (user id), default local-<role>
  --org       organisation, default "Local development"
  --name      display name
  --ttl       lifetime: 90s, 30m, 8h (default), 7d; at most 30d

Prints a bearer token signed by the local key (AUTH_LOCAL_KEY_DIR). Not available with AUTH_JWKS_URL.`;

/** The command line to mint options, or `'help'`; throws {@link UsageError}. */
export function parseMintTokenArgs(argv: string[]): MintTokenOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        role: { type: 'string' },
        country: { type: 'string' },
        cities: { type: 'string' },
        districts: { type: 'string' },
        sub: { type: 'string' },
        org: { type: 'string' },
        name: { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const missing = ['role', 'country', 'cities'].filter((name) => text(name) === undefined);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((name) => `--${name}`).join(', ')}`);

  const role = text('role')!;
  if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')} (got "${role}")`);
  const country = text('country')!;
  if (!COUNTRY_CODE_PATTERN.test(country)) {
    throw new UsageError(`--country must be an ISO 3166-1 alpha-2 code in capitals, e.g. IR (got "${country}")`);
  }
  const cities = text('cities')!
    .split(',')
    .map((city) => city.trim())
    .filter((city) => city !== '');
  const allCities = cities.length === 1 && cities[0] === '*';
  if (!allCities && (cities.length === 0 || !cities.every((city) => CITY_ID_PATTERN.test(city)))) {
    throw new UsageError(`--cities must be comma-separated city ids (lowercase, e.g. isfahan,tehran) or '*'`);
  }
  const districts = parseDistrictList(role, text('districts'));
  const ttl = text('ttl');
  if (ttl !== undefined) parseTtl(ttl);
  return {
    role,
    country,
    cities,
    ...(districts !== undefined ? { districts } : {}),
    ...(text('sub') !== undefined ? { sub: text('sub') } : {}),
    ...(text('org') !== undefined ? { org: text('org') } : {}),
    ...(text('name') !== undefined ? { name: text('name') } : {}),
    ...(ttl !== undefined ? { ttl } : {}),
  };
}

/** `--districts`: required for a district_submitter, refused for the other roles (as the API does). */
function parseDistrictList(role: Role, value: string | undefined): string[] | undefined {
  if (role !== 'district_submitter') {
    if (value !== undefined) throw new UsageError('--districts applies only to --role district_submitter');
    return undefined;
  }
  if (value === undefined) throw new UsageError('--districts is required for --role district_submitter');
  const districts = value
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  if (districts.length === 0 || !districts.every((d) => SLUG.test(d))) {
    throw new UsageError('--districts must be comma-separated district ids (lowercase, e.g. district-1,district-2)');
  }
  return districts;
}

interface Output {
  write(text: string): unknown;
}

/** The CLI: 0 with the token on stdout, 2 for bad arguments, 1 when it cannot mint. */
export async function runMintTokenCli(
  argv: string[],
  env: Record<string, unknown> = process.env,
  stdout: Output = process.stdout,
  stderr: Output = process.stderr,
): Promise<number> {
  let options: MintTokenOptions | 'help';
  try {
    options = parseMintTokenArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    stderr.write(`mint-token: ${err.message}\n\n${MINT_TOKEN_USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    stdout.write(`${MINT_TOKEN_USAGE}\n`);
    return 0;
  }
  try {
    stdout.write(`${await mintLocalToken(options, KudakConfig.fromEnvironment(env))}\n`);
    return 0;
  } catch (err) {
    stderr.write(`mint-token: ${(err as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  void runMintTokenCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
