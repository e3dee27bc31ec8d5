import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import {
  candidacyWorkflowId,
  COUNTRY_SEARCH_ATTRIBUTE,
  getCandidacyStateQuery,
  type CandidacyState,
} from '@kudak/contracts';
import { coversCity, coversDistrict, type Identity } from '../auth/identity';

/**
 * Reads a candidacy for a caller, refusing cities outside the caller's scope. A city the caller's
 * token does not list is a 403 before anything is read (the token alone decides it). A city it
 * lists (or `*`) whose candidacy is in another country is a 404 like a city with no candidacy, with
 * the same message: the answer never tells a caller which cities of other countries exist.
 */
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
    const notFound = () => new NotFoundException(`No candidacy for city '${cityId}'`);
    const handle = this.client.workflow.getHandle(candidacyWorkflowId(cityId));
    let description: Awaited<ReturnType<typeof handle.describe>>;
    try {
      description = await handle.describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound();
      throw err;
    }
    // The country is in the search attributes: another country's candidacy is not even read.
    const country = description.typedSearchAttributes?.get(COUNTRY_SEARCH_ATTRIBUTE);
    if (country !== undefined && !coversCity(identity, cityId, country)) throw notFound();
    // A running candidacy answers its state query. A closed one (withdrawn, rejected...) returned
    // its final state as its result: read from its history, without a worker replaying the whole
    // candidacy for every read (and without the worker's races on queries to a closed run, which
    // could leave a query unanswered until its deadline).
    const state =
      description.status.name === 'COMPLETED'
        ? ((await handle.result()) as CandidacyState)
        : await handle.query(getCandidacyStateQuery);
    if (!coversCity(identity, cityId, state.country)) throw notFound();
    return state;
  }
}
