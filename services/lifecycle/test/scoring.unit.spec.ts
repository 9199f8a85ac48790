import type { CriterionScore } from '@s3p/contracts';
import type { Criterion } from '../src/domain/scoring';
import {
  needsConsensus,
  panelScore,
  passes,
  scoreProblems,
  shownScore,
  weightedScore,
} from '../src/domain/scoring';

const criteria: Criterion[] = [
  { id: 'relevance', name: 'Relevance', weight: 40, maxScore: 5 },
  { id: 'quality', name: 'Quality of the work plan', weight: 35, maxScore: 10 },
  { id: 'impact', name: 'Expected impact', weight: 25, maxScore: 4 },
];

const scores = (relevance: number, quality: number, impact: number): CriterionScore[] => [
  { criterionId: 'relevance', score: relevance },
  { criterionId: 'quality', score: quality },
  { criterionId: 'impact', score: impact },
];

describe('scoreProblems', () => {
  it('finds nothing wrong with every criterion scored once within its range', () => {
    expect(scoreProblems(criteria, scores(3, 7, 2))).toEqual([]);
  });

  it('accepts the maximum and zero', () => {
    expect(scoreProblems(criteria, scores(5, 10, 4))).toEqual([]);
    expect(scoreProblems(criteria, scores(0, 0, 0))).toEqual([]);
  });

  it('accepts the criteria in any order', () => {
    expect(scoreProblems(criteria, [...scores(1, 2, 3)].reverse())).toEqual([]);
  });

  it('refuses a criterion the call does not have, at its index', () => {
    expect(scoreProblems(criteria, [...scores(3, 7, 2), { criterionId: 'originality', score: 1 }])).toEqual([
      { path: 'scores.3.criterionId', message: 'the call has no criterion originality' },
    ]);
  });

  it('refuses a score above the criterion maximum, at its index', () => {
    expect(scoreProblems(criteria, scores(3, 11, 2))).toEqual([
      { path: 'scores.1.score', message: 'at most 10 for quality' },
    ]);
  });

  it('refuses a score above one criterion maximum though it is within another', () => {
    // 5 is fine for relevance (max 5) but not for impact (max 4).
    expect(scoreProblems(criteria, scores(5, 5, 5))).toEqual([
      { path: 'scores.2.score', message: 'at most 4 for impact' },
    ]);
  });

  it('refuses a criterion scored twice, at the second occurrence', () => {
    expect(scoreProblems(criteria, [...scores(3, 7, 2), { criterionId: 'relevance', score: 4 }])).toEqual([
      { path: 'scores.3.criterionId', message: 'relevance is scored twice' },
    ]);
  });

  it('reports every repetition of a criterion scored three times', () => {
    const thrice = [
      ...scores(3, 7, 2),
      { criterionId: 'impact', score: 1 },
      { criterionId: 'impact', score: 0 },
    ];
    expect(scoreProblems(criteria, thrice)).toEqual([
      { path: 'scores.3.criterionId', message: 'impact is scored twice' },
      { path: 'scores.4.criterionId', message: 'impact is scored twice' },
    ]);
  });

  it('reports both problems of a repeated score above the maximum', () => {
    expect(scoreProblems(criteria, [...scores(3, 7, 2), { criterionId: 'impact', score: 9 }])).toEqual([
      { path: 'scores.3.score', message: 'at most 4 for impact' },
      { path: 'scores.3.criterionId', message: 'impact is scored twice' },
    ]);
  });

  it('refuses a criterion left unscored', () => {
    expect(
      scoreProblems(criteria, [
        { criterionId: 'relevance', score: 3 },
        { criterionId: 'impact', score: 2 },
      ]),
    ).toEqual([{ path: 'scores', message: 'quality is not scored' }]);
  });

  it('lists every criterion when nothing is scored', () => {
    expect(scoreProblems(criteria, [])).toEqual([
      { path: 'scores', message: 'relevance is not scored' },
      { path: 'scores', message: 'quality is not scored' },
      { path: 'scores', message: 'impact is not scored' },
    ]);
  });

  it('does not count an unknown criterion for a missing one', () => {
    expect(
      scoreProblems(criteria, [
        { criterionId: 'relevance', score: 3 },
        { criterionId: 'qualty', score: 7 },
        { criterionId: 'impact', score: 2 },
      ]),
    ).toEqual([
      { path: 'scores.1.criterionId', message: 'the call has no criterion qualty' },
      { path: 'scores', message: 'quality is not scored' },
    ]);
  });
});

