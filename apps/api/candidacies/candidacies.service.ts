import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { KudakConfig } from '@kudak/config';
import {
  CITY_SEARCH_ATTRIBUTE,
  COUNTRY_SEARCH_ATTRIBUTE,
  OVERDUE_SEARCH_ATTRIBUTE,
  STAGE_SEARCH_ATTRIBUTE,
  candidacyWorkflowId,
  getCandidacyStateQuery,
  startCommittee,
  startInputProblems,
  type Actor,
  type CandidacyState,
  type StartCandidacyInput,
} from '@kudak/contracts';
import { ReadModelRepository, type CandidacyCursor } from '@kudak/database';
import { toActor, type Identity } from '../auth/identity';
import { idempotentId, IdempotencyKeys } from '../common/idempotency-key';
import { CandidacyAccessService } from './candidacy-access.service';
import { PageTokens } from './page-tokens';
import type { CandidacyResponseDto } from './dto/candidacy-response.dto';
import type { CandidacyPageDto, ListCandidaciesQuery } from './dto/list-candidacies.query';
import type { StartCandidacyDto } from './dto/start-candidacy.dto';

/** Memo key holding the Idempotency-Key digest a candidacy was started with. */
const START_KEY_MEMO = 'kudakStartKey';

@Injectable()
export class CandidaciesService {
  constructor(
    private readonly client: Client,
    private readonly config: KudakConfig,
    private readonly access: CandidacyAccessService,
    private readonly pageTokens: PageTokens,
    private readonly idempotencyKeys: IdempotencyKeys,
    private readonly readModel: ReadModelRepository,
  ) {}

  async start(dto: StartCandidacyDto, identity: Identity, idempotencyKey?: string): Promise<CandidacyResponseDto> {
    this.access.assertCovers(identity, dto.cityId, dto.country);
    const workflowId = candidacyWorkflowId(dto.cityId);
    const start = this.toStartInput(dto, toActor(identity));
    let startKey: string | undefined;
    if (idempotencyKey) {
      startKey = idempotentId([identity.sub, 'start', idempotencyKey]);
      await this.idempotencyKeys.assertSameRequest(startKey, idempotencyKey, dto);
    }
    try {
      const handle = await this.client.workflow.start('candidacyWorkflow', {
        workflowId,
        taskQueue: this.config.temporal.taskQueue,
        // A city has one candidacy, ever: even a finished one blocks a second start.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [{ start }],
        memo: startKey ? { [START_KEY_MEMO]: startKey } : undefined,
        typedSearchAttributes: [
          { key: CITY_SEARCH_ATTRIBUTE, value: dto.cityId },
          { key: COUNTRY_SEARCH_ATTRIBUTE, value: dto.country },
          { key: STAGE_SEARCH_ATTRIBUTE, value: 'COMMITMENT' },
          { key: OVERDUE_SEARCH_ATTRIBUTE, value: false },
        ],
      });
      return this.toResponse(workflowId, await this.newCandidacyState(handle));
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      // The same caller repeating the same start: the first answer (the candidacy), not a conflict.
      const existing = this.client.workflow.getHandle(workflowId);
      if (startKey && (await existing.describe()).memo?.[START_KEY_MEMO] === startKey) {
        return this.toResponse(workflowId, await this.newCandidacyState(existing));
      }
      throw new ConflictException(`A candidacy for city '${dto.cityId}' already exists (${workflowId})`);
    }
  }

  /**
   * A new candidacy's state: its query waits for a worker's first workflow task, so it is bounded
   * like a decision (the update deadline) rather than like a plain read.
   */
  private newCandidacyState(handle: WorkflowHandle): Promise<CandidacyState> {
    const deadline = Date.now() + this.config.temporal.deadlines.updateMs;
    return this.client.connection.withDeadline(deadline, () => handle.query(getCandidacyStateQuery));
  }

  async get(identity: Identity, cityId: string): Promise<CandidacyResponseDto> {
    return this.toResponse(candidacyWorkflowId(cityId), await this.access.state(identity, cityId));
  }

  /**
   * Candidacies in the caller's scope, newest first, from the read model: a page costs one indexed
   * query whatever the number of candidacies. The page token is the last item's place, bound (by
   * its MAC) to the caller's scope and filters.
   */
  async list(identity: Identity, query: ListCandidaciesQuery): Promise<CandidacyPageDto> {
    if (query.country && query.country !== identity.country) return { items: [] };
    if (query.city && !identity.cities.includes('*') && !identity.cities.includes(query.city)) return { items: [] };
    const scope = { country: identity.country, cities: identity.cities };
    const filter = {
      city: query.city,
      stage: query.stage,
      overdue: query.overdue,
      startedAfter: query.startedAfter,
      startedBefore: query.startedBefore,
    };
    const boundTo = `read-model:${JSON.stringify({ scope, filter })}`;
    let after: CandidacyCursor | undefined;
    if (query.pageToken) {
      after = readCursor(this.pageTokens.decode(query.pageToken, boundTo));
      if (!after) {
        throw new BadRequestException('pageToken must be a token returned by a previous page of the same query');
      }
    }
    const rows = await this.readModel.candidacies(scope, filter, query.pageSize + 1, after);
    const items = rows.slice(0, query.pageSize);
    const last = items[items.length - 1];
    return {
      items: items.map((c) => ({
        workflowId: c.workflowId,
        cityId: c.cityId,
        cityName: c.cityName,
        country: c.country,
        stage: c.stage,
        cycle: c.cycle,
        overdue: c.overdue,
        nextDueAt: c.nextDueAt,
        status: c.status,
        startedAt: c.startedAt,
        updatedAt: c.updatedAt,
      })),
      nextPageToken:
        rows.length > query.pageSize && last
          ? this.pageTokens.encode(Buffer.from(JSON.stringify([last.startedAt, last.workflowId])), boundTo)
          : undefined,
    };
  }

  /**
   * Plain JSON for the workflow (class instances would not survive the payload converter as such),
   * checked as the workflow will check it: what the DTO's decorators cannot see (cross-field rules).
   */
  private toStartInput(dto: StartCandidacyDto, startedBy: Actor): StartCandidacyInput {
    const contacts = dto.contacts ?? [];
    const policy = { ...dto.policy, committee: startCommittee(dto.policy?.committee, contacts) };
    const start = JSON.parse(
      JSON.stringify({ ...dto, contacts, obligations: dto.obligations ?? [], policy, startedBy }),
    ) as StartCandidacyInput;
    const problems = startInputProblems(start);
    if (problems.length > 0) throw new BadRequestException(problems);
    return start;
  }

  private toResponse(workflowId: string, state: CandidacyState): CandidacyResponseDto {
    return { workflowId, ...state };
  }
}

/** The place a page token holds (undefined if the token was not issued for this query). */
function readCursor(raw: Buffer | undefined): CandidacyCursor | undefined {
  if (!raw) return undefined;
  try {
    const [startedAt, workflowId] = JSON.parse(raw.toString('utf8')) as unknown[];
    return typeof startedAt === 'string' && typeof workflowId === 'string' ? { startedAt, workflowId } : undefined;
  } catch {
    return undefined;
  }
}
