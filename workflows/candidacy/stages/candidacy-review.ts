import { setHandler } from '@temporalio/workflow';
import {
  addPolicyDuration,
  committeeAssignees,
  DECISIONS,
  iso,
  sitsOnCommittee,
  VOTES,
  type CommitteeRound,
} from '@kudak/contracts';
import { nowIso, nowMs } from '../../shared/clock';
import { optionalText, refuse, requireActor, requireOneOf, requireText } from '../../shared/refusals';
import { STEERING_COMMITTEE, type CandidacyRun, type StepOutcome } from '../candidacy-run';
import { closedVote, committeeOutcome } from '../committee-outcome';

// Candidacy review: the national steering committee votes, then UNICEF endorses (the candidacy
// logo) or declines.

const currentRound = (run: CandidacyRun): CommitteeRound | undefined =>
  run.state.committeeRounds[run.state.committeeRounds.length - 1];

/**
 * Closes the round if its vote is over: at the quorum (before the change), else when every member
 * has voted, the outcome is settled, or the deadline has passed with the quorum reached.
 */
function closeIfDecided(run: CandidacyRun, round: CommitteeRound, deadlinePassed: boolean): void {
  const { committee } = run.policy;
  const outcome = run.features.committeeWaitsForMembers
    ? closedVote(round.ballots, committee, deadlinePassed)
    : committeeOutcome(round.ballots, committee.quorum);
  if (!outcome) return;
  round.outcome = outcome.outcome;
  round.dissenters = outcome.dissenters;
  run.decide('COMMITTEE_OUTCOME', STEERING_COMMITTEE, undefined, { round: round.round, ...outcome });
}

export function registerCandidacyReviewHandlers(run: CandidacyRun): void {
  const { policy } = run;
  const voting = DECISIONS.castCommitteeVote;
  setHandler(
    voting.update,
    (update) => {
      const round = currentRound(run)!;
      const recused = update.recuse === true;
      round.ballots.push({
        memberId: update.actor.id,
        actor: update.actor,
        vote: recused ? undefined : update.vote,
        recused,
        reason: update.reason,
        at: nowIso(),
      });
      const task = run.board.find('COMMITTEE_VOTE');
      if (task?.assignees) task.assignees = task.assignees.filter((m) => m !== update.actor.id);
      const decision = run.decide(recused ? 'COMMITTEE_RECUSAL' : 'COMMITTEE_VOTE', update.actor, update.reason, {
        round: round.round,
        vote: recused ? null : update.vote!,
      });
      closeIfDecided(run, round, task?.dueAt !== undefined && nowMs() >= Date.parse(task.dueAt));
      return decision;
    },
    {
      validator: (update) => {
        const actor = requireActor(update, ...voting.roles);
        run.requireStage(...voting.stages);
        if (!sitsOnCommittee(policy.committee, actor.id))
          refuse(`${actor.id} is not a member of the steering committee`, 'FORBIDDEN');
        const round = currentRound(run);
        if (!round || round.outcome || !run.board.find('COMMITTEE_VOTE')) refuse('no committee vote is open');
        if (round.ballots.some((b) => b.memberId === actor.id)) {
          refuse(`${actor.id} has already voted or recused in round ${round.round}`);
        }
        if (update.recuse === true) {
          if (update.vote !== undefined) refuse('a recusal carries no vote', 'INVALID');
          requireText(update.reason, 'reason (why the member recuses)', voting.limits.reason);
        } else {
          const vote = requireOneOf(update.vote, VOTES, 'vote');
          if (vote === 'REJECT')
            requireText(update.reason, 'reason (why the member votes to reject)', voting.limits.reason);
          else optionalText(update.reason, 'reason', voting.limits.reason);
        }
      },
    },
  );

  const endorsing = DECISIONS.endorseCandidacy;
  setHandler(
    endorsing.update,
    (update) => {
      run.endorsement = run.decide(
        update.decision === 'ENDORSE' ? 'UNICEF_ENDORSED' : 'UNICEF_DECLINED',
        update.actor,
        update.reason,
      );
      return run.endorsement;
    },
    {
      validator: (update) => {
        requireActor(update, ...endorsing.roles);
        run.requireStage(...endorsing.stages);
        run.requireTask('ENDORSE_CANDIDACY', "UNICEF's endorsement");
        const choice = requireOneOf(update.decision, ['ENDORSE', 'DECLINE'] as const, 'decision');
        if (choice === 'DECLINE') requireText(update.reason, 'reason (why UNICEF declines)', endorsing.limits.reason);
      },
    },
  );
}

export async function candidacyReview(run: CandidacyRun): Promise<StepOutcome> {
  const { state, policy, board } = run;
  const round: CommitteeRound = { round: state.committeeRounds.length + 1, openedAt: nowIso(), ballots: [] };
  state.committeeRounds.push(round);
  const vote = board.open({
    kind: 'COMMITTEE_VOTE',
    assigneeRole: 'committee_member',
    assignees: committeeAssignees(policy.committee),
    dueAt: iso(addPolicyDuration(nowMs(), policy, 'committeeDecisionDays')),
  });
  // The deadline closes a vote that has its quorum (after the change; before, the quorum did).
  const atDeadline = run.features.committeeWaitsForMembers ? () => closeIfDecided(run, round, true) : undefined;
  await board.await(vote, () => round.outcome !== undefined, ['administrator', 'ministry_officer'], atDeadline);
  if (round.outcome === 'REJECTED') {
    const outcome = state.decisions.find((d) => d.kind === 'COMMITTEE_OUTCOME' && d.details?.round === round.round)!;
    run.reject('CANDIDACY_REVIEW', outcome, 'the steering committee rejected the candidacy');
    return;
  }

  run.endorsement = undefined;
  const endorse = board.open({
    kind: 'ENDORSE_CANDIDACY',
    assigneeRole: 'unicef_officer',
    dueAt: iso(addPolicyDuration(nowMs(), policy, 'unicefEndorsementDays')),
  });
  await board.await(endorse, () => run.endorsement !== undefined);
  const endorsement = run.endorsement!;
  if (endorsement.kind === 'UNICEF_DECLINED') {
    run.reject('CANDIDACY_REVIEW', endorsement, 'UNICEF declined to endorse the candidacy');
    return;
  }
  run.award('CANDIDACY_LOGO', endorsement.actor);
  run.enter('IMPLEMENTATION', ['committee_member']);
}