describe('weightedScore', () => {
  it('is 100 when every criterion has its maximum', () => {
    expect(weightedScore(criteria, scores(5, 10, 4))).toBe(100);
  });

  it('is 0 when every criterion has zero', () => {
    expect(weightedScore(criteria, scores(0, 0, 0))).toBe(0);
  });

  it("gives each criterion its weight's share of the maximum", () => {
    // relevance 5/5 × 40, quality 0, impact 0
    expect(weightedScore(criteria, scores(5, 0, 0))).toBe(40);
    expect(weightedScore(criteria, scores(0, 10, 0))).toBe(35);
    expect(weightedScore(criteria, scores(0, 0, 4))).toBe(25);
  });

  it('scales each score by its own maximum', () => {
    // 3/5 × 40 + 7/10 × 35 + 2/4 × 25 = 24 + 24.5 + 12.5
    expect(weightedScore(criteria, scores(3, 7, 2))).toBe(61);
    // 4/5 × 40 + 5/10 × 35 + 1/4 × 25 = 32 + 17.5 + 6.25
    expect(weightedScore(criteria, scores(4, 5, 1))).toBe(55.75);
  });

  it('does not depend on the order of the scores', () => {
    expect(weightedScore(criteria, [...scores(4, 5, 1)].reverse())).toBe(55.75);
  });

  it('is exact: a third of a maximum stays a third, however long its decimals', () => {
    const thirds: Criterion[] = [
      { id: 'a', name: 'First', weight: 50, maxScore: 3 },
      { id: 'b', name: 'Second', weight: 50, maxScore: 3 },
    ];
    const of = (a: number, b: number) => [
      { criterionId: 'a', score: a },
      { criterionId: 'b', score: b },
    ];
    expect(weightedScore(thirds, of(1, 0))).toBeCloseTo(50 / 3, 12);
    expect(weightedScore(thirds, of(2, 2))).toBeCloseTo(200 / 3, 12);
    expect(weightedScore(thirds, of(2, 2))).not.toBe(66.67);
    expect(weightedScore(thirds, of(3, 3))).toBe(100);
  });

  it('works with weights that are not whole numbers', () => {
    const uneven: Criterion[] = [
      { id: 'a', name: 'First', weight: 33.3, maxScore: 10 },
      { id: 'b', name: 'Second', weight: 66.7, maxScore: 10 },
    ];
    expect(
      weightedScore(uneven, [
        { criterionId: 'a', score: 10 },
        { criterionId: 'b', score: 5 },
      ]),
    ).toBeCloseTo(66.65, 12);
  });

  it('counts a criterion without a score as zero', () => {
    expect(weightedScore(criteria, [{ criterionId: 'relevance', score: 5 }])).toBe(40);
  });

  it('ignores a score for a criterion the call does not have', () => {
    expect(weightedScore(criteria, [...scores(3, 7, 2), { criterionId: 'originality', score: 100 }])).toBe(
      61,
    );
  });
});

describe('shownScore', () => {
  it('rounds to two decimals, a half cent of a point up', () => {
    expect(shownScore(50 / 3)).toBe(16.67);
    expect(shownScore(100 / 3)).toBe(33.33);
    expect(shownScore(6.875)).toBe(6.88);
    expect(shownScore(70)).toBe(70);
  });
});

describe('needsConsensus', () => {
  it('is not needed for no score or a single score', () => {
    expect(needsConsensus([], 15)).toBe(false);
    expect(needsConsensus([42], 0)).toBe(false);
  });

  it('is not needed when the scores are equal, even with no tolerance', () => {
    expect(needsConsensus([70, 70, 70], 0)).toBe(false);
  });

  it('is needed when the gap exceeds the tolerance', () => {
    expect(needsConsensus([70, 85.01], 15)).toBe(true);
    expect(needsConsensus([50, 80], 15)).toBe(true);
  });

  it('is not needed when the gap is exactly the tolerance', () => {
    expect(needsConsensus([70, 85], 15)).toBe(false);
    expect(needsConsensus([85, 70], 15)).toBe(false);
  });

  it('is not needed for a gap equal to the tolerance that floating point makes slightly larger', () => {
    // 16.01 - 1.01 is 15.000000000000002 and 16.1 - 6.1 is 10.000000000000002 in binary floating point.
    expect(16.01 - 1.01).toBeGreaterThan(15);
    expect(needsConsensus([1.01, 16.01], 15)).toBe(false);
    expect(needsConsensus([6.1, 16.1], 10)).toBe(false);
    expect(needsConsensus([70.1, 85.1], 15)).toBe(false);
  });

  it('is needed for the smallest gap a weighted score can show above the tolerance', () => {
    expect(needsConsensus([60, 75.01], 15)).toBe(true);
    expect(needsConsensus([60, 60.01], 0)).toBe(true);
  });

  it('takes the gap between the highest and the lowest of several scores', () => {
    expect(needsConsensus([72, 60, 80, 65], 15)).toBe(true); // 80 - 60 = 20
    expect(needsConsensus([72, 61, 76, 65], 15)).toBe(false); // 76 - 61 = 15
  });
});

