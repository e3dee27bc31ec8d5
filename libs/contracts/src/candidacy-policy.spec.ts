import { DEFAULT_POLICY, policyProblems, resolvePolicy } from './candidacy-policy';

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
