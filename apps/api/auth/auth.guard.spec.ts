import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { expiredToken, mintTestToken } from '../../../test/support/tokens';
import { CurrentIdentity, Public, Roles } from './auth.decorators';
import { AuthModule } from './auth.module';
import type { Identity } from './identity';

@Controller('probe')
class ProbeController {
  @Public()
  @Get('open')
  open() {
    return { open: true };
  }

  @Get('me')
  me(@CurrentIdentity() identity: Identity) {
    return identity;
  }

  @Roles('administrator')
  @Get('admin')
  admin() {
    return { admin: true };
  }
}

@Roles('reviewer', 'auditor')
@Controller('reviews')
class ReviewsController {
  @Get()
  list() {
    return { reviews: [] };
  }

  @Roles('committee_member')
  @Get('votes')
  votes() {
    return { votes: [] };
  }
}

describe('AuthGuard (global, through AuthModule)', () => {
  let app: INestApplication;
  let keyDir: string;
  const previousKeyDir = process.env.AUTH_LOCAL_KEY_DIR;
  const bearer = async (identity: Parameters<typeof mintTestToken>[0]) => `Bearer ${await mintTestToken(identity)}`;

  beforeAll(async () => {
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-guard-'));
    process.env.AUTH_LOCAL_KEY_DIR = keyDir; // the API's config and the token builders share it
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule],
      controllers: [ProbeController, ReviewsController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    if (previousKeyDir === undefined) delete process.env.AUTH_LOCAL_KEY_DIR;
    else process.env.AUTH_LOCAL_KEY_DIR = previousKeyDir;
    fs.rmSync(keyDir, { recursive: true, force: true });
  });

  it('lets a @Public() route through without a token', async () => {
    const sut = await request(app.getHttpServer()).get('/probe/open');
    expect({ status: sut.status, body: sut.body }).toEqual({ status: 200, body: { open: true } });
  });

  it('answers 401 with a Bearer challenge when there is no token', async () => {
    const sut = await request(app.getHttpServer()).get('/probe/me');
    expect(sut.status).toBe(401);
    expect(sut.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'missing bearer token' });
    expect(sut.headers['www-authenticate']).toBe('Bearer realm="kudak"');
  });

  it('answers 401 with the reason for a bad token', async () => {
    const sut = await request(app.getHttpServer())
      .get('/probe/me')
      .set('authorization', `Bearer ${await expiredToken()}`);
    expect(sut.status).toBe(401);
    expect(sut.body.message).toBe('token expired');
    expect(sut.headers['www-authenticate']).toBe('Bearer realm="kudak", error="invalid_token"');
  });

  it('attaches the verified identity for @CurrentIdentity()', async () => {
    const sut = await request(app.getHttpServer())
      .get('/probe/me')
      .set(
        'authorization',
        await bearer({ role: 'district_submitter', sub: 'u-7', cities: ['isfahan'], districts: ['district-7'] }),
      );
    expect(sut.status).toBe(200);
    expect(sut.body).toEqual({
      sub: 'u-7',
      role: 'district_submitter',
      organisation: 'Test Organisation',
      country: 'IR',
      cities: ['isfahan'],
      districts: ['district-7'],
    });
  });

  it('answers 403 naming the role when @Roles does not include it', async () => {
    const sut = await request(app.getHttpServer())
      .get('/probe/admin')
      .set('authorization', await bearer({ role: 'reviewer' }));
    expect(sut.status).toBe(403);
    expect(sut.body.message).toBe('a reviewer may not do this; allowed: administrator');
    const auditor = await request(app.getHttpServer())
      .get('/probe/admin')
      .set('authorization', await bearer({ role: 'auditor' }));
    expect(auditor.body.message).toBe('an auditor may not do this; allowed: administrator');
  });

  it('lets an allowed role through', async () => {
    const sut = await request(app.getHttpServer())
      .get('/probe/admin')
      .set('authorization', await bearer({ role: 'administrator' }));
    expect({ status: sut.status, body: sut.body }).toEqual({ status: 200, body: { admin: true } });
  });

  it("applies a controller's @Roles to its handlers, a handler's own @Roles winning", async () => {
    const as = async (role: Identity['role'], url: string) =>
      (
        await request(app.getHttpServer())
          .get(url)
          .set('authorization', await bearer({ role }))
      ).status;
    expect(await as('reviewer', '/reviews')).toBe(200);
    expect(await as('auditor', '/reviews')).toBe(200);
    expect(await as('unicef_officer', '/reviews')).toBe(403);
    expect(await as('committee_member', '/reviews/votes')).toBe(200);
    expect(await as('reviewer', '/reviews/votes')).toBe(403);
  });
});
