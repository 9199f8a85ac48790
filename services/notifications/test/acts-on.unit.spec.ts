import { knownEventTypes } from '@s3p/contracts';
import { passOver } from '@s3p/testkit';
import { actsOn, notificationEventHandler } from '../src/events/notification-events';

it('passes over, without bookkeeping, only events the handler does nothing with', async () => {
  expect(await passOver(knownEventTypes(), actsOn, notificationEventHandler)).toEqual({
    acted: [
      'application.submitted@1',
      'call.published@1',
      'expert-team.invitation-answered@1',
      'expert-team.invitation-reminded@1',
      'expert-team.invited@1',
      'final-report.accepted@1',
      'final-report.rejected@1',
      'lifecycle.decision-taken@1',
      'lifecycle.milestone-overdue@1',
      'lifecycle.reviewers-assigned@1',
      'lifecycle.stage-changed@1',
      'lifecycle.task-reminded@1',
      'milestone.verified@1',
    ],
    touched: [],
    thrown: [],
    // The table's rows read an event type at a version: a version no row reads gives no notice,
    // as before this predicate (the pilots' facts are learned from any version, or fail to the DLQ).
    newerVersionsActed: false,
  });
});
