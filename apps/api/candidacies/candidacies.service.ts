import { createHash } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { KudakConfig } from '@kudak/config';
import {
  CITY_SEARCH_ATTRIBUTE,
  COUNTRY_SEARCH_ATTRIBUTE,
  OVERDUE_SEARCH_ATTRIBUTE,
  STAGE_SEARCH_ATTRIBUTE,
  candidacyWorkflowId,
  getCandidacyStateQuery,
  policyProblems,
  resolvePolicy,
  startCommittee,
  type Actor,
  type CandidacyStage,
  type CandidacyState,
  type StartCandidacyInput,
} from '@kudak/contracts';
import { toActor, type Identity } from '../auth/identity';
import { idempotentId } from '../common/idempotency-key';
import { CandidacyAccessService } from './candidacy-access.service';
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
  ) {}

  async start(dto: StartCandidacyDto, identity: Identity, idempotencyKey?: string): Promise<CandidacyResponseDto> {
    this.access.assertCovers(identity, dto.cityId, dto.country);
    const workflowId = candidacyWorkflowId(dto.cityId);
    const start = this.toStartInput(dto, toActor(identity));
    const startKey = idempotencyKey ? idempotentId([identity.sub, 'start', idempotencyKey]) : undefined;
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
      return this.toResponse(workflowId, await handle.query(getCandidacyStateQuery));
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      // The same caller repeating the same start: the first answer (the candidacy), not a conflict.
      const existing = this.client.workflow.getHandle(workflowId);
      if (startKey && (await existing.describe()).memo?.[START_KEY_MEMO] === startKey) {
        return this.toResponse(workflowId, await existing.query(getCandidacyStateQuery));
      }
      throw new ConflictException(`A candidacy for city '${dto.cityId}' already exists (${workflowId})`);
    }
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
      nextPageToken = decodePageToken(query.pageToken, visibilityQuery);
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
      nextPageToken: page.nextPageToken?.length ? encodePageToken(page.nextPageToken, visibilityQuery) : undefined,
    };
  }

  /** Checks what the DTO's decorators cannot see (cross-field rules), then builds plain JSON. */
  private toStartInput(dto: StartCandidacyDto, startedBy: Actor): StartCandidacyInput {
    const contacts = dto.contacts ?? [];
    const policy = { ...dto.policy, committee: startCommittee(dto.policy?.committee, contacts) };
    const problems = policyProblems(resolvePolicy(policy));
    const districtIds = dto.districts.map((d) => d.id);
    if (new Set(districtIds).size !== districtIds.length) problems.push('districts must not repeat an id');
    contacts.forEach((c, i) => {
      if (c.districtId && !districtIds.includes(c.districtId)) {
        problems.push(`contacts.${i}.districtId must be one of the districts`);
      }
    });
    const obligationIds = (dto.obligations ?? []).map((o) => o.id);
    if (new Set(obligationIds).size !== obligationIds.length) problems.push('obligations must not repeat an id');
    if (problems.length > 0) throw new BadRequestException(problems);
    // Plain JSON for the workflow: class instances would not survive the payload converter as such.
    const input = { ...dto, contacts, obligations: dto.obligations ?? [], policy, startedBy };
    return JSON.parse(JSON.stringify(input)) as StartCandidacyInput;
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

/**
 * Page tokens are Temporal's visibility tokens behind a digest of the token and the query it pages
 * through. Temporal fails on a token it did not issue only after the client's retries (seconds,
 * then a 500); with the digest, a token the API did not hand out for this query is a 400 at once
 * and never reaches Temporal. (A checksum, not a signature: the scope is in the query itself.)
 */
const PAGE_TOKEN_DIGEST_BYTES = 12;

function pageTokenDigest(raw: Uint8Array, visibilityQuery: string): Buffer {
  return createHash('sha256')
    .update('kudak-page-token\u0000')
    .update(visibilityQuery)
    .update('\u0000')
    .update(raw)
    .digest()
    .subarray(0, PAGE_TOKEN_DIGEST_BYTES);
}

export function encodePageToken(raw: Uint8Array, visibilityQuery: string): string {
  return Buffer.concat([pageTokenDigest(raw, visibilityQuery), raw]).toString('base64url');
}

/** The Temporal token inside, or undefined when the API did not issue `token` for this query. */
export function decodePageToken(token: string, visibilityQuery: string): Buffer | undefined {
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length <= PAGE_TOKEN_DIGEST_BYTES) return undefined;
  const raw = bytes.subarray(PAGE_TOKEN_DIGEST_BYTES);
  return pageTokenDigest(raw, visibilityQuery).equals(bytes.subarray(0, PAGE_TOKEN_DIGEST_BYTES)) ? raw : undefined;
}