describe('panelScore', () => {
  it('is the one score of a panel of one', () => {
    expect(panelScore([67.5])).toBe(67.5);
  });

  it('is the mean of the scores', () => {
    expect(panelScore([60, 80])).toBe(70);
    expect(panelScore([55.75, 61, 70.25])).toBe(62.333333333333336);
  });

  it('is not rounded: a mean just under a threshold stays under it', () => {
    expect(panelScore([70, 70, 71])).toBeCloseTo(70 + 1 / 3, 12);
    expect(passes(panelScore([69.99, 69.99, 70.01]), 70)).toBe(false); // 69.9966…, shown as 70
    expect(shownScore(panelScore([69.99, 69.99, 70.01]))).toBe(70);
  });

  it('does not depend on the order of the scores', () => {
    expect(panelScore([71, 70, 71])).toBe(panelScore([70, 71, 71]));
  });
});

describe('passes', () => {
  it('passes at exactly the threshold', () => {
    expect(passes(70, 70)).toBe(true);
  });

  it('passes above the threshold', () => {
    expect(passes(70.01, 70)).toBe(true);
    expect(passes(100, 70)).toBe(true);
  });

  it('fails below the threshold, by the smallest step of a score', () => {
    expect(passes(69.99, 70)).toBe(false);
  });

  it('passes a score equal to the threshold but for floating point', () => {
    expect(passes(0.1 + 0.2, 0.3)).toBe(true);
  });

  it('passes everything with a threshold of zero, and only full marks with 100', () => {
    expect(passes(0, 0)).toBe(true);
    expect(passes(100, 100)).toBe(true);
    expect(passes(99.99, 100)).toBe(false);
  });
});

describe('scoring from reviews to the panel', () => {
  it('takes reviewers within the tolerance to the mean, which is compared with the threshold', () => {
    const first = weightedScore(criteria, scores(4, 7, 3)); // 32 + 24.5 + 18.75
    const second = weightedScore(criteria, scores(3, 8, 3)); // 24 + 28 + 18.75
    expect([first, second]).toEqual([75.25, 70.75]);
    expect(needsConsensus([first, second], 15)).toBe(false);
    expect(panelScore([first, second])).toBe(73);
    expect(passes(panelScore([first, second]), 73)).toBe(true);
    expect(passes(panelScore([first, second]), 73.01)).toBe(false);
  });
});

describe('scoring decides on exact figures, shows rounded ones', () => {
  const thirds: Criterion[] = [
    { id: 'a', name: 'First', weight: 50, maxScore: 3 },
    { id: 'b', name: 'Second', weight: 50, maxScore: 3 },
  ];
  const of = (a: number, b: number) => [
    { criterionId: 'a', score: a },
    { criterionId: 'b', score: b },
  ];

  it('a review of exactly two thirds does not pass a threshold of 66.67', () => {
    const score = weightedScore(thirds, of(2, 2));
    expect(shownScore(score)).toBe(66.67);
    expect(passes(score, 66.67)).toBe(false);
    expect(passes(score, 200 / 3)).toBe(true);
  });

  it('a gap of 16.666… is above a tolerance of 16.67 only when rounded: it is not', () => {
    const low = weightedScore(thirds, of(1, 1)); // 33.33…
    const high = weightedScore(thirds, of(2, 1)); // 50
    expect(shownScore(high) - shownScore(low)).toBeCloseTo(16.67, 10);
    expect(needsConsensus([low, high], 16.67)).toBe(false);
    expect(needsConsensus([low, high], 16.66)).toBe(true);
  });
});
