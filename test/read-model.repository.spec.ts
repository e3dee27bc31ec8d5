import type { Knex } from 'knex';
import { KudakConfig } from '@kudak/config';
import type { ProjectedTask, ReadModelSnapshot } from '@kudak/contracts';
import { createKnex, migrateToLatest, ReadModelRepository, type TaskScope } from '@kudak/database';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from './support/test-databases';

const RUN_1 = '2026-11-01T08:00:00.000Z';
const RUN_2 = '2026-11-05T08:00:00.000Z';

function task(taskId: string, extra: Partial<ProjectedTask> = {}): ProjectedTask {
  return {
    taskId,
    kind: 'REVIEW_ACTION_PLAN',
    stage: 'MINISTRY_REVIEW',
    assigneeRole: 'ministry_officer',
    assigneeRoles: ['ministry_officer'],
    openedAt: '2026-11-01T09:00:00.000Z',
    overdue: false,
    ...extra,
  };
}

function candidacy(city: string, over: Partial<ReadModelSnapshot> & { stage?: string } = {}): ReadModelSnapshot {
  const { stage = 'MINISTRY_REVIEW', ...rest } = over;
  return {
    workflowId: `candidacy-${city}`,
    runId: 'run-1',
    runStartedAt: RUN_1,
    sequence: 1,
    candidacyWorkflowId: `candidacy-${city}`,
    cityId: city,
    country: 'IR',
    updatedAt: '2026-11-01T09:00:00.000Z',
    tasks: [],
    candidacy: {
      cityName: city.toUpperCase(),
      stage: stage as 'MINISTRY_REVIEW',
      cycle: 1,
      overdue: false,
      status: 'RUNNING',
      startedAt: '2026-11-01T08:00:00.000Z',
    },
    ...rest,
  };
}

