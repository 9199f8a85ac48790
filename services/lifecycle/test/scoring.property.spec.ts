import type { CriterionScore } from '@s3p/contracts';
import fc from 'fast-check';
import type { Criterion } from '../src/domain/scoring';
import { needsConsensus, panelScore, passes, scoreProblems, weightedScore } from '../src/domain/scoring';

/** A call's criteria as the contract admits them: unique ids, weights adding up to 100, maxima 1–100. */
const criteriaArb: fc.Arbitrary<Criterion[]> = fc
  .array(fc.record({ share: fc.integer({ min: 1, max: 100 }), maxScore: fc.integer({ min: 1, max: 100 }) }), {
    minLength: 1,
    maxLength: 8,
  })
  .map((raw) => {
    const total = raw.reduce((sum, r) => sum + r.share, 0);
    return raw.map((r, i) => ({
      id: `c${i}`,
      name: `Criterion ${i}`,
      weight: (r.share * 100) / total,
      maxScore: r.maxScore,
    }));
  });

/** Criteria with one valid score each (0 to the maximum), given in any order. */
const scoredArb = criteriaArb.chain((criteria) =>
  fc
    .tuple(
      fc.tuple(...criteria.map((c) => fc.integer({ min: 0, max: c.maxScore }))),
      fc.shuffledSubarray(
        criteria.map((_, i) => i),
        { minLength: criteria.length, maxLength: criteria.length },
      ),
    )
    .map(([values, order]) => ({
      criteria,
      scores: order.map((i): CriterionScore => ({ criterionId: criteria[i]!.id, score: values[i]! })),
    })),
);

const scoreOf = (scores: CriterionScore[], id: string) => scores.find((s) => s.criterionId === id)!.score;
const tolerance = 1e-9;

describe('scoring properties', () => {
  it('finds nothing wrong with every criterion scored once within its range, in any order', () => {
    fc.assert(fc.property(scoredArb, ({ criteria, scores }) => scoreProblems(criteria, scores).length === 0));
  });

  it('names every criterion left unscored, and only those', () => {
    fc.assert(
      fc.property(
        scoredArb.chain((s) => fc.tuple(fc.constant(s), fc.subarray(s.scores))),
        ([{ criteria }, kept]) => {
          const problems = scoreProblems(criteria, kept);
          const unscored = criteria.filter((c) => !kept.some((s) => s.criterionId === c.id));
          expect(problems).toEqual(
            unscored.map((c) => ({ path: 'scores', message: `${c.id} is not scored` })),
          );
        },
      ),
    );
  });

  it('refuses any score above its criterion maximum, at its index', () => {
    fc.assert(
      fc.property(
        scoredArb.chain((s) =>
          fc.tuple(fc.constant(s), fc.nat(s.scores.length - 1), fc.integer({ min: 1, max: 100 })),
        ),
        ([{ criteria, scores }, index, excess]) => {
          const entry = scores[index]!;
          const max = criteria.find((c) => c.id === entry.criterionId)!.maxScore;
          const raised = scores.map((s, i) => (i === index ? { ...s, score: max + excess } : s));
          expect(scoreProblems(criteria, raised)).toEqual([
            { path: `scores.${index}.score`, message: `at most ${max} for ${entry.criterionId}` },
          ]);
        },
      ),
    );
  });

  it('refuses a criterion scored a second time, at the repeat', () => {
    fc.assert(
      fc.property(
        scoredArb.chain((s) => fc.tuple(fc.constant(s), fc.nat(s.scores.length - 1))),
        ([{ criteria, scores }, index]) => {
          const repeat = { criterionId: scores[index]!.criterionId, score: 0 };
          expect(scoreProblems(criteria, [...scores, repeat])).toEqual([
            {
              path: `scores.${scores.length}.criterionId`,
              message: `${repeat.criterionId} is scored twice`,
            },
          ]);
        },
      ),
    );
  });

  it('keeps the weighted score within 0 to 100, at 0 for all zeros and 100 for all maxima', () => {
    fc.assert(
      fc.property(scoredArb, ({ criteria, scores }) => {
        const score = weightedScore(criteria, scores);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100 + tolerance);
        const all = (pick: (c: Criterion) => number) =>
          weightedScore(
            criteria,
            criteria.map((c) => ({ criterionId: c.id, score: pick(c) })),
          );
        expect(all(() => 0)).toBe(0);
        expect(all((c) => c.maxScore)).toBeCloseTo(100, 9);
      }),
    );
  });

  it('agrees with the reference sum of weight × score ÷ maximum, whatever the order of the scores', () => {
    fc.assert(
      fc.property(scoredArb, ({ criteria, scores }) => {
        const reference = criteria.reduce(
          (sum, c) => sum + (c.weight * scoreOf(scores, c.id)) / c.maxScore,
          0,
        );
        expect(Math.abs(weightedScore(criteria, scores) - reference)).toBeLessThan(tolerance);
        expect(weightedScore(criteria, [...scores].reverse())).toBe(weightedScore(criteria, scores));
      }),
    );
  });

  it('rises strictly when one criterion gets a higher score', () => {
    fc.assert(
      fc.property(
        scoredArb.chain((s) => fc.tuple(fc.constant(s), fc.nat(s.criteria.length - 1))),
        ([{ criteria, scores }, index]) => {
          const criterion = criteria[index]!;
          const current = scoreOf(scores, criterion.id);
          fc.pre(current < criterion.maxScore);
          const raised = scores.map((s) =>
            s.criterionId === criterion.id ? { ...s, score: current + 1 } : s,
          );
          expect(weightedScore(criteria, raised)).toBeGreaterThan(weightedScore(criteria, scores));
        },
      ),
    );
  });

  const panelArb = fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 7 });

  it('puts the panel score between the lowest and the highest review, whatever their order', () => {
    fc.assert(
      fc.property(panelArb, (weighted) => {
        const score = panelScore(weighted);
        expect(score).toBeGreaterThanOrEqual(Math.min(...weighted) - tolerance);
        expect(score).toBeLessThanOrEqual(Math.max(...weighted) + tolerance);
        expect(Math.abs(panelScore([...weighted].reverse()) - score)).toBeLessThan(tolerance);
      }),
    );
  });

  it('asks for consensus exactly when the gap exceeds the tolerance, and less as the tolerance grows', () => {
    fc.assert(
      fc.property(
        panelArb,
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (weighted, tol, more) => {
          const gap = Math.max(...weighted) - Math.min(...weighted);
          const needed = needsConsensus(weighted, tol);
          if (weighted.length < 2) expect(needed).toBe(false);
          if (gap > tol + 1e-6) expect(needed).toBe(true);
          if (gap <= tol) expect(needed).toBe(false);
          if (!needed) expect(needsConsensus(weighted, tol + more)).toBe(false);
          expect(needsConsensus([...weighted].reverse(), tol)).toBe(needed);
        },
      ),
    );
  });

  it('passes at the threshold and above it, and never below it by a meaningful margin', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (score, threshold) => {
          expect(passes(threshold, threshold)).toBe(true);
          if (score >= threshold) expect(passes(score, threshold)).toBe(true);
          if (score < threshold - 1e-6) expect(passes(score, threshold)).toBe(false);
        },
      ),
    );
  });
});
