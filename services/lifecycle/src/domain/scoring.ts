import type { CallSnapshot, CriterionScore } from '@s3p/contracts';

export type Criterion = CallSnapshot['criteria'][number];

/** The call's rules for scoring, as the pilot's workflow keeps them. */
export interface ScoringRules {
  criteria: Criterion[];
  /** Weighted score, in percent, an application must reach. */
  passThreshold: number;
  /** Largest gap between reviewers' weighted scores, in points, before a consensus step. */
  scoreTolerance: number;
}

export interface ScoreProblem {
  path: string;
  message: string;
}

/** What is wrong with a set of scores for these criteria: each criterion exactly once, within its range. */
export function scoreProblems(criteria: Criterion[], scores: CriterionScore[]): ScoreProblem[] {
  const problems: ScoreProblem[] = [];
  const seen = new Set<string>();
  scores.forEach((entry, index) => {
    const criterion = criteria.find((c) => c.id === entry.criterionId);
    if (!criterion) {
      problems.push({
        path: `scores.${index}.criterionId`,
        message: `the call has no criterion ${entry.criterionId}`,
      });
    } else if (entry.score > criterion.maxScore) {
      problems.push({
        path: `scores.${index}.score`,
        message: `at most ${criterion.maxScore} for ${criterion.id}`,
      });
    }
    if (seen.has(entry.criterionId)) {
      problems.push({ path: `scores.${index}.criterionId`, message: `${entry.criterionId} is scored twice` });
    }
    seen.add(entry.criterionId);
  });
  for (const criterion of criteria) {
    if (!seen.has(criterion.id)) problems.push({ path: 'scores', message: `${criterion.id} is not scored` });
  }
  return problems;
}

/**
 * Weighted score in percent of the maximum: each criterion's share of its maximum, times its
 * weight. Exact: thresholds and tolerances are applied to this, never to a rounded figure.
 */
export function weightedScore(criteria: Criterion[], scores: CriterionScore[]): number {
  return criteria.reduce((sum, criterion) => {
    const score = scores.find((s) => s.criterionId === criterion.id)?.score ?? 0;
    return sum + (score / criterion.maxScore) * criterion.weight;
  }, 0);
}

/** A score as people read it, to two decimals. */
export const shownScore = (score: number): number => Math.round(score * 100) / 100;

/** Far below any score's meaningful precision: absorbs floating-point error in sums of shares. */
const epsilon = 1e-9;

/** Whether the reviewers' weighted scores are too far apart to be averaged. */
export function needsConsensus(weightedScores: number[], tolerance: number): boolean {
  if (weightedScores.length < 2) return false;
  return Math.max(...weightedScores) - Math.min(...weightedScores) > tolerance + epsilon;
}

/** The panel's score: the mean of its reviewers' exact weighted scores. */
export const panelScore = (weightedScores: number[]): number =>
  weightedScores.reduce((sum, s) => sum + s, 0) / weightedScores.length;

export const passes = (score: number, threshold: number): boolean => score + epsilon >= threshold;
