import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { KudakConfig } from '@kudak/config';
import type { ListedCandidacy, ReadModelRepository } from '@kudak/database';
import { unkeyedPageToken } from '../../../test/support/forged-page-token';
import { inMemoryIdempotencyKeysPerTest } from '../../../test/support/idempotency-keys';
import type { Identity } from '../auth/identity';
import { CandidaciesService } from './candidacies.service';
import { CandidacyAccessService } from './candidacy-access.service';
import { PageTokens } from './page-tokens';

describe(CandidaciesService.name, () => {
  const state = { cityId: 'isfahan', country: 'IR', stage: 'COMMITMENT' as const };
  const dto = {
    cityId: 'isfahan',
    cityName: 'Isfahan',
    country: 'IR',
    districts: [{ id: 'd1', name: 'D1' }],
    contacts: [{ id: 'focal-point', name: 'Focal point', role: 'administrator' as const, locale: 'fa' as const }],
    policy: { committee: { members: ['m1', 'm2'], quorum: 2 } },
  };
  const admin: Identity = {
    sub: 'focal-point',
    role: 'administrator',
    organisation: 'Isfahan Municipality',
    country: 'IR',
    cities: ['isfahan'],
  };
  const config = KudakConfig.fromEnvironment({
    TEMPORAL_TASK_QUEUE: 'q',
    PAGE_TOKEN_SECRET: 'unit-test-secret-'.repeat(2),
  });
  const idempotencyKeys = inMemoryIdempotencyKeysPerTest();

  const serviceOn = (client: Client, readModel = {} as ReadModelRepository) =>
    new CandidaciesService(
      client,
      config,
      new CandidacyAccessService(client),
      new PageTokens(config),
      idempotencyKeys(),
      readModel,
    );
  const connection = { withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn() };
  const makeSut = (workflow: Record<string, jest.Mock>) => serviceOn({ workflow, connection } as unknown as Client);

  it('starts the workflow keyed by the city, on the configured queue, with the caller as the actor', async () => {
    const start = jest.fn().mockResolvedValue({ query: jest.fn().mockResolvedValue(state) });
    const sut = makeSut({ start });
    await expect(sut.start(dto, admin)).resolves.toEqual({ workflowId: 'candidacy-isfahan', ...state });
    const [type, options] = start.mock.calls[0];
    expect(type).toBe('candidacyWorkflow');
    expect(options).toMatchObject({
      workflowId: 'candidacy-isfahan',
      taskQueue: 'q',
      args: [
        {
          start: {
            ...dto,
            obligations: [],
            startedBy: { id: 'focal-point', role: 'administrator', organisation: 'Isfahan Municipality' },
          },
        },
      ],
    });
    expect(options.typedSearchAttributes.map((p: { key: { name: string } }) => p.key.name)).toEqual([
      'KudakCity',
      'KudakCountry',
      'KudakStage',
      'KudakOverdue',
    ]);
  });

  it('refuses a city outside the caller scope before starting anything', async () => {
    const start = jest.fn();
    const sut = makeSut({ start });
    await expect(sut.start({ ...dto, cityId: 'tehran' }, admin)).rejects.toBeInstanceOf(ForbiddenException);
    await expect(sut.start({ ...dto, country: 'TR' }, admin)).rejects.toBeInstanceOf(ForbiddenException);
    expect(start).not.toHaveBeenCalled();
  });

  it('maps an already-started workflow to 409, unless it is the same caller repeating the same key', async () => {
    const already = new WorkflowExecutionAlreadyStartedError('x', 'candidacy-isfahan', 'candidacyWorkflow');
    let memo: Record<string, unknown> = {};
    const start = jest.fn().mockImplementation(async (_type: string, options: { memo?: Record<string, unknown> }) => {
      if (Object.keys(memo).length === 0 && options.memo) {
        memo = options.memo;
        return { query: jest.fn().mockResolvedValue(state) };
      }
      throw already;
    });
    const getHandle = jest.fn().mockReturnValue({
      describe: jest.fn().mockImplementation(async () => ({ memo })),
      query: jest.fn().mockResolvedValue(state),
    });
    const sut = makeSut({ start, getHandle });
    await sut.start(dto, admin, 'key-1');
    await expect(sut.start(dto, admin, 'key-1')).resolves.toEqual({ workflowId: 'candidacy-isfahan', ...state });
    await expect(sut.start(dto, admin, 'key-2')).rejects.toBeInstanceOf(ConflictException);
    await expect(sut.start(dto, { ...admin, sub: 'someone-else' }, 'key-1')).rejects.toBeInstanceOf(ConflictException);
  });

  it('refuses the same key with another request (422 naming the key), starting nothing', async () => {
    const start = jest.fn().mockResolvedValue({ query: jest.fn().mockResolvedValue(state) });
    const sut = makeSut({ start });
    await sut.start(dto, admin, 'key-1');
    const other = { ...dto, cityName: 'Esfahan' };
    await expect(sut.start(other, admin, 'key-1')).rejects.toThrow(
      new UnprocessableEntityException(
        "Idempotency-Key 'key-1' was already used with a different request; use a new key for a new request",
      ),
    );
    expect(start).toHaveBeenCalledTimes(1);
    // The key is the caller's own: another caller may use the same one for its own request.
    await sut.start(other, { ...admin, sub: 'someone-else' }, 'key-1');
    expect(start).toHaveBeenCalledTimes(2);
  });

  it('refuses a policy whose quorum cannot be met, and a contact of an unknown district, starting nothing', async () => {
    const start = jest.fn();
    const sut = makeSut({ start });
    const bad = {
      ...dto,
      contacts: [{ ...dto.contacts[0], districtId: 'nowhere' }],
      policy: { committee: { members: ['m1'], quorum: 2 } },
    };
    await expect(sut.start(bad, admin)).rejects.toMatchObject({
      response: {
        message: [
          'policy.committee.quorum must be between 1 and the number of members',
          'contacts.0.districtId must be one of the districts',
        ],
      },
    });
    expect(start).not.toHaveBeenCalled();
  });
  it('reads a running candidacy by its query, and a closed one from its result (no worker replay)', async () => {
    const closedState = { ...state, stage: 'WITHDRAWN' as const, closedAt: '2026-11-28T00:00:00.000Z' };
    const running = {
      describe: jest.fn().mockResolvedValue({ status: { name: 'RUNNING' } }),
      query: jest.fn(),
      result: jest.fn(),
    };
    running.query.mockResolvedValue(state);
    const closed = {
      describe: jest.fn().mockResolvedValue({ status: { name: 'COMPLETED' } }),
      query: jest.fn(),
      result: jest.fn(),
    };
    closed.result.mockResolvedValue(closedState);
    const sut = makeSut({ getHandle: jest.fn().mockReturnValueOnce(running).mockReturnValueOnce(closed) });
    await expect(sut.get(admin, 'isfahan')).resolves.toEqual({ workflowId: 'candidacy-isfahan', ...state });
    await expect(sut.get(admin, 'isfahan')).resolves.toEqual({ workflowId: 'candidacy-isfahan', ...closedState });
    expect(closed.query).not.toHaveBeenCalled();
  });

  describe('list page tokens', () => {
    const listed = (city: string, startedAt: string): ListedCandidacy => ({
      workflowId: `candidacy-${city}`,
      cityId: city,
      cityName: city,
      country: 'IR',
      stage: 'COMMITMENT',
      cycle: 1,
      overdue: false,
      status: 'RUNNING',
      startedAt,
      updatedAt: startedAt,
    });
    const makeListSut = () => {
      // One more row than the page: there is a next page.
      const candidacies = jest
        .fn()
        .mockResolvedValue([
          listed('isfahan', '2026-11-02T00:00:00.000Z'),
          listed('kashan', '2026-11-01T00:00:00.000Z'),
        ]);
      const sut = serviceOn({ workflow: {} } as unknown as Client, { candidacies } as unknown as ReadModelRepository);
      return { sut, candidacies };
    };

    it('hands out a token that pages the same query on after the last item of the page', async () => {
      const { sut, candidacies } = makeListSut();
      const first = await sut.list(admin, { pageSize: 1 });
      expect(first.items.map((c) => c.cityId)).toEqual(['isfahan']);
      expect(first.nextPageToken).toMatch(/^[A-Za-z0-9_-]+$/);
      await sut.list(admin, { pageSize: 1, pageToken: first.nextPageToken });
      expect(candidacies.mock.calls[1][3]).toEqual({
        startedAt: '2026-11-02T00:00:00.000Z',
        workflowId: 'candidacy-isfahan',
      });
      candidacies.mockResolvedValueOnce([listed('kashan', '2026-11-01T00:00:00.000Z')]);
      expect((await sut.list(admin, { pageSize: 1 })).nextPageToken).toBeUndefined();
    });

    it('refuses, without reading, a token it did not issue or one from another query', async () => {
      const { sut, candidacies } = makeListSut();
      const { nextPageToken } = await sut.list(admin, { pageSize: 1 });
      candidacies.mockClear();
      const cursor = Buffer.from(JSON.stringify(['2026-11-02T00:00:00.000Z', 'candidacy-isfahan']));
      const forged = cursor.toString('base64url');
      const boundTo = `read-model:${JSON.stringify({ scope: { country: 'IR', cities: ['isfahan'] }, filter: {} })}`;
      const unkeyed = unkeyedPageToken(boundTo, cursor);
      const otherSecret = new PageTokens(
        KudakConfig.fromEnvironment({ PAGE_TOKEN_SECRET: 'another-secret-'.repeat(3) }),
      );
      for (const [query, token] of [
        [{}, forged],
        [{}, 'abc'],
        [{}, unkeyed],
        [{}, otherSecret.encode(cursor, boundTo)],
        [{ stage: 'ACCEDED' as const }, nextPageToken!],
      ] as const) {
        await expect(sut.list(admin, { pageSize: 1, ...query, pageToken: token })).rejects.toBeInstanceOf(
          BadRequestException,
        );
      }
      expect(candidacies).not.toHaveBeenCalled();
    });
  });
});
