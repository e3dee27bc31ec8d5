import type { CandidacyPolicy, CommitteeBallot, CommitteeRound } from '@kudak/contracts';

/** A decided round: its outcome and the counts recorded with it. */
export interface CommitteeOutcome {
  outcome: NonNullable<CommitteeRound['outcome']>;
  approvals: number;
  rejections: number;
  recusals: number;
  /** Members whose vote lost. */
  dissenters: string[];
}

/**
 * The steering committee's outcome once the quorum of votes is reached (recusals do not count
 * towards it); undefined before. A majority of approvals approves; a tie rejects.
 */
export function committeeOutcome(ballots: readonly CommitteeBallot[], quorum: number): CommitteeOutcome | undefined {
  const votes = ballots.filter((b) => b.vote);
  if (votes.length < quorum) return undefined;
  const approvals = votes.filter((b) => b.vote === 'APPROVE').length;
  const outcome = approvals > votes.length - approvals ? 'APPROVED' : 'REJECTED';
  const winning = outcome === 'APPROVED' ? 'APPROVE' : 'REJECT';
  return {
    outcome,
    approvals,
    rejections: votes.length - approvals,
    recusals: ballots.filter((b) => b.recused).length,
    dissenters: votes.filter((b) => b.vote !== winning).map((b) => b.memberId),
  };
}

/** Why a vote closed. */
export type VoteClosing = 'QUORUM' | 'ALL_VOTED' | 'SETTLED' | 'DEADLINE';

/**
 * The outcome of a round when its vote closes, or undefined while it stays open. An open committee
 * (no members named) closes at its quorum. A named committee's vote stays open until every member
 * who has not recused has voted, or the votes still to come can no longer change the outcome, or
 * its deadline has passed; then it closes if the quorum of votes is reached (else it waits for it).
 */
export function closedVote(
  ballots: readonly CommitteeBallot[],
  committee: CandidacyPolicy['committee'],
  deadlinePassed: boolean,
): (CommitteeOutcome & { closedBecause: VoteClosing }) | undefined {
  const outcome = committeeOutcome(ballots, committee.quorum);
  if (!outcome) return undefined;
  if (committee.members.length === 0) return { ...outcome, closedBecause: 'QUORUM' };
  const toCome = committee.members.filter((m) => !ballots.some((b) => b.memberId === m)).length;
  if (toCome === 0) return { ...outcome, closedBecause: 'ALL_VOTED' };
  // Every vote still to come against the lead (a tie rejects).
  const settled =
    outcome.outcome === 'APPROVED'
      ? outcome.approvals > outcome.rejections + toCome
      : outcome.approvals + toCome <= outcome.rejections;
  if (settled) return { ...outcome, closedBecause: 'SETTLED' };
  return deadlinePassed ? { ...outcome, closedBecause: 'DEADLINE' } : undefined;
}
