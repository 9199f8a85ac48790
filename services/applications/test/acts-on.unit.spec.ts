import { knownEventTypes } from '@s3p/contracts';
import { passOver } from '@s3p/testkit';
import { actsOn, consumedEventHandler } from '../src/events/consumed-events';

it('passes over, without bookkeeping, only events the handler does nothing with', async () => {
  expect(await passOver(knownEventTypes(), actsOn, consumedEventHandler)).toEqual({
    acted: [
      'call.amended@1',
      'call.budget-reserved@1',
      'call.closed@1',
      'call.opened@1',
      'call.published@1',
      'lifecycle.stage-changed@1',
    ],
    touched: [],
    thrown: [],
    newerVersionsActed: true,
  });
});
