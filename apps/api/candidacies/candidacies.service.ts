import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
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
  type Actor,
  type CandidacyState,
  type StartCandidacyInput,
} from '@kudak/contracts';
import type { candidacyWorkflow } from '../../../workflows/candidacy.workflow';
import type { CandidacyResponseDto } from './dto/candidacy-response.dto';
import type { StartCandidacyDto } from './dto/start-candidacy.dto';

@Injectable()
export class CandidaciesService {
  constructor(
    private readonly client: Client,
    private readonly config: KudakConfig,
  ) {}

  async start(dto: StartCandidacyDto, startedBy: Actor): Promise<CandidacyResponseDto> {
    const workflowId = candidacyWorkflowId(dto.cityId);
    const start = this.toStartInput(dto, startedBy);
    try {
      const handle = await this.client.workflow.start<typeof candidacyWorkflow>('candidacyWorkflow', {
        workflowId,
        taskQueue: this.config.temporal.taskQueue,
        // A city has one candidacy, ever: even a finished one blocks a second start.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [{ start }],
        typedSearchAttributes: [
          { key: CITY_SEARCH_ATTRIBUTE, value: dto.cityId },
          { key: COUNTRY_SEARCH_ATTRIBUTE, value: dto.country },
          { key: STAGE_SEARCH_ATTRIBUTE, value: 'COMMITMENT' },
          { key: OVERDUE_SEARCH_ATTRIBUTE, value: false },
        ],
      });
      return this.toResponse(workflowId, await handle.query(getCandidacyStateQuery));
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new ConflictException(`A candidacy for city '${dto.cityId}' already exists (${workflowId})`);
      }
      throw err;
    }
  }

  async get(cityId: string): Promise<CandidacyResponseDto> {
    const workflowId = candidacyWorkflowId(cityId);
    try {
      const state = await this.client.workflow.getHandle(workflowId).query(getCandidacyStateQuery);
      return this.toResponse(workflowId, state);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        throw new NotFoundException(`No candidacy for city '${cityId}'`);
      }
      throw err;
    }
  }

  /** Checks what the DTO's decorators cannot see (cross-field rules), then builds plain JSON. */
  private toStartInput(dto: StartCandidacyDto, startedBy: Actor): StartCandidacyInput {
    const problems = policyProblems(resolvePolicy(dto.policy));
    const districtIds = dto.districts.map((d) => d.id);
    if (new Set(districtIds).size !== districtIds.length) problems.push('districts must not repeat an id');
    dto.contacts.forEach((c, i) => {
      if (c.districtId && !districtIds.includes(c.districtId)) {
        problems.push(`contacts.${i}.districtId must be one of the districts`);
      }
    });
    const obligationIds = (dto.obligations ?? []).map((o) => o.id);
    if (new Set(obligationIds).size !== obligationIds.length) problems.push('obligations must not repeat an id');
    if (problems.length > 0) throw new BadRequestException(problems);
    // Plain JSON for the workflow: class instances would not survive the payload converter as such.
    return JSON.parse(JSON.stringify({ ...dto, obligations: dto.obligations ?? [], startedBy })) as StartCandidacyInput;
  }

  private toResponse(workflowId: string, state: CandidacyState): CandidacyResponseDto {
    return { workflowId, ...state };
  }
}
