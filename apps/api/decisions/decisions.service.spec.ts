import { ConflictException, UnprocessableEntityException } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { fulfilObligationUpdate, signMemorandumUpdate, type CandidacyState } from '@kudak/contracts';
import type { Identity } from '../auth/identity';
import { CandidacyAccessService } from '../candidacies/candidacy-access.service';
import type { DocumentsService } from '../documents/documents.service';
import { DecisionsService } from './decisions.service';

describe(DecisionsService.name, () => {
  const admin: Identity = {
    sub: 'focal-point',
    role: 'administrator',
    organisation: 'Isfahan Municipality',
    country: 'IR',
    cities: ['isfahan'],
  };
  const open = { cityId: 'isfahan', country: 'IR', stage: 'COMMITMENT', districts: [] } as unknown as CandidacyState;

  const makeSut = (state: CandidacyState, executeUpdate: jest.Mock, resolve = jest.fn()) => {
    const access = { state: jest.fn().mockResolvedValue(state) } as unknown as CandidacyAccessService;
    const client = { workflow: { getHandle: jest.fn().mockReturnValue({ executeUpdate }) } } as unknown as Client;
    return new DecisionsService(client, access, { resolve } as unknown as DocumentsService);
  };

  it('refuses a decision on a closed candidacy with a 409 saying so, sending nothing', async () => {
    const executeUpdate = jest.fn();
    const sut = makeSut({ ...open, stage: 'WITHDRAWN', closedAt: '2026-11-28T00:00:00.000Z' }, executeUpdate);
    await expect(sut.decide(admin, { cityId: 'isfahan' }, signMemorandumUpdate, {})).rejects.toThrow(
      new ConflictException('The candidacy is closed (WITHDRAWN); it takes no more decisions'),
    );
    expect(executeUpdate).not.toHaveBeenCalled();
  });

  it('a candidacy that closes between the read and the update is a 409 too, not "not found"', async () => {
    const executeUpdate = jest
      .fn()
      .mockRejectedValue(new WorkflowNotFoundError('gone', 'candidacy-isfahan', undefined));
    const sut = makeSut(open, executeUpdate);
    await expect(sut.decide(admin, { cityId: 'isfahan' }, signMemorandumUpdate, {})).rejects.toBeInstanceOf(
      ConflictException,
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
