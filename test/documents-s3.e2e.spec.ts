import { createHash } from 'node:crypto';
import * as net from 'node:net';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Knex } from 'knex';
import request from 'supertest';
import { KudakConfig } from '@kudak/config';
import type { Role } from '@kudak/contracts';
import { KNEX } from '@kudak/database';
import { DocumentStoreUnavailableError } from '../apps/api/documents/document-content-store';
import { S3ContentStore } from '../apps/api/documents/s3-content-store';
import { minimalPdf } from './support/document-fixtures';
import { startKudakStack, type KudakStack } from './support/kudak-stack';
import { startMotoServer, type MotoServer } from './support/moto-server';
import { mintTestToken } from './support/tokens';

// Documents in an S3-compatible bucket (DOCUMENT_STORE=s3), on the real API, worker and dev server
// against a real S3-compatible server (moto on loopback): stored once under their SHA-256, read
// back and verified, and when the server is down or does not answer, a 503 within S3_TIMEOUT_MS
// with nothing recorded.
const suffix = Date.now().toString(36);
const BUCKET = 'kudak-documents';
const TIMEOUT_MS = 2000;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A TCP server on loopback that takes connections and never answers (an S3 that hangs). */
async function listenSilently(port: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined); // the client gives up and resets the connection
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        sockets.forEach((socket) => socket.destroy());
      }),
  };
}

