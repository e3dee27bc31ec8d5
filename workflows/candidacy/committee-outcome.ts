import type { CommitteeBallot, CommitteeRound } from '@kudak/contracts';

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
