import { decodeJwt } from 'jose';
import request from 'supertest';
import { ROLES } from '@kudak/contracts';
import { startKudakStack, type KudakStack } from './support/kudak-stack';

// An identity provider nobody calls: these tests only need the API to be configured for one.
const PROVIDER = { AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json', AUTH_ISSUER: 'http://127.0.0.1:9' };

describe('the console signing in on the embedded default (local demo people)', () => {
  let stack: KudakStack;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    stack = await startKudakStack({ worker: false });
    http = request(stack.api.getHttpServer());
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('GET /auth/config says local, without a token', async () => {
    const res = await http.get('/auth/config').expect(200);
    expect(res.body).toEqual({ mode: 'local' });
  });

  it("GET /auth/local/people lists the rehearsal's parties, every role among them", async () => {
    const res = await http.get('/auth/local/people').expect(200);
    const people = res.body as { id: string; role: string; districts?: string[] }[];
    expect(new Set(people.map((p) => p.role))).toEqual(new Set(ROLES));
    expect(people.map((p) => p.id)).toEqual(
      expect.arrayContaining(['focal-point', 'mayor-district-1', 'mayor-district-2', 'plan-reviewer', 'moi-officer']),
    );
    expect(people.find((p) => p.id === 'mayor-district-2')).toMatchObject({
      role: 'district_submitter',
      cities: ['isfahan'],
      districts: ['district-2'],
      name: { fa: expect.any(String), en: expect.any(String) },
    });
  });

  it("POST /auth/local/sessions gives each person a token the API accepts, with the person's claims", async () => {
    const people = (await http.get('/auth/local/people')).body as { id: string; role: string; cities: string[] }[];
    for (const person of people) {
      const res = await http.post('/auth/local/sessions').send({ personId: person.id }).expect(200);
      expect(res.body.person).toEqual(person);
      const claims = decodeJwt(res.body.accessToken);
      expect(claims).toMatchObject({ sub: person.id, kudak: { role: person.role, cities: person.cities } });
      expect(res.body.expiresAt).toBe(new Date(claims.exp! * 1000).toISOString());
      expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now() + 7 * 3600_000);
      // /me/tasks asks every running candidacy in the caller's scope for its state: on the run's
      // shared dev server a country-wide scope includes other files' candidacies, whose workers may
      // be gone. So /me/tasks for the Isfahan people (no other file starts "isfahan" there), and the
      // inbox, which is this stack's database alone, for everyone.
      const bearer = `Bearer ${res.body.accessToken}`;
      const inbox = await http.get('/me/notifications').set('Authorization', bearer);
      expect({ person: person.id, status: inbox.status }).toEqual({ person: person.id, status: 200 });
      if (person.cities.includes('*')) continue;
      const tasks = await http.get('/me/tasks').set('Authorization', bearer);
      expect({ person: person.id, status: tasks.status, body: tasks.body }).toEqual({
        person: person.id,
        status: 200,
        body: [],
      });
    }
    expect((await http.get('/me/tasks')).status).toBe(401);
  });

  it('names the person in the token in the language asked for, Persian when none is', async () => {
    const named = async (body: object) => {
      const res = await http.post('/auth/local/sessions').send(body).expect(200);
      const { name, org } = (decodeJwt(res.body.accessToken) as { kudak: { name?: string; org?: string } }).kudak;
      return { name, org };
    };
    expect(await named({ personId: 'focal-point' })).toEqual({
      name: 'مریم احمدی',
      org: 'دبیرخانه شهر دوستدار کودک، شهرداری اصفهان',
    });
    expect(await named({ personId: 'focal-point', locale: 'fa' })).toEqual(await named({ personId: 'focal-point' }));
    expect(await named({ personId: 'focal-point', locale: null })).toEqual(await named({ personId: 'focal-point' }));
    expect(await named({ personId: 'focal-point', locale: 'en' })).toEqual({
      name: 'Maryam Ahmadi',
      org: 'Isfahan Municipality',
    });
  });

  it.each([
    [{}, 'personId must be lowercase letters, digits and dashes'],
    [{ personId: 42 }, 'personId must be a string'],
    [{ personId: 'Focal Point' }, 'personId must be lowercase letters, digits and dashes'],
    [{ personId: 'nobody' }, 'personId "nobody" is not one of the demo people (GET /auth/local/people)'],
    [{ personId: 'focal-point', role: 'administrator' }, 'property role should not exist'],
    [{ personId: 'focal-point', locale: 'de' }, 'locale must be one of fa, en'],
  ])('POST /auth/local/sessions %j is a 400 naming the field', async (body, message) => {
    const res = await http.post('/auth/local/sessions').send(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
  });
});

describe('local sign-in refused when an identity provider signs people in', () => {
  it.each([
    [
      'in production',
      { NODE_ENV: 'production', ...PROVIDER },
      'local sign-in is not available in production: sign in at the identity provider',
    ],
    [
      'with AUTH_JWKS_URL set',
      { NODE_ENV: 'development', ...PROVIDER },
      'local sign-in is off because AUTH_JWKS_URL names an identity provider: sign in there',
    ],
  ])('%s: 403 on POST /auth/local/sessions, 404 on the people, OIDC in /auth/config', async (_when, env, refusal) => {
    const stack = await startKudakStack({
      worker: false,
      env: { ...env, AUTH_CLIENT_ID: 'kudak-console', AUTH_AUDIENCE: 'kudak-api' },
    });
    try {
      const http = request(stack.api.getHttpServer());
      const session = await http.post('/auth/local/sessions').send({ personId: 'focal-point' });
      expect({ status: session.status, message: session.body.message }).toEqual({ status: 403, message: refusal });
      expect((await http.get('/auth/local/people')).status).toBe(404);
      expect((await http.get('/auth/config').expect(200)).body).toEqual({
        mode: 'oidc',
        issuer: PROVIDER.AUTH_ISSUER,
        clientId: 'kudak-console',
        scopes: 'openid profile offline_access',
        audience: 'kudak-api',
      });
    } finally {
      await stack.close();
    }
  });
});
