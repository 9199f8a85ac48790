import { randomUUID } from 'node:crypto';
import { isolation, stackEndpoints } from '@s3p/testkit';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { ProposalOutcome, ProposalRequest, RecordRequest } from '../src/activities/notices';
import type { Seat, TeamInput, TeamState } from '../src/workflows/messages';
import { replaceMemberUpdate, teamQuery } from '../src/workflows/messages';

const hour = 60 * 60 * 1000;

/**
 * The team workflow on the real Temporal server, its `record` activity held by the test: a member
 * replaced while the team's announcement is being recorded must still be replaced (the team used
 * to wait one seat short, for good).
 */
describe('a team changed while its announcement is recorded', () => {
  const names = isolation('team-wakeups');
  let connection: Connection;
  let client: Client;
  let nativeConnection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  const proposals: ProposalRequest[] = [];
  let announcing: () => void = () => undefined;
  const announcementRecorded = new Promise<void>((resolve) => (announcing = resolve));
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
        async record(request: RecordRequest): Promise<void> {
          if (request.notice.type === 'expert-team.assigned') {
            announcing();
            await released;
          }
        },
        async release(): Promise<void> {},
        // The pool keeps the remaining member and proposes expert-3 for the empty seat.
        async propose(request: ProposalRequest): Promise<ProposalOutcome> {
          proposals.push(request);
          return {
            feasible: true,
            requirements: [],
            passedOver: [],
            notes: [],
            members: [
              { expertId: 'expert-1', country: 'BG', lead: true, kept: true, covers: [], reasons: [] },
              { expertId: 'expert-3', country: 'GR', lead: false, kept: false, covers: [], reasons: [] },
            ],
          };
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

  it('proposes a new member for the seat of one replaced during the announcement', async () => {
    const pilotId = `pilot-${randomUUID()}`;
    const now = Date.now();
    const seat = (expertId: string, lead: boolean): Seat => ({
      assignmentId: randomUUID(),
      expertId,
      country: lead ? 'BG' : 'DE',
      lead,
      covers: [],
      reasons: [],
      status: 'accepted',
      invitedAt: new Date(now - hour).toISOString(),
      dueAt: new Date(now + 48 * hour).toISOString(),
      answeredAt: new Date(now).toISOString(),
    });
    const needs: TeamInput['needs'] = {
      region: 'BG41',
      partners: [],
      countries: ['BG'],
      priorityDomains: [],
      requestedSupport: ['skills'],
      teamSize: 2,
      languages: ['bg'],
    };
    const carried: TeamState = {
      pilotId,
      teamId: `team-${pilotId}`,
      callId: `call-${randomUUID()}`,
      needs,
      seats: [seat('expert-1', true), seat('expert-2', false)],
      excluded: [],
      attempts: 1,
      eventIds: [],
    };
    const handle = await client.workflow.start('team', {
      taskQueue: names.taskQueue,
      workflowId: carried.teamId,
      args: [
        {
          pilotId,
          teamId: carried.teamId,
          callId: carried.callId,
          needs,
          timing: { invitationMs: 48 * hour, invitationReminderBeforeMs: 24 * hour },
          correlationId: randomUUID(),
          carried,
        } satisfies TeamInput,
      ],
    });
    try {
      await announcementRecorded;
      await handle.executeUpdate(replaceMemberUpdate, {
        args: [
          {
            by: { actor: { kind: 'user', sub: 'manager', roles: ['programme-manager'] } },
            expertId: 'expert-2',
            reason: 'moved to another programme',
          },
        ],
      });
      release();

      let seats = (await handle.query(teamQuery)).members;
      const invitedThird = () => seats.some((s) => s.expertId === 'expert-3' && s.status === 'invited');
      for (const deadline = Date.now() + 15_000; !invitedThird() && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        seats = (await handle.query(teamQuery)).members;
      }
      expect(seats.map(({ expertId, status }) => ({ expertId, status }))).toEqual([
        { expertId: 'expert-1', status: 'accepted' },
        { expertId: 'expert-3', status: 'invited' },
        { expertId: 'expert-2', status: 'replaced' },
      ]);
      expect(proposals).toHaveLength(1);
      expect(proposals[0]).toMatchObject({
        attempt: 2,
        filled: [{ expertId: 'expert-1', lead: true }],
        excluded: [{ expertId: 'expert-2', reason: 'replaced: moved to another programme' }],
      });
    } finally {
      await handle.terminate('the test is over').catch(() => undefined);
    }
  }, 60_000);
});
