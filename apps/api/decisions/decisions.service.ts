import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import {
  candidacyWorkflowId,
  districtPlanWorkflowId,
  type CandidacyState,
  type DecisionInput,
  type DecisionRecord,
} from '@kudak/contracts';
import { toActor, type Identity } from '../auth/identity';
import { CandidacyAccessService } from '../candidacies/candidacy-access.service';
import { idempotentId } from '../common/idempotency-key';
import { DocumentsService, type DocumentReferenceRequest } from '../documents/documents.service';

export interface DecisionTarget {
  cityId: string;
  /** A district's decisions go to its district-plan workflow. */
  districtId?: string;
}

/** A decision's request body: the Update's input without the actor, documents by reference. */
export type DecisionBody<I extends DecisionInput> = Omit<I, 'actor' | 'documents'> & {
  documents?: DocumentReferenceRequest[];
};

/**
 * Sends a caller's decision to the candidacy (or district) workflow as an Update. The actor is the
 * caller's identity, and the documents are described as uploaded for the city (so the history
 * holds their hashes and metadata); the workflow's validator has the last word (wrong stage,
 * second vote...).
 */
@Injectable()
export class DecisionsService {
  constructor(
    private readonly client: Client,
    private readonly access: CandidacyAccessService,
    private readonly documents: DocumentsService,
  ) {}

  async decide<I extends DecisionInput>(
    identity: Identity,
    target: DecisionTarget,
    update: UpdateDefinition<DecisionRecord, [I]>,
    body: DecisionBody<I>,
    idempotencyKey?: string,
  ): Promise<DecisionRecord> {
    const state = await this.access.state(identity, target.cityId);
    if (target.districtId !== undefined) this.access.assertCoversDistrict(identity, target.districtId);
    // A closed candidacy takes no decision: a 409 saying so (Temporal would answer "not found").
    if (state.closedAt) throw closed(state);
    const parentId = candidacyWorkflowId(target.cityId);
    let workflowId = parentId;
    if (target.districtId !== undefined) {
      if (!state.districts.some((d) => d.id === target.districtId)) {
        throw new NotFoundException(`City '${target.cityId}' has no district '${target.districtId}'`);
      }
      workflowId = districtPlanWorkflowId(parentId, target.districtId);
    }
    // Checked before anything is sent: a reference to an unknown document changes nothing.
    const documents = body.documents?.length ? await this.documents.resolve(target.cityId, body.documents) : undefined;
    const updateId = idempotencyKey
      ? `${update.name}-${idempotentId([identity.sub, workflowId, update.name, idempotencyKey])}`
      : undefined;
    // Plain JSON: DTO class instances would cross the payload converter as their fields anyway.
    const input = { ...JSON.parse(JSON.stringify(body)), documents, actor: toActor(identity) } as I;
    try {
      return await this.client.workflow.getHandle(workflowId).executeUpdate(update, { args: [input], updateId });
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        // District workflows exist only from district planning on.
        if (target.districtId !== undefined) {
          throw new ConflictException(`District plans are not open: the candidacy is at ${state.stage}`);
        }
        // The candidacy was read a moment ago: it has closed since.
        throw closed(state);
      }
      throw err;
    }
  }
}

function closed(state: CandidacyState): ConflictException {
  return new ConflictException(`The candidacy is closed (${state.stage}); it takes no more decisions`);
}