describe.each(testDatabaseKinds())('read model repository on %s', (kind) => {
  let db: TestDatabase;
  let knex: Knex;
  let sut: ReadModelRepository;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    knex = createKnex(KudakConfig.fromEnvironment({ DATABASE_URL: db.url }).database);
    await migrateToLatest(knex);
    sut = new ReadModelRepository(knex);
  });
  afterAll(async () => {
    await knex?.destroy();
    await db?.drop();
  });
  beforeEach(async () => {
    await sut.clear();
  });

  const ministry: TaskScope = { role: 'ministry_officer', personId: 'mo-1', country: 'IR', cities: ['*'] };
  const page = { limit: 100, offset: 0 };
  const ids = async (scope: TaskScope, filter = {}) =>
    (await sut.tasks(scope, filter, page)).map((t) => `${t.workflowId}/${t.taskId}`);

  it('applies snapshots in version order: a repeat or an older one changes nothing, a later run wins', async () => {
    expect(await sut.apply(candidacy('isfahan', { sequence: 2, tasks: [task('t-2')] }))).toBe(true);
    expect(await sut.apply(candidacy('isfahan', { sequence: 2, tasks: [task('t-2')] }))).toBe(false);
    expect(await sut.apply(candidacy('isfahan', { sequence: 1, tasks: [task('t-1')] }))).toBe(false);
    expect(await ids(ministry)).toEqual(['candidacy-isfahan/t-2']);

    expect(await sut.apply(candidacy('isfahan', { sequence: 3, tasks: [] }))).toBe(true);
    expect(await ids(ministry)).toEqual([]);
    const renewed = candidacy('isfahan', { runId: 'run-2', runStartedAt: RUN_2, sequence: 1, tasks: [task('t-9')] });
    expect(await sut.apply(renewed)).toBe(true);
    // A late write of the first run (its sequence 4) is older than anything of the second.
    expect(await sut.apply(candidacy('isfahan', { sequence: 4, tasks: [task('t-4')] }))).toBe(false);
    expect(await ids(ministry)).toEqual(['candidacy-isfahan/t-9']);
  });

  it('of many writes at once, the latest version is what stays', async () => {
    const writes = Array.from({ length: 12 }, (_, i) =>
      candidacy('tabriz', { sequence: i + 1, tasks: [task(`t-${i + 1}`)] }),
    );
    const applied = await Promise.all(writes.reverse().map((w) => sut.apply(w)));
    expect(applied[0]).toBe(true); // the latest was first: every other was older
    expect(await ids(ministry)).toEqual(['candidacy-tabriz/t-12']);
  });

  it("lists a person's tasks by role, name, city and district, soonest deadline first, those without one last", async () => {
    await sut.apply(
      candidacy('isfahan', {
        tasks: [
          task('no-deadline'),
          task('late', { dueAt: '2026-11-10T00:00:00.000Z' }),
          task('soon', { dueAt: '2026-11-03T00:00:00.000Z', overdue: true }),
          task('vote', {
            kind: 'COMMITTEE_VOTE',
            assigneeRole: 'committee_member',
            assigneeRoles: ['committee_member'],
            assignees: ['m1', 'm2'],
          }),
          task('either', { assigneeRoles: ['ministry_officer', 'administrator'], dueAt: '2026-11-05T00:00:00.000Z' }),
        ],
      }),
    );
    await sut.apply(candidacy('kashan', { tasks: [task('other-city', { dueAt: '2026-11-04T00:00:00.000Z' })] }));
    expect(await ids(ministry)).toEqual([
      'candidacy-isfahan/soon',
      'candidacy-kashan/other-city',
      'candidacy-isfahan/either',
      'candidacy-isfahan/late',
      'candidacy-isfahan/no-deadline',
    ]);
    expect(await ids({ ...ministry, cities: ['kashan'] })).toEqual(['candidacy-kashan/other-city']);
    expect(await ids({ ...ministry, country: 'AF' })).toEqual([]);
    expect(await ids(ministry, { city: 'isfahan', overdue: true })).toEqual(['candidacy-isfahan/soon']);
    expect(await ids(ministry, { dueBefore: '2026-11-05T00:00:00Z' })).toEqual([
      'candidacy-isfahan/soon',
      'candidacy-kashan/other-city',
    ]);
    expect(await ids({ ...ministry, role: 'administrator', personId: 'a' })).toEqual(['candidacy-isfahan/either']);
    const member = { ...ministry, role: 'committee_member' as const };
    expect(await ids({ ...member, personId: 'm2' })).toEqual(['candidacy-isfahan/vote']);
    expect(await ids({ ...member, personId: 'm3' })).toEqual([]);
    const second = await sut.tasks(ministry, {}, { limit: 2, offset: 1 });
    expect(second.map((t) => t.taskId)).toEqual(['other-city', 'either']);
    expect(second[1]).toMatchObject({
      workflowId: 'candidacy-isfahan',
      cityId: 'isfahan',
      cityName: 'ISFAHAN',
      assigneeRole: 'ministry_officer',
      assigneeRoles: ['ministry_officer', 'administrator'],
      dueAt: '2026-11-05T00:00:00.000Z',
      overdue: false,
      updatedAt: '2026-11-01T09:00:00.000Z',
    });
  });

  it("shows a district plan's tasks only in the submitter's districts, and only while its candidacy plans districts", async () => {
    const submitter: TaskScope = {
      role: 'district_submitter',
      personId: 's1',
      country: 'IR',
      cities: ['isfahan'],
      districts: ['d1'],
    };
    const plan = (district: string): ReadModelSnapshot => ({
      ...candidacy('isfahan'),
      workflowId: `candidacy-isfahan/district-${district}`,
      candidacy: undefined,
      tasks: [
        task(`submit-${district}`, {
          kind: 'SUBMIT_DISTRICT_PLAN',
          stage: 'DISTRICT_PLANNING',
          assigneeRole: 'district_submitter',
          assigneeRoles: ['district_submitter'],
          districtId: district,
        }),
      ],
    });
    await sut.apply(plan('d1'));
    await sut.apply(plan('d2'));
    expect(await ids(submitter)).toEqual([]); // no candidacy line yet
    await sut.apply(candidacy('isfahan', { stage: 'DISTRICT_PLANNING' }));
    expect(await ids(submitter)).toEqual(['candidacy-isfahan/district-d1/submit-d1']);
    expect(await ids({ ...submitter, districts: ['d1', 'd2'] }, { districtId: 'd2' })).toEqual([
      'candidacy-isfahan/district-d2/submit-d2',
    ]);
    // Withdrawn while planning: the plans' workflows are cancelled without a last snapshot.
    const withdrawn = candidacy('isfahan', { sequence: 2, stage: 'WITHDRAWN' });
    await sut.apply({ ...withdrawn, candidacy: { ...withdrawn.candidacy!, status: 'COMPLETED' } });
    expect(await ids(submitter)).toEqual([]);
  });

  it('pages candidacies newest first after a cursor, filtered by stage, city and overdue flag', async () => {
    const started = (city: string, day: number, stage: string, overdue = false) => {
      const c = candidacy(city, { stage });
      return sut.apply({
        ...c,
        candidacy: { ...c.candidacy!, overdue, startedAt: `2026-10-${String(day).padStart(2, '0')}T00:00:00.000Z` },
      });
    };
    await started('ahvaz', 1, 'ACTION_PLAN');
    await started('bam', 2, 'ACCEDED', true);
    await started('yazd', 2, 'ACTION_PLAN');
    await started('qom', 3, 'COMMITMENT');
    const scope = { country: 'IR', cities: ['*'] };
    const first = await sut.candidacies(scope, {}, 2);
    expect(first.map((c) => c.cityId)).toEqual(['qom', 'yazd']);
    const next = await sut.candidacies(scope, {}, 2, first[1]);
    expect(next.map((c) => c.cityId)).toEqual(['bam', 'ahvaz']);
    expect((await sut.candidacies(scope, { stage: 'ACTION_PLAN' }, 10)).map((c) => c.cityId)).toEqual([
      'yazd',
      'ahvaz',
    ]);
    expect(await sut.candidacies(scope, { overdue: true }, 10)).toEqual([
      expect.objectContaining({ cityId: 'bam', cityName: 'BAM', stage: 'ACCEDED', overdue: true, status: 'RUNNING' }),
    ]);
    expect((await sut.candidacies({ country: 'IR', cities: ['bam', 'qom'] }, {}, 10)).map((c) => c.cityId)).toEqual([
      'qom',
      'bam',
    ]);
    expect(await sut.candidacies({ country: 'AF', cities: ['*'] }, {}, 10)).toEqual([]);
    expect(
      (
        await sut.candidacies(
          scope,
          { startedAfter: '2026-10-02T00:00:00Z', startedBefore: '2026-10-03T00:00:00Z' },
          10,
        )
      ).map((c) => c.cityId),
    ).toEqual(['yazd', 'bam']);
  });
});
