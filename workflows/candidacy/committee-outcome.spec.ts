import type { Actor, CommitteeBallot, Vote } from '@kudak/contracts';
import { committeeOutcome } from './committee-outcome';

const member = (n: number): Actor => ({ id: `member-${n}`, role: 'committee_member', organisation: 'Committee' });
const vote = (n: number, v: Vote): CommitteeBallot => ({
  memberId: `member-${n}`,
  actor: member(n),
  vote: v,
  recused: false,
  at: '2026-01-01T00:00:00.000Z',
});
const recusal = (n: number): CommitteeBallot => ({
  memberId: `member-${n}`,
  actor: member(n),
  recused: true,
  reason: 'conflict of interest',
  at: '2026-01-01T00:00:00.000Z',
});

describe('committeeOutcome', () => {
  it('decides nothing below the quorum of votes, and recusals do not count towards it', () => {
    expect(committeeOutcome([], 1)).toBeUndefined();
    expect(committeeOutcome([vote(1, 'APPROVE')], 2)).toBeUndefined();
    expect(committeeOutcome([vote(1, 'APPROVE'), recusal(2)], 2)).toBeUndefined();
  });

  it('approves on a majority of approvals, naming the members who voted against as dissenters', () => {
    expect(committeeOutcome([vote(1, 'APPROVE'), recusal(2), vote(3, 'REJECT'), vote(4, 'APPROVE')], 3)).toEqual({
      outcome: 'APPROVED',
      approvals: 2,
      rejections: 1,
      recusals: 1,
      dissenters: ['member-3'],
    });
  });

  it('rejects on a majority of rejections, the approving members dissenting', () => {
    expect(committeeOutcome([vote(1, 'REJECT'), vote(2, 'REJECT'), vote(3, 'APPROVE')], 2)).toEqual({
      outcome: 'REJECTED',
      approvals: 1,
      rejections: 2,
      recusals: 0,
      dissenters: ['member-3'],
    });
  });

  it('rejects on a tie', () => {
    expect(committeeOutcome([vote(1, 'APPROVE'), vote(2, 'REJECT')], 2)).toMatchObject({
      outcome: 'REJECTED',
      dissenters: ['member-1'],
    });
  });

  it('is unanimous when every vote wins', () => {
    expect(committeeOutcome([vote(1, 'APPROVE'), vote(2, 'APPROVE')], 1)).toMatchObject({ dissenters: [] });
  });
});
