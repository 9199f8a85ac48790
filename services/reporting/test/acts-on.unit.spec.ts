import { knownEventTypes } from '@s3p/contracts';
import { passOver } from '@s3p/testkit';
import { actsOnMilestones, milestoneEventHandler } from '../src/events/milestone-events';

it('passes over, without bookkeeping, only events the handler does nothing with', async () => {
  expect(await passOver(knownEventTypes(), actsOnMilestones, milestoneEventHandler)).toEqual({
    acted: ['application.submitted@1', 'lifecycle.milestone-overdue@1', 'lifecycle.stage-changed@1'],
    touched: [],
    thrown: [],
    newerVersionsActed: true,
  });
});
