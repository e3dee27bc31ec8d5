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
  type CandidacyStage,
  type CandidacyState,
  type StartCandidacyInput,
} from '@kudak/contracts';
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

  /** Candidacies in the caller's scope, through Temporal visibility and Kudak's search attributes. */
  async list(identity: Identity, query: ListCandidaciesQuery): Promise<CandidacyPageDto> {
    if (query.country && query.country !== identity.country) return { items: [] };
    if (query.city && !identity.cities.includes('*') && !identity.cities.includes(query.city)) return { items: [] };
    const quote = (v: string) => `'${v}'`; // values are validated to a quote-free alphabet
    const clauses = [`WorkflowType = 'candidacyWorkflow'`, `KudakCountry = ${quote(identity.country)}`];
    if (!identity.cities.includes('*')) clauses.push(`KudakCity IN (${identity.cities.map(quote).join(', ')})`);
    if (query.city) clauses.push(`KudakCity = ${quote(query.city)}`);
    if (query.stage) clauses.push(`KudakStage = ${quote(query.stage)}`);
    if (query.overdue !== undefined) clauses.push(`KudakOverdue = ${query.overdue}`);
    // Normalised through Date: only a well-formed instant reaches the query text.
    if (query.startedAfter) clauses.push(`StartTime >= ${quote(new Date(query.startedAfter).toISOString())}`);
    if (query.startedBefore) clauses.push(`StartTime < ${quote(new Date(query.startedBefore).toISOString())}`);
    const visibilityQuery = clauses.join(' AND '); // newest first is visibility's own order
    let nextPageToken: Buffer | undefined;
    if (query.pageToken) {
      nextPageToken = this.pageTokens.decode(query.pageToken, visibilityQuery);
      if (!nextPageToken) {
        throw new BadRequestException('pageToken must be a token returned by a previous page of the same query');
      }
    }
    const page = await this.client.workflowService.listWorkflowExecutions({
      namespace: this.config.temporal.namespace,
      query: visibilityQuery,
      pageSize: query.pageSize,
      nextPageToken,
    });
    // Search attribute payloads are JSON; a Keyword may come back as a one-element list.
    const attrs = (e: (typeof page.executions)[number], name: string): string | boolean | undefined => {
      const payload = e.searchAttributes?.indexedFields?.[name];
      const value: unknown = payload?.data ? JSON.parse(Buffer.from(payload.data).toString('utf8')) : undefined;
      const single = Array.isArray(value) ? (value[0] as unknown) : value;
      return typeof single === 'string' || typeof single === 'boolean' ? single : undefined;
    };
    return {
      items: page.executions.map((e) => ({
        workflowId: e.execution?.workflowId ?? '',
        cityId: String(attrs(e, CITY_SEARCH_ATTRIBUTE.name) ?? ''),
        country: String(attrs(e, COUNTRY_SEARCH_ATTRIBUTE.name) ?? ''),
        stage: attrs(e, STAGE_SEARCH_ATTRIBUTE.name) as CandidacyStage,
        overdue: attrs(e, OVERDUE_SEARCH_ATTRIBUTE.name) === true,
        status: statusName(e.status),
        startedAt: e.startTime?.seconds ? new Date(Number(e.startTime.seconds) * 1000).toISOString() : '',
      })),
      nextPageToken: page.nextPageToken?.length
        ? this.pageTokens.encode(page.nextPageToken, visibilityQuery)
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

const STATUS_NAMES = [
  'UNSPECIFIED',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELED',
  'TERMINATED',
  'CONTINUED_AS_NEW',
  'TIMED_OUT',
];
function statusName(status: number | null | undefined): string {
  return STATUS_NAMES[status ?? 0] ?? 'UNSPECIFIED';
}
