import { knownEventTypes } from '@s3p/contracts';
import { passOver } from '@s3p/testkit';
import { actsOn, consumedEventHandler } from '../src/events/consumed-events';

it('passes over, without bookkeeping, only events the handler does nothing with', async () => {
  expect(await passOver(knownEventTypes(), actsOn, consumedEventHandler)).toEqual({
    acted: ['lifecycle.stage-changed@1', 'pilot.approved@1', 'pilot.approved@2'],
    touched: [],
    thrown: [],
    newerVersionsActed: true,
  });
});
