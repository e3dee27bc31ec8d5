import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { KudakConfig } from '@kudak/config';
import {
  CITY_SEARCH_ATTRIBUTE,
  COUNTRY_SEARCH_ATTRIBUTE,
  STAGE_SEARCH_ATTRIBUTE,
  candidacyWorkflowId,
  getCandidacyStateQuery,
  type CandidacyState,
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

  async start(dto: StartCandidacyDto, startedBy: string): Promise<CandidacyResponseDto> {
    const workflowId = candidacyWorkflowId(dto.cityId);
    try {
      const handle = await this.client.workflow.start<typeof candidacyWorkflow>('candidacyWorkflow', {
        workflowId,
        taskQueue: this.config.temporal.taskQueue,
        // A city has one candidacy, ever: even a finished one blocks a second start.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [{ ...dto, districts: dto.districts.map(({ id, name }) => ({ id, name })), startedBy }],
        typedSearchAttributes: [
          { key: CITY_SEARCH_ATTRIBUTE, value: dto.cityId },
          { key: COUNTRY_SEARCH_ATTRIBUTE, value: dto.country },
          { key: STAGE_SEARCH_ATTRIBUTE, value: 'COMMITMENT' },
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

  private toResponse(workflowId: string, state: CandidacyState): CandidacyResponseDto {
    return { workflowId, ...state };
  }
}
