import type { Actor, CommitteeBallot, Vote } from '@kudak/contracts';
import { closedVote, committeeOutcome } from './committee-outcome';

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

describe('closedVote', () => {
  const named = { members: ['member-1', 'member-2', 'member-3', 'member-4', 'member-5'], quorum: 3 };

  it('keeps a named committee open at the quorum while the votes to come could change the outcome', () => {
    expect(closedVote([vote(1, 'APPROVE'), vote(2, 'APPROVE'), vote(3, 'REJECT')], named, false)).toBeUndefined();
    expect(
      closedVote([vote(1, 'APPROVE'), vote(2, 'APPROVE'), vote(3, 'REJECT'), vote(4, 'REJECT')], named, false),
    ).toBeUndefined();
  });

  it('closes once every member who has not recused has voted, with the dissenters', () => {
    expect(
      closedVote(
        [vote(1, 'APPROVE'), recusal(2), vote(3, 'REJECT'), vote(4, 'APPROVE'), vote(5, 'REJECT')],
        named,
        false,
      ),
    ).toEqual({
      outcome: 'REJECTED',
      approvals: 2,
      rejections: 2,
      recusals: 1,
      dissenters: ['member-1', 'member-4'],
      closedBecause: 'ALL_VOTED',
    });
  });

  it('closes as soon as the votes to come cannot change the outcome', () => {
    expect(closedVote([vote(1, 'APPROVE'), vote(2, 'APPROVE'), vote(3, 'APPROVE')], named, false)).toMatchObject({
      outcome: 'APPROVED',
      closedBecause: 'SETTLED',
    });
    // Two rejections and a recusal are below the quorum of votes: open. A third rejection settles it.
    const rejecting = [vote(1, 'REJECT'), vote(2, 'REJECT')];
    expect(closedVote([...rejecting, recusal(3)], named, false)).toBeUndefined();
    expect(closedVote([...rejecting, vote(3, 'REJECT')], named, false)).toMatchObject({
      outcome: 'REJECTED',
      closedBecause: 'SETTLED',
    });
    // A tie rejects: two rejections against two approvals and one to come cannot become an approval.
    expect(
      closedVote([vote(1, 'REJECT'), vote(2, 'REJECT'), vote(3, 'APPROVE'), recusal(4)], named, false),
    ).toMatchObject({ outcome: 'REJECTED', closedBecause: 'SETTLED' });
  });

  it('closes at the deadline if the quorum is reached, and waits for the quorum if not', () => {
    const split = [vote(1, 'APPROVE'), vote(2, 'APPROVE'), vote(3, 'REJECT')];
    expect(closedVote(split, named, true)).toMatchObject({ outcome: 'APPROVED', closedBecause: 'DEADLINE' });
    expect(closedVote([vote(1, 'APPROVE'), vote(2, 'APPROVE')], named, true)).toBeUndefined();
  });

  it('closes an open committee at its quorum, as before', () => {
    expect(closedVote([vote(1, 'APPROVE')], { members: [], quorum: 1 }, false)).toMatchObject({
      outcome: 'APPROVED',
      closedBecause: 'QUORUM',
    });
  });
});
