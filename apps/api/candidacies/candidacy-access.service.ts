import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { candidacyWorkflowId, getCandidacyStateQuery, type CandidacyState } from '@kudak/contracts';
import { coversCity, coversDistrict, type Identity } from '../auth/identity';

/** Reads a candidacy for a caller, refusing cities outside the caller's scope. */
@Injectable()
export class CandidacyAccessService {
  constructor(private readonly client: Client) {}

  assertCovers(identity: Identity, cityId: string, country?: string): void {
    if (!coversCity(identity, cityId, country)) {
      throw new ForbiddenException(`Your scope (${identity.country}) does not cover city '${cityId}'`);
    }
  }

  /** A district_submitter acts only on the districts its token lists; other roles on every district. */
  assertCoversDistrict(identity: Identity, districtId: string): void {
    if (!coversDistrict(identity, districtId)) {
      throw new ForbiddenException(
        `Your token does not cover district '${districtId}' (its districts: ${(identity.districts ?? []).join(', ')})`,
      );
    }
  }

  async state(identity: Identity, cityId: string): Promise<CandidacyState> {
    this.assertCovers(identity, cityId);
    let state: CandidacyState;
    try {
      state = await this.read(cityId);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new NotFoundException(`No candidacy for city '${cityId}'`);
      throw err;
    }
    this.assertCovers(identity, cityId, state.country);
    return state;
  }

  /**
   * A running candidacy answers its state query. A closed one (withdrawn, rejected...) returned its
   * final state as its result: read from its history, without a worker replaying the whole
   * candidacy for every read (and without the worker's races on queries to a closed run, which
   * could leave a query unanswered until its deadline).
   */
  private async read(cityId: string): Promise<CandidacyState> {
    const handle = this.client.workflow.getHandle(candidacyWorkflowId(cityId));
    const { status } = await handle.describe();
    if (status.name === 'COMPLETED') return (await handle.result()) as CandidacyState;
    return handle.query(getCandidacyStateQuery);
  }
}
