import { condition, setHandler } from '@temporalio/workflow';
import { CANDIDACY_STAGES, DECISIONS, ROLES, type CandidacyStage, type Obligation, type Role } from '@kudak/contracts';
import { nowIso, nowMs } from '../../shared/clock';
import { optionalText, refuse, requireActor, requireOneOf, requireText } from '../../shared/refusals';
import type { CandidacyRun } from '../candidacy-run';

// The ledger of the MoU's obligations: added and fulfilled at any stage, overdue notices as due
// dates pass, and the stages an unfulfilled obligation holds closed. Each open obligation is a task
// of its party (and of the administrators once overdue).

/** Opens (or finds) an unfulfilled obligation's task; once overdue, the administrators' too. */
function obligationTask(run: CandidacyRun, o: Obligation): void {
  const task =
    run.board.forObligation(o.id) ??
    run.board.open({ kind: 'FULFIL_OBLIGATION', assigneeRole: o.partyRole, obligationId: o.id, dueAt: o.dueAt });
  if (o.status === 'OVERDUE') run.board.overdue(task, ['administrator']);
}

/** Every unfulfilled obligation has its task (those given at start, and after a renewal). */
export function openObligationTasks(run: CandidacyRun): void {
  if (!run.features.tasksForEveryDeadline) return;
  for (const o of run.state.obligations) if (o.status !== 'FULFILLED') obligationTask(run, o);
}

export function registerObligationHandlers(run: CandidacyRun): void {
  const { state } = run;
  const adding = DECISIONS.addObligation;
  setHandler(
    adding.update,
    (update) => {
      const obligation: Obligation = { ...update.obligation, status: 'OPEN' };
      state.obligations.push(obligation);
      run.obligationsVersion++;
      if (run.features.tasksForEveryDeadline) obligationTask(run, obligation);
      return run.decide('OBLIGATION_ADDED', update.actor, update.reason, {
        obligationId: update.obligation.id,
        party: update.obligation.party,
        dueAt: update.obligation.dueAt,
      });
    },
    {
      validator: (update) => {
        requireActor(update, ...adding.roles);
        if (state.stage === 'WITHDRAWN') refuse('the candidacy has been withdrawn');
        const o = update.obligation;
        if (!o || typeof o !== 'object') refuse('obligation is required', 'INVALID');
        requireText(o.id, 'obligation.id', adding.limits['obligation.id']);
        if (state.obligations.some((x) => x.id === o.id)) refuse(`obligation ${o.id} already exists`);
        requireText(o.party, 'obligation.party', adding.limits['obligation.party']);
        requireOneOf(o.partyRole, ROLES, 'obligation.partyRole');
        requireText(o.owedTo, 'obligation.owedTo', adding.limits['obligation.owedTo']);
        requireText(o.description, 'obligation.description', adding.limits['obligation.description']);
        if (typeof o.dueAt !== 'string' || Number.isNaN(Date.parse(o.dueAt))) {
          refuse('obligation.dueAt must be an ISO-8601 date', 'INVALID');
        }
        if (o.gatesStage !== undefined) requireOneOf(o.gatesStage, CANDIDACY_STAGES, 'obligation.gatesStage');
        optionalText(update.reason, 'reason', adding.limits.reason);
      },
    },
  );

  const fulfilling = DECISIONS.fulfilObligation;
  setHandler(
    fulfilling.update,
    (update) => {
      const obligation = state.obligations.find((o) => o.id === update.obligationId)!;
      Object.assign(obligation, {
        status: 'FULFILLED',
        evidence: update.evidence,
        fulfilledBy: update.actor,
        fulfilledAt: nowIso(),
      });
      run.obligationsVersion++;
      // (Before the change, a gate's task closed when the gate opened: left to it.)
      const task = run.features.tasksForEveryDeadline ? run.board.forObligation(obligation.id) : undefined;
      if (task) run.board.close(task);
      run.refreshOverdue();
      return run.decide('OBLIGATION_FULFILLED', update.actor, update.reason, {
        obligationId: obligation.id,
        party: obligation.party,
        evidence: update.evidence,
      });
    },
    {
      validator: (update) => {
        const obligation = state.obligations.find((o) => o.id === update?.obligationId);
        if (!obligation) refuse(`no obligation ${String(update?.obligationId)}`);
        // Of the decision's roles, only the administrators and the one that answers for the party.
        requireActor(update, ...new Set<Role>(['administrator', obligation.partyRole]));
        if (state.stage === 'WITHDRAWN') refuse('the candidacy has been withdrawn');
        if (obligation.status === 'FULFILLED') refuse(`obligation ${obligation.id} is already fulfilled`);
        requireText(update.evidence, 'evidence', fulfilling.limits.evidence);
      },
    },
  );
}

/** A stage gated by an obligation opens only once that obligation is fulfilled. */
export async function passGate(run: CandidacyRun, stage: CandidacyStage): Promise<void> {
  const gating = run.state.obligations.filter((o) => o.gatesStage === stage && o.status !== 'FULFILLED');
  if (run.features.tasksForEveryDeadline) {
    // The obligation's own task shows who blocks the stage.
    for (const o of gating) obligationTask(run, o);
    await condition(() => gating.every((o) => o.status === 'FULFILLED'));
    return;
  }
  await Promise.all(
    gating.map(async (o) => {
      // The obligations watcher sends the overdue notices; this task shows who blocks the stage.
      const task = run.board.open({
        kind: 'FULFIL_OBLIGATION',
        assigneeRole: o.partyRole,
        obligationId: o.id,
        dueAt: o.dueAt,
      });
      await condition(() => o.status === 'FULFILLED');
      run.board.close(task);
    }),
  );
}

/** Sends overdue notices for the ledger's commitments as their due dates pass. */
export async function watchObligations(run: CandidacyRun): Promise<void> {
  const { state } = run;
  while (!run.closing) {
    const version = run.obligationsVersion;
    const next = state.obligations
      .filter((o) => o.status === 'OPEN')
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0];
    const changed = () => run.obligationsVersion !== version || run.closing;
    if (!next) {
      await condition(changed);
      continue;
    }
    const wait = Date.parse(next.dueAt) - nowMs();
    if (wait > 0 && (await condition(changed, wait))) continue;
    next.status = 'OVERDUE';
    if (run.features.tasksForEveryDeadline) obligationTask(run, next);
    run.refreshOverdue();
    run.effects.notify([next.partyRole, 'administrator'], 'OBLIGATION_OVERDUE', {
      obligationId: next.id,
      party: next.party,
      owedTo: next.owedTo,
      description: next.description,
      dueAt: next.dueAt,
    });
  }
}
