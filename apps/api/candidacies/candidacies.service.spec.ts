import { ConflictException, NotFoundException } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { KudakConfig } from '@kudak/config';
import { CandidaciesService } from './candidacies.service';

describe(CandidaciesService.name, () => {
  const state = {
    cityId: 'isfahan',
    cityName: 'Isfahan',
    country: 'IR',
    stage: 'COMMITMENT' as const,
    districts: [{ id: 'd1', name: 'D1' }],
    startedBy: 'admin',
    startedAt: '2026-01-01T00:00:00.000Z',
  };
  const dto = {
    cityId: 'isfahan',
    cityName: 'Isfahan',
    country: 'IR',
    districts: [{ id: 'd1', name: 'D1' }],
    contacts: [{ id: 'focal-point', name: 'Focal point', role: 'administrator' as const, locale: 'fa' as const }],
    policy: { committee: { members: ['m1', 'm2'], quorum: 2 } },
  };
  const admin = { id: 'admin', role: 'administrator' as const, organisation: 'Isfahan Municipality' };
  const config = KudakConfig.fromEnvironment({ TEMPORAL_TASK_QUEUE: 'q' });

  const makeSut = (workflow: Partial<Client['workflow']>) =>
    new CandidaciesService({ workflow } as unknown as Client, config);

  it('starts the workflow keyed by the city, on the configured queue, with its search attributes', async () => {
    const start = jest.fn().mockResolvedValue({ query: jest.fn().mockResolvedValue(state) });
    const sut = makeSut({ start });
    await expect(sut.start(dto, admin)).resolves.toEqual({ workflowId: 'candidacy-isfahan', ...state });
    const [type, options] = start.mock.calls[0];
    expect(type).toBe('candidacyWorkflow');
    expect(options).toMatchObject({
      workflowId: 'candidacy-isfahan',
      taskQueue: 'q',
      args: [{ start: { ...dto, obligations: [], startedBy: admin } }],
    });
    expect(options.typedSearchAttributes.map((p: { key: { name: string } }) => p.key.name)).toEqual([
      'KudakCity',
      'KudakCountry',
      'KudakStage',
      'KudakOverdue',
    ]);
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

  it('maps an already-started workflow to 409', async () => {
    const sut = makeSut({
      start: jest.fn().mockRejectedValue(new WorkflowExecutionAlreadyStartedError('x', 'candidacy-isfahan', 'w')),
    });
    await expect(sut.start(dto, admin)).rejects.toBeInstanceOf(ConflictException);
  });

  it('maps a missing workflow to 404 and lets other errors through', async () => {
    const query = jest
      .fn()
      .mockRejectedValueOnce(new WorkflowNotFoundError('gone', 'candidacy-x', undefined))
      .mockRejectedValueOnce(new Error('unavailable'));
    const sut = makeSut({ getHandle: jest.fn().mockReturnValue({ query }) });
    await expect(sut.get('x')).rejects.toBeInstanceOf(NotFoundException);
    await expect(sut.get('x')).rejects.toThrow('unavailable');
  });
});
