import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { candidacyWorkflowId } from '@kudak/contracts';
import { resolveTemporalExecutable } from '@kudak/temporal';
import { startKudakStack, type KudakStack } from './support/kudak-stack';

const run = promisify(execFile);

describe('API on the real worker and dev server', () => {
  let stack: KudakStack;
  const cityId = `isfahan-${Date.now().toString(36)}`;
  const body = {
    cityId,
    cityName: 'Isfahan',
    country: 'IR',
    districts: Array.from({ length: 15 }, (_, i) => ({ id: `district-${i + 1}`, name: `District ${i + 1}` })),
    contacts: [{ id: 'focal-point', name: 'CFC focal point', role: 'administrator', locale: 'fa' }],
    obligations: [
      {
        id: 'unicef-funding',
        party: 'UNICEF',
        partyRole: 'unicef_officer',
        owedTo: 'Isfahan Municipality',
        description: 'Dedicated CFC funding',
        dueAt: '2027-06-01T00:00:00Z',
        gatesStage: 'IMPLEMENTATION',
      },
    ],
    policy: { committee: { members: ['member-1', 'member-2', 'member-3'], quorum: 2 } },
  };

  beforeAll(async () => {
    stack = await startKudakStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('GET /health reports Temporal up', async () => {
    const res = await request(stack.api.getHttpServer()).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { temporal: { status: 'up' } } });
  });

  it('POST /candidacies starts the workflow, and GET returns its state through a query', async () => {
    const created = await request(stack.api.getHttpServer()).post('/candidacies').send(body).expect(201);
    expect(created.body).toMatchObject({
      workflowId: candidacyWorkflowId(cityId),
      cityId,
      country: 'IR',
      stage: 'COMMITMENT',
      cycle: 1,
      overdue: false,
    });
    expect(created.body.districts).toHaveLength(15);
    expect(created.body.policy).toMatchObject({ programmeMonths: 18, committee: { quorum: 2 } });
    expect(created.body.obligations).toEqual([expect.objectContaining({ id: 'unicef-funding', status: 'OPEN' })]);

    const read = await request(stack.api.getHttpServer()).get(`/candidacies/${cityId}`).expect(200);
    expect(read.body).toEqual(created.body);

    // The worker really executed it: its history has a completed workflow task.
    const history = await stack.client.workflow.getHandle(candidacyWorkflowId(cityId)).fetchHistory();
    expect(history.events?.some((e) => e.workflowTaskCompletedEventAttributes)).toBe(true);
  });

  it('a second start for the same city is a 409 with a clear message', async () => {
    const res = await request(stack.api.getHttpServer()).post('/candidacies').send(body).expect(409);
    expect(res.body.message).toContain(`A candidacy for city '${cityId}' already exists`);
  });

  it('is listed by the real `temporal workflow list` through the City search attribute', async () => {
    const { executable } = resolveTemporalExecutable('cli');
    if (executable.type !== 'existing-path') throw new Error('the Temporal CLI is required for this test');
    // Visibility is eventually consistent: poll briefly.
    let stdout = '';
    for (let i = 0; i < 20 && !stdout.includes(candidacyWorkflowId(cityId)); i++) {
      ({ stdout } = await run(executable.path, [
        'workflow',
        'list',
        '--address',
        process.env.TEMPORAL_ADDRESS!,
        '--query',
        `KudakCity = "${cityId}" AND KudakStage = "COMMITMENT" AND KudakCountry = "IR"`,
      ]));
      if (!stdout.includes(candidacyWorkflowId(cityId))) await new Promise((r) => setTimeout(r, 250));
    }
    expect(stdout).toContain(candidacyWorkflowId(cityId));
    expect(stdout).toContain('candidacyWorkflow');
  });

  it('GET of an unknown city is a 404', async () => {
    const res = await request(stack.api.getHttpServer()).get('/candidacies/no-such-city').expect(404);
    expect(res.body.message).toBe("No candidacy for city 'no-such-city'");
  });

  it('bad input is a 400 naming each field and reason, and starts nothing', async () => {
    const bad = {
      cityId: 'Bad City!',
      cityName: '',
      country: 'Iran',
      districts: [{ id: 'x' }],
      contacts: [{ id: 'a', name: 'A', role: 'mayor', locale: 'de' }],
      policy: { committee: { members: [], quorum: 0 } },
      extra: 1,
    };
    const res = await request(stack.api.getHttpServer()).post('/candidacies').send(bad).expect(400);
    const messages: string[] = res.body.message;
    expect(messages).toEqual(
      expect.arrayContaining([
        'property extra should not exist',
        'cityId must be 2-63 lowercase letters, digits and dashes',
        'cityName should not be empty',
        'country must be an ISO 3166-1 alpha-2 code such as IR',
        'districts.0.name should not be empty',
        expect.stringMatching(/^contacts\.0\.role must be one of the following values/),
        expect.stringMatching(/^contacts\.0\.locale must be one of the following values/),
        'policy.committee.members must contain at least 1 elements',
        'policy.committee.quorum must not be less than 1',
      ]),
    );
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
    await request(stack.api.getHttpServer()).get('/candidacies/bad-city').expect(404);
  });

  it('a policy whose quorum exceeds the committee is a 400 naming the rule', async () => {
    const res = await request(stack.api.getHttpServer())
      .post('/candidacies')
      .send({ ...body, cityId: 'quorum-city', policy: { committee: { members: ['m1'], quorum: 2 } } })
      .expect(400);
    expect(res.body.message).toEqual(['policy.committee.quorum must be between 1 and the number of members']);
    await request(stack.api.getHttpServer()).get('/candidacies/quorum-city').expect(404);
  });

  it('a malformed city id in the path is a 400, not a 500', async () => {
    const res = await request(stack.api.getHttpServer()).get('/candidacies/NOT_VALID').expect(400);
    expect(res.body.message).toEqual(['cityId must be 2-63 lowercase letters, digits and dashes']);
  });

  it('serves the OpenAPI document', async () => {
    const res = await request(stack.api.getHttpServer()).get('/docs/json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/candidacies', '/candidacies/{cityId}', '/health']),
    );
  });
});
