import { SCORE_RANGE, type CriterionScores } from '@kudak/contracts';

export function isScore(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= SCORE_RANGE.min && (value as number) <= SCORE_RANGE.max;
}

/**
 * An evaluation is satisfactory when each of UNICEF's core criteria reaches the pass score and the
 * local indicators do on average (a city without local indicators is judged on the core alone).
 */
export function isSatisfactory(scores: CriterionScores, passScore: number): boolean {
  const core = [scores.resultsForChildren, scores.childParticipation, scores.nonDiscrimination];
  const local = scores.localIndicators.map((i) => i.score);
  const localAverage = local.length ? local.reduce((a, b) => a + b, 0) / local.length : passScore;
  return core.every((s) => s >= passScore) && localAverage >= passScore;
}
