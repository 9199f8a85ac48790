import type { AnyEnvelope } from '@s3p/contracts';
import { lifecycleEvents } from '@s3p/contracts';
import { newEvent } from '@s3p/messaging';
import type { StageChange } from '../src/domain/lifecycle-stage';
import { consumedEventHandler } from '../src/events/consumed-events';
import type { StageChangeOutcome } from '../src/store/application-store';
import { callSnapshot, published, stageChanged } from './fixtures';

const pilot = { id: 'app-1', callId: 'call-1', pilotType: 'industrial-transition', region: 'BG41' } as const;

function handlerWith(outcome: StageChangeOutcome = 'applied') {
  const calls: AnyEnvelope[] = [];
  const changes: [string, StageChange][] = [];
  const handle = consumedEventHandler({
    calls: { apply: (event) => Promise.resolve(void calls.push(event)) },
    applications: {
      applyStageChange: (id, change) => {
        changes.push([id, change]);
        return Promise.resolve(outcome);
      },
    },
    logger: { debug: () => undefined },
  });
  return { handle, calls, changes };
}

describe('what the service does with the events it consumes', () => {
  it("feeds calls' events to the projection of calls", async () => {
    const { handle, calls, changes } = handlerWith();
    const event = published(callSnapshot('industrial-transition'));
    await handle(event);
    expect(calls).toEqual([event]);
    expect(changes).toEqual([]);
  });

  it('applies a change of stage to the application it names, with its reason and due date', async () => {
    const { handle, calls, changes } = handlerWith();
    const event = stageChanged(pilot, 5, 'decision', 'revision', {
      reason: 'Lower the budget.',
      dueAt: '2027-05-01T00:00:00.000Z',
    });
    await handle(event);
    expect(calls).toEqual([]);
    expect(changes).toEqual([
      [
        'app-1',
        {
          sequence: 5,
          to: 'revision',
          reason: 'Lower the budget.',
          dueAt: '2027-05-01T00:00:00.000Z',
          changedAt: event.occurredAt,
        },
      ],
    ]);
  });

  it('leaves the other lifecycle events alone', async () => {
    const { handle, calls, changes } = handlerWith();
    await handle(
      newEvent(lifecycleEvents.reviewersAssigned, {
        source: 'lifecycle',
        subject: 'app-1',
        actor: { kind: 'system', name: 'pilot-workflow' },
        data: { pilotId: 'app-1', reviewers: ['reviewer1'], dueAt: '2027-05-01T00:00:00.000Z' },
      }),
    );
    expect(calls).toEqual([]);
    expect(changes).toEqual([]);
  });

  it('fails (to the DLQ, after retries) for an application it does not know or a version it cannot read', async () => {
    await expect(
      handlerWith('unknown-application').handle(stageChanged(pilot, 1, null, 'submitted')),
    ).rejects.toThrow('no application app-1');
    const newer = { ...stageChanged(pilot, 1, null, 'submitted'), version: 2 } as AnyEnvelope;
    await expect(handlerWith().handle(newer)).rejects.toThrow('no handler for lifecycle.stage-changed@2');
  });

  it('ignores a change that is not newer without failing', async () => {
    await expect(
      handlerWith('not-newer').handle(stageChanged(pilot, 1, null, 'submitted')),
    ).resolves.toBeUndefined();
  });
});
