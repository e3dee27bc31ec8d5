import {
  ConflictException,
  HttpException,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  Client,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
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
import { sentButNotAnswered } from '../common/temporal-exception.filter';
import { DocumentsService, type DocumentReferenceRequest } from '../documents/documents.service';

/** After this long without an answer to an Update, whether Temporal is there at all is checked... */
const TEMPORAL_PROBE_AFTER_MS = 2_000;
/** ...by a call that gets this long. */
const TEMPORAL_PROBE_MS = 1_500;
/** The 503 of a decision Temporal was sent but did not answer. */
export const DECISION_MAY_STILL_BE_TAKEN =
  'Temporal did not answer in time, and the decision may still be taken: send it again with the same Idempotency-Key, which takes it once (without one, read the candidacy first)';

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
    // The token and the city's country decide who may act (403, 404); the workflow's validators
    // decide what it accepts. Nothing waits for a query to the candidacy on the way.
    await this.access.assertCandidacyCovered(identity, target.cityId);
    if (target.districtId !== undefined) this.access.assertCoversDistrict(identity, target.districtId);
    const parentId = candidacyWorkflowId(target.cityId);
    const workflowId = target.districtId === undefined ? parentId : districtPlanWorkflowId(parentId, target.districtId);
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
      return await this.unlessTemporalIsDown(
        this.client.connection.withDeadline(deadline, () =>
          this.againIfTaskFailed(deadline, () =>
            this.client.workflow.getHandle(workflowId).executeUpdate(update, { args: [input], updateId }),
          ),
        ),
      );
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw await this.whyNoWorkflow(identity, target);
      // Not taken up in time: a candidacy that closed meanwhile (its districts close with it, and an
      // Update sent as they close is never taken up) is a 409, anything else the 503.
      if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
        throw (await this.closedMeanwhile(identity, target)) ?? err;
      // The Update reached Temporal, which did not answer: it may still be taken, so a caller must
      // not send it as a new decision (a second vote, a second submission) but as the same one.
      if (sentButNotAnswered(err)) throw new ServiceUnavailableException(DECISION_MAY_STILL_BE_TAKEN);
      throw err;
    }
  }

  /**
   * Sends the Update again (same update id) when the workflow task carrying it failed, e.g. because
   * another event arrived as the candidacy closed: that Update was not applied, and the next task
   * decides it (or the candidacy, now closed, refuses it). A few times, within the deadline.
   */
  private async againIfTaskFailed<T>(deadline: number, send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (err) {
        const taskFailed = err instanceof ServiceError && /workflow task failure/i.test(String(err.cause?.message));
        if (!taskFailed || attempt >= 3 || Date.now() > deadline - 500) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  /**
   * The Update waits up to its deadline for a worker; Temporal itself being down need not take that
   * long to tell. Without an answer after a moment, a cheap call to the frontend checks that it is
   * there: if it is not, the caller gets its 503 now.
   */
  private async unlessTemporalIsDown<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const down = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.client.connection
          .withDeadline(Date.now() + TEMPORAL_PROBE_MS, () => this.client.workflowService.getSystemInfo({}))
          .catch(reject);
      }, TEMPORAL_PROBE_AFTER_MS);
    });
    try {
      return await Promise.race([work, down]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The 409 of a candidacy that is closed; undefined otherwise. A describe tells (no worker needed,
   * so a 503 for want of a worker is not delayed); only a closed one is read, from its result.
   */
  private async closedMeanwhile(identity: Identity, target: DecisionTarget): Promise<HttpException | undefined> {
    try {
      const { status } = await this.client.workflow.getHandle(candidacyWorkflowId(target.cityId)).describe();
      if (status.name === 'RUNNING') return undefined;
      const state = await this.access.state(identity, target.cityId);
      return state.closedAt ? closed(state) : undefined;
    } catch {
      return undefined; // unreadable too: the 503 stands
    }
  }

  /**
   * Why the Update found no workflow to take it, read from the candidacy only now that it failed: a
   * closed candidacy (and no decision taken under this key) or one that closed meanwhile is a 409,
   * an unknown district a 404, a district before district planning a 409.
   */
  private async whyNoWorkflow(identity: Identity, target: DecisionTarget): Promise<HttpException> {
    const state = await this.access.state(identity, target.cityId);
    if (state.closedAt) return closed(state);
    if (target.districtId !== undefined) {
      if (!state.districts.some((d) => d.id === target.districtId)) {
        return new NotFoundException(`City '${target.cityId}' has no district '${target.districtId}'`);
      }
      // District workflows exist only from district planning on.
      return new ConflictException(`District plans are not open: the candidacy is at ${state.stage}`);
    }
    // Running when read, so it closed after the Update failed: closed all the same.
    return closed(state);
  }
}

function closed(state: CandidacyState): ConflictException {
  return new ConflictException(`The candidacy is closed (${state.stage}); it takes no more decisions`);
}
