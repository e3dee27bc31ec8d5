import {
  committeeAssignees,
  DEFAULT_POLICY,
  policyProblems,
  resolvePolicy,
  sitsOnCommittee,
  startCommittee,
} from './candidacy-policy';
import type { Contact } from './candidacy.types';

describe('resolvePolicy', () => {
  it("defaults to the article's calendar", () => {
    const sut = resolvePolicy({ committee: { members: ['m1'], quorum: 1 } });
    expect(sut).toMatchObject({
      actionPlanMonths: 1,
      programmeMonths: 18,
      evaluationIntervalMonths: 6,
      recognitionYears: 4,
      appealWindowDays: 30,
      version: DEFAULT_POLICY.version,
    });
  });

  it('keeps the default where an override is present but undefined', () => {
    const sut = resolvePolicy({ programmeMonths: undefined, appealWindowDays: 10 });
    expect(sut.programmeMonths).toBe(18);
    expect(sut.appealWindowDays).toBe(10);
  });
});

describe('policyProblems', () => {
  it('accepts a sound policy', () => {
    expect(policyProblems(resolvePolicy({ committee: { members: ['a', 'b'], quorum: 2 } }))).toEqual([]);
  });

  it('names every rule a policy breaks', () => {
    const sut = resolvePolicy({ committee: { members: ['a', 'a'], quorum: 3 }, programmeMonths: 20 });
    expect(policyProblems(sut)).toEqual([
      'policy.committee.members must not repeat a member',
      'policy.committee.quorum must be between 1 and the number of members',
      'policy.programmeMonths must be a multiple of policy.evaluationIntervalMonths',
    ]);
  });
});

describe('an open committee (no members named)', () => {
  it('is a sound policy with a quorum of 1, and only with that quorum', () => {
    expect(policyProblems(resolvePolicy({ committee: { members: [], quorum: 1 } }))).toEqual([]);
    expect(policyProblems(resolvePolicy({ committee: { members: [], quorum: 2 } }))).toEqual([
      'policy.committee.quorum must be 1 when the committee names no members',
    ]);
  });

  it('lets any committee member sit and names no assignees; a named committee only its members', () => {
    const open = { members: [], quorum: 1 };
    expect(sitsOnCommittee(open, 'anyone')).toBe(true);
    expect(committeeAssignees(open)).toBeUndefined();
    const named = { members: ['m1', 'm2'], quorum: 2 };
    expect(sitsOnCommittee(named, 'm1')).toBe(true);
    expect(sitsOnCommittee(named, 'm3')).toBe(false);
    expect(committeeAssignees(named)).toEqual(['m1', 'm2']);
  });
});

describe('startCommittee', () => {
  const contact = (id: string, role: Contact['role']): Contact => ({ id, name: id, role, locale: 'en' });
  const contacts = [
    contact('focal', 'administrator'),
    contact('c1', 'committee_member'),
    contact('c2', 'committee_member'),
  ];

  it('keeps the members and quorum a start names', () => {
    expect(startCommittee({ members: ['x'], quorum: 1 }, contacts)).toEqual({ members: ['x'], quorum: 1 });
  });

  it("defaults the members to the contacts who are committee members, the quorum to the policy's", () => {
    expect(startCommittee(undefined, contacts)).toEqual({ members: ['c1', 'c2'], quorum: 1 });
    expect(startCommittee({ quorum: 2 }, contacts)).toEqual({ members: ['c1', 'c2'], quorum: 2 });
  });

  it('is an open committee when no contact is a committee member', () => {
    const sut = startCommittee(undefined, [contact('focal', 'administrator')]);
    expect(sut).toEqual({ members: [], quorum: 1 });
    expect(policyProblems(resolvePolicy({ committee: sut }))).toEqual([]);
  });
});