describe('documents, stored in an S3-compatible bucket', () => {
  const cityId = `docs-s3-${suffix}`;
  const planPdf = minimalPdf('Plan for district 1, kept in S3');
  let moto: MotoServer | undefined;
  let silent: Awaited<ReturnType<typeof listenSilently>> | undefined;
  let stack: KudakStack;
  let http: ReturnType<typeof request>;
  let s3: S3Client;
  let env: Record<string, string>;

  const bearer = async (role: Role) =>
    `Bearer ${await mintTestToken({ role, cities: [cityId], sub: `test-${role}`, organisation: `${role} office` })}`;
  const upload = async (bytes: Buffer, name: string) =>
    http
      .post(`/candidacies/${cityId}/documents`)
      .set('Authorization', await bearer('administrator'))
      .attach('file', bytes, name);
  const download = async (hash: string) =>
    http
      .get(`/candidacies/${cityId}/documents/${hash}`)
      .set('Authorization', await bearer('auditor'))
      .responseType('blob');
  const verify = async () =>
    (
      await http
        .get(`/candidacies/${cityId}/audit/verification`)
        .set('Authorization', await bearer('auditor'))
        .expect(200)
    ).body as { ok: boolean; documents: Array<{ sha256: string; problem: string }> };
  const knex = () => stack.api.get<Knex>(KNEX);
  const recorded = async (hash: string) => knex()('documents').where({ city_id: cityId, sha256: hash });
  const versionsOf = async (key: string) =>
    ((await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: key }))).Versions ?? []).filter(
      (v) => v.Key === key,
    );
  const objectBytes = async (key: string) =>
    Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToByteArray());

  beforeAll(async () => {
    moto = await startMotoServer();
    env = {
      DOCUMENT_STORE: 's3',
      S3_ENDPOINT: moto.endpoint,
      S3_BUCKET: BUCKET,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'kudak-test',
      S3_SECRET_ACCESS_KEY: 'kudak-test-secret',
      S3_FORCE_PATH_STYLE: 'true',
      S3_TIMEOUT_MS: String(TIMEOUT_MS),
    };
    s3 = new S3Client({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    // Versioned: a second put of the same key would show as a second version.
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    stack = await startKudakStack({ env });
    http = request(stack.api.getHttpServer());
    await http
      .post('/candidacies')
      .set('Authorization', await bearer('administrator'))
      .send({ cityId, cityName: 'Shiraz', country: 'IR', districts: [{ id: 'district-1', name: 'District 1' }] })
      .expect(201);
  });
  afterAll(async () => {
    s3?.destroy();
    await stack?.close();
    await moto?.kill();
    await silent?.close();
  });

  it('a plan uploaded and downloaded: one object under its SHA-256, the bytes intact', async () => {
    const hash = sha256(planPdf);
    const first = await upload(planPdf, 'district-1-plan.pdf');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ sha256: hash, contentType: 'application/pdf', size: planPdf.length });
    expect((await upload(planPdf, 'again.pdf')).status).toBe(201);

    // Read straight from the bucket: the object is there, once, with these bytes.
    const key = `documents/${hash}`;
    expect(sha256(await objectBytes(key))).toBe(hash);
    expect(await versionsOf(key)).toHaveLength(1);

    const res = await download(hash);
    expect(res.status).toBe(200);
    expect(res.headers['x-kudak-sha256']).toBe(hash);
    expect(sha256(res.body as Buffer)).toBe(hash);
    expect(await verify()).toMatchObject({ ok: true, documents: [] });
  });

  it('the store puts by key once: a repeated write adds no version, a damaged copy is replaced', async () => {
    const store = new S3ContentStore(KudakConfig.fromEnvironment({ ...env }).documents.s3!);
    const bytes = minimalPdf('Written twice');
    const hash = sha256(bytes);
    const key = store.keyOf(hash);
    await store.write(hash, bytes);
    await store.write(hash, bytes); // as a retry after a lost answer would
    expect(await versionsOf(key)).toHaveLength(1);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: minimalPdf('Forged') }));
    expect(sha256((await store.read(hash))!)).not.toBe(hash);
    await store.write(hash, bytes);
    expect(sha256(await objectBytes(key))).toBe(hash);
    expect(await store.read('0'.repeat(64))).toBeUndefined();
    store.onModuleDestroy();
  });

  it('an object gone from the bucket is reported as MISSING, and uploading it again mends it', async () => {
    const hash = sha256(planPdf);
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `documents/${hash}` }));
    expect((await verify()).documents).toEqual([{ sha256: hash, problem: 'MISSING' }]);
    const res = await download(hash);
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body.toString()).message).toMatch(/is damaged in storage \(MISSING\)/);
    expect((await upload(planPdf, 'plan.pdf')).status).toBe(201);
    expect(await verify()).toMatchObject({ ok: true, documents: [] });
  });

  it('S3 down, then not answering: an upload is a 503 within S3_TIMEOUT_MS and records nothing', async () => {
    const expectUnavailable = async (bytes: Buffer, withinMs: number) => {
      const started = Date.now();
      const res = await upload(bytes, 'late-plan.pdf');
      const tookMs = Date.now() - started;
      expect({ status: res.status, message: res.body.message }).toEqual({
        status: 503,
        message: 'The document store is not reachable or too slow now; try again shortly',
      });
      expect(res.headers['retry-after']).toBe('5');
      expect(tookMs).toBeLessThan(withinMs);
      expect(await recorded(sha256(bytes))).toEqual([]);
      return tookMs;
    };
    await moto!.kill();
    const downMs = await expectUnavailable(minimalPdf('Uploaded while S3 is down'), 3000);
    expect((await download(sha256(planPdf))).status).toBe(503);

    // Something takes the connections on the same port and never answers.
    silent = await listenSilently(moto!.port);
    const silentMs = await expectUnavailable(minimalPdf('Uploaded while S3 hangs'), TIMEOUT_MS + 2000);
    expect(silentMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
    const verification = await http
      .get(`/candidacies/${cityId}/audit/verification`)
      .set('Authorization', await bearer('auditor'));
    expect(verification.status).toBe(503);
    console.log(
      `[s3] 503 after ${downMs} ms with S3 down, ${silentMs} ms with S3 silent (S3_TIMEOUT_MS=${TIMEOUT_MS})`,
    );
  });

  it('a store whose server never answers fails within its timeout, as unavailable', async () => {
    const server = await listenSilently(0);
    try {
      const store = new S3ContentStore({
        ...KudakConfig.fromEnvironment({ ...env }).documents.s3!,
        endpoint: `http://127.0.0.1:${server.port}`,
        timeoutMs: 500,
      });
      const started = Date.now();
      await expect(store.read('0'.repeat(64))).rejects.toThrow(DocumentStoreUnavailableError);
      await expect(store.write(sha256(planPdf), planPdf)).rejects.toThrow(/no answer within S3_TIMEOUT_MS \(500 ms\)/);
      expect(Date.now() - started).toBeLessThan(2500);
      store.onModuleDestroy();
    } finally {
      await server.close();
    }
  });
});
