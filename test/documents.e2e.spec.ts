import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Knex } from 'knex';
import request from 'supertest';
import { candidacyWorkflowId, districtPlanWorkflowId, type DocumentReference, type Role } from '@kudak/contracts';
import { KNEX } from '@kudak/database';
import { UNICEF_FUNDING } from './support/candidacy-fixtures';
import { minimalPdf, ONE_PIXEL_PNG, PLAIN_TEXT, WINDOWS_EXECUTABLE } from './support/document-fixtures';
import { startKudakStack, type KudakStack } from './support/kudak-stack';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from './support/test-databases';
import { mintTestToken } from './support/tokens';

// Documents as evidence, on the real API, worker and dev server: uploaded and checked by content,
// stored once by SHA-256 (files in the data folder with SQLite, rows with PostgreSQL), referenced
// by decisions, recorded in the workflow's history, read back, put in the dossier and verified.
const suffix = Date.now().toString(36);
const MAX_BYTES = 64 * 1024; // DOCUMENT_MAX_BYTES of these stacks: an oversized file stays small
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe.each(testDatabaseKinds())('documents, stored with %s', (kind) => {
  const cityId = `docs-${kind.toLowerCase()}-${suffix}`;
  const otherCity = `docs-other-${kind.toLowerCase()}-${suffix}`;
  const planPdf = minimalPdf(`Plan for district 1 (${kind})`);
  const receiptPdf = minimalPdf(`Receipt of the CFC funding (${kind})`);
  let database: TestDatabase | undefined;
  let stack: KudakStack;
  let http: ReturnType<typeof request>;
  const previousMaxBytes = process.env.DOCUMENT_MAX_BYTES;

  const bearer = async (role: Role, cities = [cityId], sub = `test-${role}`) =>
    `Bearer ${await mintTestToken({ role, cities, sub, organisation: `${role} office` })}`;
  const upload = async (role: Role, bytes: Buffer, name: string, city = cityId) =>
    http
      .post(`/candidacies/${city}/documents`)
      .set('Authorization', await bearer(role, [city]))
      .attach('file', bytes, name);
  const download = async (role: Role, hash: string) =>
    http
      .get(`/candidacies/${cityId}/documents/${hash}`)
      .set('Authorization', await bearer(role))
      .responseType('blob'); // the body as a Buffer, whatever its type
  const state = async () =>
    (
      await http
        .get(`/candidacies/${cityId}`)
        .set('Authorization', await bearer('auditor'))
        .expect(200)
    ).body as {
      stage: string;
      openTasks: Array<{ kind: string }>;
      decisions: unknown[];
      districts: Array<{ id: string; status: string }>;
      obligations: Array<{ id: string; status: string }>;
    };
  const until = async (what: string, ok: (s: Awaited<ReturnType<typeof state>>) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const s = await state();
      if (ok(s)) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const knex = () => stack.api.get<Knex>(KNEX);
  /** Replaces the stored bytes of a document behind the API's back, in whichever store holds them. */
  const tamper = async (hash: string, bytes: Buffer | undefined) => {
    if (kind === 'PostgreSQL') {
      const rows = knex()('document_contents').where({ sha256: hash });
      expect(await (bytes ? rows.update({ content: bytes }) : rows.delete())).toBe(1);
      return;
    }
    const file = path.join(stack.dataDir, 'documents', hash.slice(0, 2), hash);
    expect(fs.existsSync(file)).toBe(true);
    if (bytes) fs.writeFileSync(file, bytes);
    else fs.rmSync(file);
  };
  const storedCopies = async (): Promise<string[]> => {
    if (kind === 'PostgreSQL') return (await knex()('document_contents').select('sha256')).map((r) => r.sha256);
    const folder = path.join(stack.dataDir, 'documents');
    return fs.existsSync(folder) ? fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }) : [];
  };
  const startBody = (id: string) => ({
    cityId: id,
    cityName: 'Isfahan',
    country: 'IR',
    districts: [
      { id: 'district-1', name: 'District 1' },
      { id: 'district-2', name: 'District 2' },
    ],
    contacts: [{ id: 'focal-point', name: 'CFC focal point', role: 'administrator', locale: 'fa' }],
    obligations: [UNICEF_FUNDING],
    policy: { committee: { members: ['member-1', 'member-2', 'member-3'], quorum: 2 } },
  });

  beforeAll(async () => {
    database = kind === 'PostgreSQL' ? await createTestDatabase('PostgreSQL') : undefined;
    process.env.DOCUMENT_MAX_BYTES = String(MAX_BYTES);
    stack = await startKudakStack({ databaseUrl: database?.url });
    http = request(stack.api.getHttpServer());
    for (const id of [cityId, otherCity]) {
      await http
        .post('/candidacies')
        .set('Authorization', await bearer('administrator', [id]))
        .send(startBody(id))
        .expect(201);
    }
    await until('the memorandum task', (s) => s.openTasks.some((t) => t.kind === 'SIGN_MEMORANDUM'));
    await http
      .post(`/candidacies/${cityId}/memorandum`)
      .set('Authorization', await bearer('administrator'))
      .send({})
      .expect(201);
    await until('district planning', (s) => s.stage === 'DISTRICT_PLANNING');
  });
  afterAll(async () => {
    await stack?.close();
    await database?.drop();
    if (previousMaxBytes === undefined) delete process.env.DOCUMENT_MAX_BYTES;
    else process.env.DOCUMENT_MAX_BYTES = previousMaxBytes;
  });

  it('uploads a PDF and a PNG: each answers its SHA-256 and the type found in its content', async () => {
    const pdf = await upload('district_submitter', planPdf, 'district-1-plan.pdf');
    expect(pdf.status).toBe(201);
    expect(pdf.body).toMatchObject({
      sha256: sha256(planPdf),
      name: 'district-1-plan.pdf',
      contentType: 'application/pdf',
      size: planPdf.length,
      cityId,
      uploadedBy: { id: 'test-district_submitter', role: 'district_submitter' },
      uploadedAt: expect.any(String),
    });
    // A Persian name survives the multipart form; a misleading extension gains the real one.
    const png = await upload('administrator', ONE_PIXEL_PNG, 'نقشه منطقه.jpg');
    expect(png.status).toBe(201);
    expect(png.body).toMatchObject({
      sha256: sha256(ONE_PIXEL_PNG),
      name: 'نقشه منطقه.jpg.png',
      contentType: 'image/png',
      size: ONE_PIXEL_PNG.length,
    });
    expect((await storedCopies()).filter((f) => f.endsWith(sha256(planPdf)))).toHaveLength(1);
  });

  it('the same bytes uploaded again are stored once and answer the first upload', async () => {
    const again = await upload('administrator', planPdf, 'copy-of-the-plan.pdf');
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ sha256: sha256(planPdf), name: 'district-1-plan.pdf' });
    expect((await storedCopies()).filter((f) => f.endsWith(sha256(planPdf)))).toHaveLength(1);
    expect(await knex()('documents').where({ city_id: cityId, sha256: sha256(planPdf) })).toHaveLength(1);
  });

  it('judges by content, not name: an executable or a text file named .pdf is a 415 naming what it is', async () => {
    const exe = await upload('administrator', WINDOWS_EXECUTABLE, 'plan.pdf');
    expect(exe.status).toBe(415);
    expect(exe.body.message).toMatch(/^file: its content is application\/x-msdownload \(\.exe\), whatever its name/);
    expect(exe.body.message).toContain('accepted: PDF (pdf)');
    const text = await upload('administrator', PLAIN_TEXT, 'minutes.pdf');
    expect(text.status).toBe(415);
    expect(text.body.message).toMatch(/^file: its content is of no recognised type/);
    expect(await storedCopies()).not.toEqual(
      expect.arrayContaining([expect.stringContaining(sha256(WINDOWS_EXECUTABLE))]),
    );
    expect(await knex()('documents').whereIn('sha256', [sha256(WINDOWS_EXECUTABLE), sha256(PLAIN_TEXT)])).toEqual([]);
  });

  it('refuses a file past DOCUMENT_MAX_BYTES (413), no file (400), and callers without the right', async () => {
    const big = await upload('administrator', minimalPdf('Too big', MAX_BYTES), 'big.pdf');
    expect(big.status).toBe(413);
    expect(big.body.message).toBe(`file: larger than the limit of ${MAX_BYTES} bytes (DOCUMENT_MAX_BYTES)`);
    const none = await http
      .post(`/candidacies/${cityId}/documents`)
      .set('Authorization', await bearer('administrator'))
      .field('note', 'no file');
    expect(none.status).toBe(400);
    expect(none.body.message).toMatch(/^file is required/);
    expect((await upload('auditor', planPdf, 'plan.pdf')).status).toBe(403);
    const outOfScope = await http
      .post(`/candidacies/${cityId}/documents`)
      .set('Authorization', await bearer('administrator', [otherCity]))
      .attach('file', planPdf, 'plan.pdf');
    expect(outOfScope.status).toBe(403);
    expect((await upload('administrator', planPdf, 'plan.pdf', `nowhere-${suffix}`)).status).toBe(404);
  });

  it('a decision naming a document not uploaded for the city is a 422 naming it, and changes nothing', async () => {
    // Uploaded, but for the other city.
    const elsewhere = await upload('administrator', receiptPdf, 'receipt.pdf', otherCity);
    expect(elsewhere.status).toBe(201);
    const submit = async (documents: object[]) =>
      http
        .post(`/candidacies/${cityId}/districts/district-1/plan`)
        .set('Authorization', await bearer('administrator'))
        .send({ summary: 'Play streets', documents });
    const unknown = await submit([
      { sha256: sha256(planPdf) },
      { sha256: 'f'.repeat(64) },
      { sha256: elsewhere.body.sha256 },
    ]);
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toEqual([
      `documents[1].sha256: no document ${'f'.repeat(64)} was uploaded for city '${cityId}'`,
      `documents[2].sha256: no document ${sha256(receiptPdf)} was uploaded for city '${cityId}'`,
    ]);
    const mismatch = await submit([{ sha256: sha256(planPdf), contentType: 'image/png', size: 1 }]);
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.message).toEqual([
      "documents[0].contentType: the upload's is application/pdf, not image/png",
      `documents[0].size: the upload's is ${planPdf.length}, not 1`,
    ]);
    const malformed = await submit([{ sha256: 'not-a-hash' }]);
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toContain('documents.0.sha256 must be a SHA-256 in lowercase hex (64 characters)');
    const tooMany = await submit(Array.from({ length: 11 }, (_, i) => ({ sha256: sha256(Buffer.from([i])) })));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toContain('documents must contain no more than 10 elements');

    const s = await state();
    expect(s.decisions).toHaveLength(1); // the memorandum only
    expect(s.districts.find((d) => d.id === 'district-1')?.status).toBe('NOT_SUBMITTED');
  });

  it("a plan with documents: the Update's history holds their hashes and metadata, the timeline lists them", async () => {
    const submitted = await http
      .post(`/candidacies/${cityId}/districts/district-1/plan`)
      .set('Authorization', await bearer('administrator'))
      .send({
        summary: 'Play streets and safe routes to school',
        documents: [{ sha256: sha256(planPdf), name: 'Plan of district 1.pdf' }, { sha256: sha256(ONE_PIXEL_PNG) }],
      });
    expect(submitted.status).toBe(201);
    const recorded: DocumentReference[] = [
      { sha256: sha256(planPdf), name: 'Plan of district 1.pdf', contentType: 'application/pdf', size: planPdf.length },
      {
        sha256: sha256(ONE_PIXEL_PNG),
        name: 'نقشه منطقه.jpg.png',
        contentType: 'image/png',
        size: ONE_PIXEL_PNG.length,
      },
    ];
    const history = await stack.client.workflow
      .getHandle(districtPlanWorkflowId(candidacyWorkflowId(cityId), 'district-1'))
      .fetchHistory();
    const accepted = history.events!.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes)!;
    const [payload] = accepted.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!.payloads!;
    expect(JSON.parse(Buffer.from(payload.data!).toString('utf8'))).toMatchObject({
      summary: 'Play streets and safe routes to school',
      documents: recorded,
    });

    const fulfilled = await http
      .post(`/candidacies/${cityId}/obligations/unicef-funding/fulfilment`)
      .set('Authorization', await bearer('unicef_officer'))
      .send({ evidence: 'Bank transfer 2026/114', documents: [{ sha256: sha256(planPdf), name: 'transfer.pdf' }] });
    expect(fulfilled.status).toBe(201);
    await until(
      'the plan and the obligation',
      (s) =>
        s.obligations.every((o) => o.status === 'FULFILLED') &&
        s.districts.some((d) => d.id === 'district-1' && d.status === 'SUBMITTED'),
    );

    const entries: Array<{ summary: string; details: Record<string, unknown> }> = [];
    for (let total = Infinity; entries.length < total;) {
      const page = await http
        .get(`/candidacies/${cityId}/history?offset=${entries.length}&limit=100`)
        .set('Authorization', await bearer('auditor'))
        .expect(200);
      total = page.body.total;
      entries.push(...page.body.entries);
    }
    const decisions = entries.filter((e) => e.details?.decisionKind);
    expect(decisions.find((e) => e.details.decisionKind === 'DISTRICT_PLAN_SUBMITTED')).toMatchObject({
      summary: expect.stringMatching(/, with Plan of district 1\.pdf, نقشه منطقه\.jpg\.png$/),
      details: { documents: recorded },
    });
    expect(decisions.find((e) => e.details.decisionKind === 'OBLIGATION_FULFILLED')?.details.documents).toEqual([
      { ...recorded[0], name: 'transfer.pdf' },
    ]);
    expect(decisions.find((e) => e.details.decisionKind === 'MOU_SIGNED')?.details).not.toHaveProperty('documents');
  });

  it('whoever may read the candidacy downloads a document with its type, name and hash', async () => {
    for (const role of ['auditor', 'reviewer', 'committee_member', 'district_submitter'] as const) {
      const res = await download(role, sha256(ONE_PIXEL_PNG));
      expect({ role, status: res.status }).toEqual({ role, status: 200 });
      expect(Buffer.compare(res.body as Buffer, ONE_PIXEL_PNG)).toBe(0);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['x-kudak-sha256']).toBe(sha256(ONE_PIXEL_PNG));
      const utf8Name = /filename\*=UTF-8''(\S+)$/.exec(res.headers['content-disposition'])?.[1];
      expect(decodeURIComponent(utf8Name ?? '')).toBe('نقشه منطقه.jpg.png');
    }
    const pdf = await download('auditor', sha256(planPdf));
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe('attachment; filename="district-1-plan.pdf"');
    expect((await download('auditor', 'f'.repeat(64))).status).toBe(404);
    expect((await download('auditor', 'nope')).status).toBe(400);
    // Uploaded for the other city only: not this candidacy's.
    expect((await download('auditor', sha256(receiptPdf))).status).toBe(404);
    const outOfScope = await http
      .get(`/candidacies/${cityId}/documents/${sha256(planPdf)}`)
      .set('Authorization', await bearer('auditor', [otherCity]));
    expect(outOfScope.status).toBe(403);
  });

  it('the dossier holds each document as documents/<sha256>-<name>, its hash in the manifest', async () => {
    const dossier = await http
      .get(`/candidacies/${cityId}/dossier`)
      .set('Authorization', await bearer('auditor'))
      .responseType('blob')
      .expect(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-dossier-'));
    try {
      fs.writeFileSync(path.join(dir, 'dossier.zip'), dossier.body as Buffer);
      execFileSync('python3', ['-m', 'zipfile', '-e', path.join(dir, 'dossier.zip'), path.join(dir, 'out')]);
      const out = path.join(dir, 'out');
      const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
      const files = [
        [`documents/${sha256(planPdf)}-Plan of district 1.pdf`, planPdf],
        [`documents/${sha256(ONE_PIXEL_PNG)}-نقشه منطقه.jpg.png`, ONE_PIXEL_PNG],
        [`documents/${sha256(planPdf)}-transfer.pdf`, planPdf],
      ] as const;
      for (const [name, bytes] of files) {
        expect(Buffer.compare(fs.readFileSync(path.join(out, name)), bytes)).toBe(0);
        expect(manifest.files).toContainEqual({ name, bytes: bytes.length, sha256: sha256(bytes) });
      }
      expect(manifest.documents).toEqual(
        files.map(([file, bytes]) => expect.objectContaining({ file, sha256: sha256(bytes), size: bytes.length })),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verification reports a stored document whose bytes changed or vanished; uploading it again mends it', async () => {
    const verify = async () =>
      (
        await http
          .get(`/candidacies/${cityId}/audit/verification`)
          .set('Authorization', await bearer('auditor'))
          .expect(200)
      ).body;
    expect(await verify()).toMatchObject({ ok: true, problems: [], documents: [] });

    await tamper(sha256(planPdf), minimalPdf('A forged plan'));
    expect(await verify()).toMatchObject({
      ok: false,
      problems: [],
      documents: [{ sha256: sha256(planPdf), problem: 'CONTENT_CHANGED' }],
    });
    const served = await download('auditor', sha256(planPdf));
    expect(served.status).toBe(500);
    expect(JSON.parse(served.body.toString()).message).toMatch(/is damaged in storage \(CONTENT_CHANGED\)/);
    await tamper(sha256(ONE_PIXEL_PNG), undefined);
    expect((await verify()).documents).toEqual([
      { sha256: sha256(planPdf), problem: 'CONTENT_CHANGED' },
      { sha256: sha256(ONE_PIXEL_PNG), problem: 'MISSING' },
    ]);

    expect((await upload('administrator', planPdf, 'plan.pdf')).status).toBe(201);
    expect((await upload('administrator', ONE_PIXEL_PNG, 'map.png')).status).toBe(201);
    expect(await verify()).toMatchObject({ ok: true, documents: [] });
    expect(Buffer.compare((await download('auditor', sha256(planPdf))).body as Buffer, planPdf)).toBe(0);
  });

  it('the OpenAPI document describes the multipart upload and the download as they behave', async () => {
    const { body } = await http.get('/docs/json').expect(200);
    const uploadRoute = body.paths['/candidacies/{cityId}/documents'].post;
    expect(uploadRoute.requestBody.content['multipart/form-data'].schema).toMatchObject({
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    });
    expect(Object.keys(uploadRoute.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404', '413', '415']),
    );
    const downloadRoute = body.paths['/candidacies/{cityId}/documents/{sha256}'].get;
    expect(Object.keys(downloadRoute.responses['200'].content)).toEqual(
      expect.arrayContaining(['application/pdf', 'image/png', 'image/jpeg']),
    );
    expect(downloadRoute.responses['200'].headers).toHaveProperty('X-Kudak-SHA256');
    // Errors are JSON, whatever the document's type would have been.
    expect(Object.keys(downloadRoute.responses['404'].content)).toEqual(['application/json']);
  });

  it('the histories that carry documents replay against the workflow code', async () => {
    const replay = await http
      .get(`/candidacies/${cityId}/audit/replay`)
      .set('Authorization', await bearer('auditor'))
      .expect(200);
    expect(replay.body.ok).toBe(true);
    expect(replay.body.replayed.map((r: { workflowId: string }) => r.workflowId)).toContain(
      districtPlanWorkflowId(candidacyWorkflowId(cityId), 'district-1'),
    );
  });
});
