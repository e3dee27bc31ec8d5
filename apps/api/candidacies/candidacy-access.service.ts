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
 * How long the API trusts a city's country without asking Temporal again. A candidacy's country
 * never changes, and its workflow id is never reused while Temporal keeps its history: the bound
 * only covers a city started again, in another country, after its old history was deleted.
 */
const COUNTRY_TTL_MS = 60_000;
/** Cities remembered at most (the oldest entry goes first). */
const COUNTRY_CACHE_SIZE = 10_000;

/**
 * Reads a candidacy for a caller, refusing cities outside the caller's scope. A city the caller's
 * token does not list is a 403 before anything is read (the token alone decides it). A city it
 * lists (or `*`) whose candidacy is in another country is a 404 like a city with no candidacy, with
 * the same message: the answer never tells a caller which cities of other countries exist.
 */
@Injectable()
export class CandidacyAccessService {
  private readonly countries = new Map<string, { country: string; until: number }>();

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

  /**
   * The same refusals as `state` (403 out of scope, 404 no candidacy or another country's) from the
   * token and the city's country alone: the workflow is not queried, so a decision does not wait
   * behind the candidacy's own workflow tasks. What the candidacy accepts is its validators' call.
   */
  async assertCandidacyCovered(identity: Identity, cityId: string): Promise<void> {
    this.assertCovers(identity, cityId);
    if (!coversCity(identity, cityId, await this.country(cityId))) throw notFound(cityId);
  }

  async state(identity: Identity, cityId: string): Promise<CandidacyState> {
    this.assertCovers(identity, cityId);
    const handle = this.client.workflow.getHandle(candidacyWorkflowId(cityId));
    let description: Awaited<ReturnType<typeof handle.describe>>;
    try {
      description = await handle.describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(cityId);
      throw err;
    }
    // The country is in the search attributes: another country's candidacy is not even read.
    const country = description.typedSearchAttributes?.get(COUNTRY_SEARCH_ATTRIBUTE);
    if (country !== undefined && !coversCity(identity, cityId, country)) throw notFound(cityId);
    // A running candidacy answers its state query. A closed one (withdrawn, rejected...) returned
    // its final state as its result: read from its history, without a worker replaying the whole
    // candidacy for every read (and without the worker's races on queries to a closed run, which
    // could leave a query unanswered until its deadline).
    const state =
      description.status.name === 'COMPLETED'
        ? ((await handle.result()) as CandidacyState)
        : await handle.query(getCandidacyStateQuery);
    this.remember(cityId, state.country);
    if (!coversCity(identity, cityId, state.country)) throw notFound(cityId);
    return state;
  }

  /** The candidacy's country: remembered, else its search attribute (a describe, no worker), else its state. */
  private async country(cityId: string): Promise<string> {
    const known = this.countries.get(cityId);
    if (known && known.until > Date.now()) return known.country;
    const handle = this.client.workflow.getHandle(candidacyWorkflowId(cityId));
    let country: string | undefined;
    try {
      country = (await handle.describe()).typedSearchAttributes?.get(COUNTRY_SEARCH_ATTRIBUTE);
      // A candidacy started before the attribute existed says its country in its state.
      country ??= (await handle.query(getCandidacyStateQuery)).country;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(cityId);
      throw err;
    }
    this.remember(cityId, country);
    return country;
  }

  private remember(cityId: string, country: string): void {
    this.countries.delete(cityId);
    if (this.countries.size >= COUNTRY_CACHE_SIZE) this.countries.delete(this.countries.keys().next().value!);
    this.countries.set(cityId, { country, until: Date.now() + COUNTRY_TTL_MS });
  }
}

function notFound(cityId: string): NotFoundException {
  return new NotFoundException(`No candidacy for city '${cityId}'`);
}
