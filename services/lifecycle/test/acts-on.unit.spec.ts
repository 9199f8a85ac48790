import { knownEventTypes } from '@s3p/contracts';
import { passOver } from '@s3p/testkit';
import { actsOn, consumedEventHandler } from '../src/events/consumed-events';

it('passes over, without bookkeeping, only events the handler does nothing with', async () => {
  expect(await passOver(knownEventTypes(), actsOn, consumedEventHandler)).toEqual({
    acted: [
      'application.submitted@1',
      'application.withdrawn@1',
      'expert-team.assigned@1',
      'final-report.accepted@1',
      'milestone.verified@1',
    ],
    touched: [],
    thrown: [],
    newerVersionsActed: true,
  });
});
