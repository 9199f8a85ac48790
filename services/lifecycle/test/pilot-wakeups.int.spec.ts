import { randomUUID } from 'node:crypto';
import type { SubmissionReceipt } from '@s3p/contracts';
import { isolation, stackEndpoints } from '@s3p/testkit';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { RecordRequest } from '../src/activities/notices';
import type { MilestoneState, PilotInput, PilotState } from '../src/workflows/messages';
import { milestoneVerifiedSignal, pilotQuery } from '../src/workflows/messages';
import { submittedApplication } from './support';

const day = 24 * 60 * 60 * 1000;

/**
 * The pilot workflow on the real Temporal server, its `record` activity held by the test: what a
 * signal changes while the workflow awaits one of its own activities must still move it on. (A
 * pilot whose milestones were both verified while it recorded their reminders slept until its next
 * timer, days away, in the benchmark's whole-lifecycle run.)
 */
describe('a pilot changed while its step awaits an activity', () => {
  const names = isolation('pilot-wakeups');
  let connection: Connection;
  let client: Client;
  let nativeConnection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  const recorded: RecordRequest[] = [];
  let firstReminder: () => void = () => undefined;
  const firstReminderRecorded = new Promise<void>((resolve) => (firstReminder = resolve));
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));

  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const endpoints = stackEndpoints();
    connection = await Connection.connect({ address: endpoints.TEMPORAL_ADDRESS });
    client = new Client({ connection, namespace: endpoints.TEMPORAL_NAMESPACE });
    nativeConnection = await NativeConnection.connect({ address: endpoints.TEMPORAL_ADDRESS });
    worker = await Worker.create({
      connection: nativeConnection,
      namespace: endpoints.TEMPORAL_NAMESPACE,
      taskQueue: names.taskQueue,
      workflowsPath: require.resolve('../src/workflows'),
      activities: {
        // The first reminder is held until the test has verified both milestones.
        async record(request: RecordRequest): Promise<void> {
          recorded.push(request);
          if (recorded.filter((r) => r.notice.type === 'lifecycle.task-reminded').length === 1) {
            firstReminder();
            await released;
          }
        },
      },
    });
    running = worker.run();
  }, 60_000);

  afterAll(async () => {
    worker.shutdown();
    await running;
    await nativeConnection.close();
    await connection.close();
  });

  it('goes to the final report when its milestones are verified during a reminder', async () => {
    const application = submittedApplication(`call-${randomUUID()}`);
    const now = Date.now();
    const milestones: MilestoneState[] = application.workPlan.map((milestone, index) => ({
      index,
      title: milestone.title,
      dueDate: milestone.dueDate,
      dueAt: new Date(now + (index + 3) * day).toISOString(),
      status: 'planned',
      reminded: false,
      overdue: false,
    }));
    const receipt: SubmissionReceipt = {
      applicationId: application.id,
      submissionVersion: 1,
      contentHash: '0'.repeat(64),
      submittedAt: new Date(now - 30 * day).toISOString(),
    };
    const carried: PilotState = {
      pilotId: application.id,
      stage: 'implementation',
      sequence: 1,
      history: [
        {
          sequence: 1,
          from: 'expert-team',
          to: 'implementation',
          at: new Date(now).toISOString(),
          actor: { kind: 'system', name: 'pilot-workflow' },
          reason: 'expert team t-1 assigned',
        },
      ],
      application,
      receipt,
      round: 1,
      seats: [],
      missingSeats: 0,
      milestones,
      seenEvents: [],
    };
    const input: PilotInput = {
      application,
      receipt,
      correlationId: randomUUID(),
      // Both reminders are due at once: ten days' notice for milestones three and four days away.
      timing: {
        reviewPeriodMs: 14 * day,
        reviewReminderBeforeMs: day,
        milestoneReminderBeforeMs: 10 * day,
        deadlineTimeUtc: '23:59:59',
        poolRetryMs: day,
      },
      carried,
    };
    const handle = await client.workflow.start('pilot', {
      taskQueue: names.taskQueue,
      workflowId: application.id,
      args: [input],
    });
    try {
      await firstReminderRecorded;
      for (const milestone of [0, 1]) {
        await handle.signal(milestoneVerifiedSignal, {
          eventId: randomUUID(),
          milestone,
          verdict: 'accepted',
          actor: { kind: 'user', sub: 'auditor', roles: ['auditor'] },
        });
      }
      release();

      let stage = (await handle.query(pilotQuery)).stage;
      for (const deadline = Date.now() + 15_000; stage === 'implementation' && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        stage = (await handle.query(pilotQuery)).stage;
      }
      expect(stage).toBe('final-report');
      const reminded = recorded
        .filter((r) => r.notice.type === 'lifecycle.task-reminded')
        .map((r) => (r.notice as { task: { milestone?: number } }).task.milestone);
      expect(reminded).toEqual([0, 1]);
      const stageChange = recorded.find((r) => r.notice.type === 'lifecycle.stage-changed');
      expect(stageChange?.notice).toMatchObject({
        change: { from: 'implementation', to: 'final-report' },
      });
    } finally {
      await handle.terminate('the test is over').catch(() => undefined);
    }
  }, 60_000);
});
