import {
  ConflictException,
  NotFoundException,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { Client, ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { KudakConfig } from '@kudak/config';
import {
  fulfilObligationUpdate,
  signMemorandumUpdate,
  withdrawCandidacyUpdate,
  type CandidacyState,
} from '@kudak/contracts';
import { inMemoryIdempotencyKeysPerTest } from '../../../test/support/idempotency-keys';
import type { Identity } from '../auth/identity';
import { CandidacyAccessService } from '../candidacies/candidacy-access.service';
import type { DocumentsService } from '../documents/documents.service';
import { DECISION_MAY_STILL_BE_TAKEN, DecisionsService } from './decisions.service';

describe(DecisionsService.name, () => {
  const admin: Identity = {
    sub: 'focal-point',
    role: 'administrator',
    organisation: 'Isfahan Municipality',
    country: 'IR',
    cities: ['isfahan'],
  };
  const open = { cityId: 'isfahan', country: 'IR', stage: 'COMMITMENT', districts: [] } as unknown as CandidacyState;

  const config = KudakConfig.fromEnvironment({ TEMPORAL_UPDATE_DEADLINE_MS: '3000' });
  const idempotencyKeys = inMemoryIdempotencyKeysPerTest();

  const withDeadline = jest.fn((_deadline: number, fn: () => Promise<unknown>) => fn());
  const makeSut = (state: CandidacyState, executeUpdate: jest.Mock, resolve = jest.fn()) => {
    const access = {
      assertCandidacyCovered: jest.fn().mockResolvedValue(undefined),
      assertCoversDistrict: jest.fn(),
      state: jest.fn().mockResolvedValue(state),
    } as unknown as CandidacyAccessService;
    const client = {
      workflow: { getHandle: jest.fn().mockReturnValue({ executeUpdate }) },
      connection: { withDeadline },
    } as unknown as Client;
    const documents = { resolve } as unknown as DocumentsService;
    return Object.assign(new DecisionsService(client, access, documents, config, idempotencyKeys()), {
      accessCheck: access,
    });
  };
  const notFound = () =>
    new WorkflowNotFoundError('workflow execution already completed', 'candidacy-isfahan', undefined);

  it('sends the decision as an Update bounded by the update deadline, the same key as the same update id', async () => {
    const executeUpdate = jest.fn().mockResolvedValue({ id: 'd1' });
    const sut = makeSut(open, executeUpdate);
    const before = Date.now();
    await sut.decide(admin, { cityId: 'isfahan' }, withdrawCandidacyUpdate, { reason: 'Council vote' }, 'k-1');
    await sut.decide(admin, { cityId: 'isfahan' }, withdrawCandidacyUpdate, { reason: 'Council vote' }, 'k-1');
    const [deadline] = withDeadline.mock.calls[0];
    expect(deadline).toBeGreaterThanOrEqual(before + 3000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 3000);
    const [first, second] = executeUpdate.mock.calls.map(([, options]) => options.updateId as string);
    expect(first).toMatch(/^withdrawCandidacy-[0-9a-f]{40}$/);
    expect(second).toBe(first);
  });

  it('sends the Update again, under its id, when the workflow task carrying it failed (it was not applied)', async () => {
    const taskFailed = new ServiceError('Workflow Update failed', {
      cause: new Error(
        '9 FAILED_PRECONDITION: Unable to perform workflow execution update due to unexpected workflow task failure.',
      ),
    });
    const executeUpdate = jest.fn().mockRejectedValueOnce(taskFailed).mockResolvedValue({ id: 'd1' });
    const sut = makeSut(open, executeUpdate);
    await expect(
      sut.decide(admin, { cityId: 'isfahan' }, withdrawCandidacyUpdate, { reason: 'Council vote' }, 'k-2'),
    ).resolves.toEqual({ id: 'd1' });
    const ids = executeUpdate.mock.calls.map(([, options]) => options.updateId as string);
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
  });

  it('a decision sent that Temporal did not answer is a 503 saying it may still be taken, to resend under its key', async () => {
    // As @grpc/grpc-js rejects a call, wrapped by the SDK: the frontend took the call and hung.
    const grpc = (code: number, details: string) =>
      new ServiceError('Workflow Update failed', {
        cause: Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} }),
      });
    const hung = makeSut(open, jest.fn().mockRejectedValue(grpc(4, 'Deadline exceeded after 3.001s')));
    const sent = hung.decide(admin, { cityId: 'isfahan' }, withdrawCandidacyUpdate, { reason: 'Council vote' });
    await expect(sent).rejects.toThrow(ServiceUnavailableException);
    await expect(sent).rejects.toThrow(DECISION_MAY_STILL_BE_TAKEN);
    // A refused connection never took it: that 503 stays Temporal's own ("not reachable").
    const refused = grpc(14, 'No connection established');
    const down = makeSut(open, jest.fn().mockRejectedValue(refused));
    await expect(
      down.decide(admin, { cityId: 'isfahan' }, withdrawCandidacyUpdate, { reason: 'Council vote' }),
    ).rejects.toBe(refused);
  });

  it('refuses the same key with another body (422 naming the key), sending nothing', async () => {
    const executeUpdate = jest.fn().mockResolvedValue({ id: 'd1' });
    const sut = makeSut(open, executeUpdate);
    await sut.decide(admin, { cityId: 'isfahan' }, withdrawCandidacyUpdate, { reason: 'Council vote' }, 'k-1');
    await expect(
      sut.decide(admin, { cityId: 'isfahan' }, withdrawCandidacyUpdate, { reason: 'Another reason' }, 'k-1'),
    ).rejects.toThrow(
      new UnprocessableEntityException(
        "Idempotency-Key 'k-1' was already used with a different request; use a new key for a new request",
      ),
    );
    expect(executeUpdate).toHaveBeenCalledTimes(1);
  });

  it('sends a decision without reading the candidacy: the token and its country decide who may act', async () => {
    const executeUpdate = jest.fn().mockResolvedValue({ id: 'd1' });
    const sut = makeSut(open, executeUpdate);
    await sut.decide(admin, { cityId: 'isfahan', districtId: 'd1' }, signMemorandumUpdate, {});
    expect(sut.accessCheck.assertCandidacyCovered).toHaveBeenCalledWith(admin, 'isfahan');
    expect(sut.accessCheck.assertCoversDistrict).toHaveBeenCalledWith(admin, 'd1');
    expect(sut.accessCheck.state).not.toHaveBeenCalled();
  });

  it("gives the access check's refusal (403, 404) and sends nothing", async () => {
    const executeUpdate = jest.fn();
    const sut = makeSut(open, executeUpdate);
    (sut.accessCheck.assertCandidacyCovered as jest.Mock).mockRejectedValue(
      new NotFoundException("No candidacy for city 'isfahan'"),
    );
    await expect(sut.decide(admin, { cityId: 'isfahan' }, signMemorandumUpdate, {})).rejects.toThrow(
      new NotFoundException("No candidacy for city 'isfahan'"),
    );
    expect(executeUpdate).not.toHaveBeenCalled();
  });

  it('refuses a decision on a closed candidacy with a 409 saying so, once Temporal finds no workflow', async () => {
    const executeUpdate = jest.fn().mockRejectedValue(notFound());
    const sut = makeSut({ ...open, stage: 'WITHDRAWN', closedAt: '2026-11-28T00:00:00.000Z' }, executeUpdate);
    await expect(sut.decide(admin, { cityId: 'isfahan' }, signMemorandumUpdate, {})).rejects.toThrow(
      new ConflictException('The candidacy is closed (WITHDRAWN); it takes no more decisions'),
    );
  });

  it('names an unknown district (404) and district plans not yet open (409) when no district workflow answers', async () => {
    const executeUpdate = jest.fn().mockRejectedValue(notFound());
    const withDistrict = { ...open, districts: [{ id: 'd1', name: 'District 1' }] } as unknown as CandidacyState;
    const sut = makeSut(withDistrict, executeUpdate);
    await expect(sut.decide(admin, { cityId: 'isfahan', districtId: 'd9' }, signMemorandumUpdate, {})).rejects.toThrow(
      new NotFoundException("City 'isfahan' has no district 'd9'"),
    );
    await expect(sut.decide(admin, { cityId: 'isfahan', districtId: 'd1' }, signMemorandumUpdate, {})).rejects.toThrow(
      new ConflictException('District plans are not open: the candidacy is at COMMITMENT'),
    );
  });

  it('a candidacy that closes between the read and the update is a 409 too, not "not found"', async () => {
    const executeUpdate = jest.fn().mockRejectedValue(notFound());
    const sut = makeSut(open, executeUpdate);
    await expect(sut.decide(admin, { cityId: 'isfahan' }, signMemorandumUpdate, {})).rejects.toBeInstanceOf(
      ConflictException,
    );
  });

  it('passes a repeat under an Idempotency-Key on a closed candidacy to Temporal: its update may have closed it', async () => {
    const withdrawn = { ...open, stage: 'WITHDRAWN', closedAt: '2026-11-28T00:00:00.000Z' } as CandidacyState;
    const executeUpdate = jest.fn().mockResolvedValueOnce({ id: 'd-withdrawn' });
    const sut = makeSut(withdrawn, executeUpdate);
    await expect(sut.decide(admin, { cityId: 'isfahan' }, signMemorandumUpdate, {}, 'key-1')).resolves.toEqual({
      id: 'd-withdrawn',
    });
    // A key no decision was taken under: Temporal answers "not found" for the closed workflow.
    executeUpdate.mockRejectedValueOnce(new WorkflowNotFoundError('already completed', 'candidacy-isfahan', undefined));
    await expect(sut.decide(admin, { cityId: 'isfahan' }, signMemorandumUpdate, {}, 'key-2')).rejects.toThrow(
      new ConflictException('The candidacy is closed (WITHDRAWN); it takes no more decisions'),
    );
  });

  it("sends the documents as the city's uploads describe them, and nothing when one is unknown", async () => {
    const pdf = { sha256: 'a'.repeat(64), name: 'receipt.pdf', contentType: 'application/pdf', size: 1200 };
    const executeUpdate = jest.fn().mockResolvedValue({ id: 'd-1' });
    const resolve = jest.fn().mockResolvedValue([pdf]);
    const sut = makeSut(open, executeUpdate, resolve);
    const body = { obligationId: 'unicef-funding', evidence: 'paid', documents: [{ sha256: pdf.sha256 }] };
    await sut.decide(admin, { cityId: 'isfahan' }, fulfilObligationUpdate, body);
    expect(resolve).toHaveBeenCalledWith('isfahan', [{ sha256: pdf.sha256 }]);
    expect(executeUpdate).toHaveBeenCalledWith(fulfilObligationUpdate, {
      args: [{ obligationId: 'unicef-funding', evidence: 'paid', documents: [pdf], actor: expect.any(Object) }],
      updateId: undefined,
    });

    executeUpdate.mockClear();
    resolve.mockRejectedValue(new UnprocessableEntityException(['documents[0].sha256: no document']));
    await expect(sut.decide(admin, { cityId: 'isfahan' }, fulfilObligationUpdate, body)).rejects.toBeInstanceOf(
      UnprocessableEntityException,
    );
    expect(executeUpdate).not.toHaveBeenCalled();
  });
});
