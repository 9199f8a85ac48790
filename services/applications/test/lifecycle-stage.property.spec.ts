import type { PilotStage } from '@s3p/contracts';
import { applicationStatus, applicationStatusOf, pilotStage } from '@s3p/contracts';
import fc from 'fast-check';
import type { StageChange, StageState } from '../src/domain/lifecycle-stage';
import { applyStageChange } from '../src/domain/lifecycle-stage';

const stageArb = fc.constantFrom<PilotStage>(...pilotStage.options);

/** The changes one pilot really went through (sequences 1…n), delivered in any order, some again. */
const deliveriesArb = fc
  .array(fc.record({ to: stageArb, dueDays: fc.option(fc.nat(90), { nil: undefined }) }), {
    minLength: 1,
    maxLength: 8,
  })
  .map((steps) =>
    steps.map(({ to, dueDays }, i): StageChange => ({
      sequence: i + 1,
      to,
      reason: `change ${i + 1}`,
      ...(dueDays === undefined ? {} : { dueAt: new Date(Date.UTC(2027, 0, 1 + dueDays)).toISOString() }),
      changedAt: new Date(Date.UTC(2027, 0, 1, 0, i)).toISOString(),
    })),
  )
  .chain((changes) =>
    fc.tuple(
      fc.constant(changes),
      fc.array(fc.nat(changes.length - 1), { maxLength: 4 }).chain((repeats) =>
        fc.shuffledSubarray([...changes, ...repeats.map((i) => changes[i]!)], {
          minLength: changes.length + repeats.length,
        }),
      ),
    ),
  );

function replay(deliveries: StageChange[]) {
  let state: { status: string; stage: StageState } | undefined;
  let writes = 0;
  for (const change of deliveries) {
    const next = applyStageChange(state?.stage, change);
    if (next) {
      expect(next.stage.sequence).toBeGreaterThan(state?.stage.sequence ?? 0);
      state = next;
      writes++;
    }
  }
  return { state, writes };
}

describe('stage change properties', () => {
  it('ends at the newest change whatever the order of delivery and however often a change comes', () => {
    fc.assert(
      fc.property(deliveriesArb, ([changes, deliveries]) => {
        const newest = changes[changes.length - 1]!;
        const { state } = replay(deliveries);
        expect(state!.stage).toEqual({ ...newest, name: newest.to, to: undefined });
        expect(state!.status).toBe(applicationStatusOf(newest.to));
      }),
    );
  });

  it('writes only for a newer change: at most once per sequence, never for a repeat', () => {
    fc.assert(
      fc.property(deliveriesArb, ([changes, deliveries]) => {
        const { state, writes } = replay(deliveries);
        expect(writes).toBeLessThanOrEqual(changes.length);
        for (const change of deliveries) expect(applyStageChange(state!.stage, change)).toBeUndefined();
      }),
    );
  });

  it('shows every stage as a status the region knows', () => {
    fc.assert(
      fc.property(stageArb, (stage) => {
        expect(applicationStatus.options).toContain(applicationStatusOf(stage));
      }),
    );
  });
});
