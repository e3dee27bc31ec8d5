import type { CriterionScores } from '@kudak/contracts';
import { isSatisfactory, isScore } from './evaluation-scoring';

const scores = (core: [number, number, number], local: number[]): CriterionScores => ({
  resultsForChildren: core[0],
  childParticipation: core[1],
  nonDiscrimination: core[2],
  localIndicators: local.map((score, i) => ({ name: `indicator ${i + 1}`, score })),
});

describe('isSatisfactory', () => {
  it('passes when every core criterion and the local average reach the pass score', () => {
    expect(isSatisfactory(scores([3, 3, 3], [3]), 3)).toBe(true);
    expect(isSatisfactory(scores([5, 4, 3], [2, 4]), 3)).toBe(true);
  });

  it('fails when any one core criterion is below the pass score, however high the others', () => {
    expect(isSatisfactory(scores([5, 2, 5], [5]), 3)).toBe(false);
    expect(isSatisfactory(scores([5, 5, 2], [5]), 3)).toBe(false);
  });

  it('fails when the local indicators average below the pass score', () => {
    expect(isSatisfactory(scores([4, 4, 4], [2, 3]), 3)).toBe(false);
  });

  it('judges a city without local indicators on the core criteria alone', () => {
    expect(isSatisfactory(scores([3, 3, 3], []), 3)).toBe(true);
    expect(isSatisfactory(scores([3, 3, 2], []), 3)).toBe(false);
  });

  it("follows the policy's pass score", () => {
    expect(isSatisfactory(scores([4, 4, 4], [4]), 5)).toBe(false);
    expect(isSatisfactory(scores([2, 2, 2], [2]), 2)).toBe(true);
  });
});

describe('isScore', () => {
  it('accepts the whole numbers 1 to 5 only', () => {
    expect([1, 2, 3, 4, 5].every(isScore)).toBe(true);
    for (const value of [0, 6, 2.5, '3', null, undefined, NaN]) expect(isScore(value)).toBe(false);
  });
});
