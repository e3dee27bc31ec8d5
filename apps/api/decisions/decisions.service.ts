import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { KudakConfig } from '@kudak/config';
import {
  candidacyWorkflowId,
  districtPlanWorkflowId,
  type CandidacyState,
  type DecisionInput,
  type DecisionRecord,
} from '@kudak/contracts';
import { toActor, type Identity } from '../auth/identity';
import { CandidacyAccessService } from '../candidacies/candidacy-access.service';
import { idempotentId, IdempotencyKeys } from '../common/idempotency-key';
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
    private readonly config: KudakConfig,
    private readonly idempotencyKeys: IdempotencyKeys,
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
    // A closed candidacy takes no new decision: a 409 saying so. A repeat under an Idempotency-Key
    // goes on to Temporal, which still answers an update it completed (the withdrawal that closed it).
    if (state.closedAt && !idempotencyKey) throw closed(state);
    const parentId = candidacyWorkflowId(target.cityId);
    let workflowId = parentId;
    if (target.districtId !== undefined) {
      if (!state.districts.some((d) => d.id === target.districtId)) {
        throw new NotFoundException(`City '${target.cityId}' has no district '${target.districtId}'`);
      }
      workflowId = districtPlanWorkflowId(parentId, target.districtId);
    }
    // Checked before anything is sent (or a key bound): a reference to an unknown document changes nothing.
    const documents = body.documents?.length ? await this.documents.resolve(target.cityId, body.documents) : undefined;
    // Plain JSON: DTO class instances would cross the payload converter as their fields anyway.
    const request = JSON.parse(JSON.stringify(body)) as DecisionBody<I>;
    let updateId: string | undefined;
    if (idempotencyKey) {
      const keyId = idempotentId([identity.sub, workflowId, update.name, idempotencyKey]);
      await this.idempotencyKeys.assertSameRequest(keyId, idempotencyKey, request);
      updateId = `${update.name}-${keyId}`;
    }
    const input = { ...request, documents, actor: toActor(identity) } as unknown as I;
    // An Update waits for a worker to take it: bounded as a whole (the SDK polls until it is
    // accepted), so a caller gets a 503 when no worker answers. Under the same key, a retry is the
    // same Temporal update id: whether the first one was applied meanwhile or not, it acts once.
    const deadline = Date.now() + this.config.temporal.deadlines.updateMs;
    try {
      return await this.client.connection.withDeadline(deadline, () =>
        this.client.workflow.getHandle(workflowId).executeUpdate(update, { args: [input], updateId }),
      );
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        // Closed, and no decision was taken under this key.
        if (state.closedAt) throw closed(state);
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
