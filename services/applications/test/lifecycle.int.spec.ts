import { createHash, randomUUID } from 'node:crypto';
import type { CallSnapshot, SubmissionReceipt } from '@s3p/contracts';
import { dlqTopicOf, readDeadLetters } from '@s3p/messaging';
import { Partitioners } from 'kafkajs';
import type { Caller, PilotFacts, Resource, TestApplications, Wire } from './support';
import {
  applicationDraft,
  callSnapshot,
  canonical,
  closed,
  draftWhenOpen,
  eventually,
  inDays,
  inSeconds,
  opened,
  published,
  stageChanged,
  stagesUpTo,
  startTestApplications,
} from './support';

type Problem = { status: number; detail?: string; errors?: { path: string; message: string }[] };
type Stage = { name: string; reason: string; reasons?: unknown[]; dueAt?: string; sequence: number };
type Application = Resource & { stage?: Stage; submissions: SubmissionReceipt[]; budget?: unknown };
type Frozen = {
  snapshot: Record<string, unknown> & { budget: { requested: number } };
  receipt: SubmissionReceipt;
};

let t: TestApplications;
let wire: Wire;
let bulgaria: Caller;
let approver: Caller;
let call: CallSnapshot;

beforeAll(async () => {
  t = await startTestApplications('lifecycle');
  wire = await t.tap(t.applicationsTopic);
  bulgaria = await t.region('BG41');
  approver = await t.as('approver1', ['approver']);
  call = callSnapshot('industrial-transition');
  await t.publish(published(call), opened(call));
});

afterAll(async () => {
  await t?.stop();
});

const path = (id: string, rest = '') => `/api/applications/${id}${rest}`;
const read = async (id: string) => (await bulgaria<Application>('GET', path(id))).body;
const sleepUntil = (iso: string) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(iso) - Date.now() + 100)));

/** A submitted application of BG41, and the facts the lifecycle's events carry about it. */
async function submittedApplication(to: CallSnapshot = call): Promise<PilotFacts> {
  const draft = (await draftWhenOpen(bulgaria, applicationDraft(to.id))).body;
  expect((await bulgaria('POST', path(draft.id, '/submit'))).status).toBe(201);
  return { id: draft.id, callId: to.id, pilotType: to.pilotType, region: 'BG41' };
}

/** Publishes stage changes on the lifecycle topic and waits until the service has handled them. */
async function lifecycle(...events: ReturnType<typeof stageChanged>[]): Promise<void> {
  await t.publishLifecycle(...events);
  await t.consumed(...events);
}

/**
 * A change of stage older than any applied, in the pilot's partition: the service handles it (and
 * marks it handled) after what precedes it, and changes nothing for it. Events the service does
 * not act on are not marked, so they cannot serve as this barrier.
 */
const marker = (pilot: PilotFacts) => stageChanged(pilot, 1, null, 'submitted', { reason: 'a barrier' });

const revisionAsked = (pilot: PilotFacts, dueAt: string, reason = 'Lower the amount requested.') => [
  ...stagesUpTo(pilot, ['submitted', 'eligibility', 'evaluation', 'decision']),
  stageChanged(pilot, 5, 'decision', 'revision', { reason, dueAt }),
];

describe("the status follows the lifecycle's stage changes", () => {
  it('applies each newer change with its reason; an older or repeated delivery changes nothing', async () => {
    const pilot = await submittedApplication();
    const changes = stagesUpTo(pilot, ['submitted', 'eligibility', 'evaluation']);
    await lifecycle(...changes);
    const after = await read(pilot.id);
    expect(after).toMatchObject({
      status: 'evaluation',
      // Drafted 1, submitted 2, then one per change applied.
      version: 5,
      stage: { name: 'evaluation', reason: 'now evaluation', sequence: 3, changedAt: changes[2]!.occurredAt },
    });

    // An older change delivered late (another event), the latest delivered again (the same event).
    const older = stageChanged(pilot, 2, 'submitted', 'eligibility', { reason: 'delivered late' });
    const last = marker(pilot);
    await t.publishLifecycle(older, changes[2]!, last);
    await t.consumed(older, last);
    expect(await read(pilot.id)).toMatchObject({
      status: 'evaluation',
      version: 5,
      stage: { name: 'evaluation', sequence: 3 },
    });

    // The Commission's readers see the stage too.
    expect((await approver<Application>('GET', path(pilot.id))).body.stage).toMatchObject({ sequence: 3 });
    const listed = await approver<{ items: Application[] }>(
      'GET',
      `/api/applications?callId=${call.id}&status=evaluation&limit=100`,
    );
    expect(listed.body.items.map((a) => a.id)).toContain(pilot.id);
  });

  it('sends invalid lifecycle messages and changes of unknown applications to its DLQ, and goes on', async () => {
    const pilot = await submittedApplication();
    const producer = t.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const valid = stageChanged(pilot, 1, null, 'submitted');
    const unknownType = JSON.stringify({ ...valid, id: randomUUID(), type: 'lifecycle.something-new' });
    const sequenceZero = JSON.stringify({ ...valid, id: randomUUID(), data: { ...valid.data, sequence: 0 } });
    await producer.send({
      topic: t.lifecycleTopic,
      messages: [
        { key: pilot.id, value: unknownType },
        { key: pilot.id, value: sequenceZero },
      ],
    });
    await producer.disconnect();
    const nobody = { ...pilot, id: `no-such-application-${randomUUID()}` };
    const orphan = stageChanged(nobody, 1, null, 'submitted');
    await t.publishLifecycle(orphan);

    await lifecycle(valid, stageChanged(pilot, 2, 'submitted', 'eligibility'));
    expect((await read(pilot.id)).status).toBe('eligibility');

    const letters = await eventually(async () => {
      const found = (await readDeadLetters(t.kafka, dlqTopicOf(t.lifecycleTopic, t.group))).filter(
        (l) => l.key === pilot.id || l.key === nobody.id,
      );
      return found.length === 3 ? found : undefined;
    }, 'the poison messages in the lifecycle DLQ');
    // The pilot's two arrive in their partition's order; the orphan's after its retries.
    const errorsOf = (key: string) => letters.filter((l) => l.key === key).map((l) => l.letter.error);
    expect(errorsOf(pilot.id)).toEqual([
      expect.stringContaining('unknown event lifecycle.something-new@1'),
      expect.stringContaining('data.sequence'),
    ]);
    expect(errorsOf(nobody.id)).toEqual([`no application ${nobody.id}`]);
    expect(letters.find((l) => l.key === nobody.id)?.letter.attempts).toBe(4);
  });
});

describe('a resubmission after a request for revision', () => {
  it('lets the lead revise and resubmit as version 2, the call closed meanwhile, and publishes it', async () => {
    const own = callSnapshot('industrial-transition');
    await t.publish(published(own), opened(own));
    const pilot = await submittedApplication(own);
    const closing = closed(own);
    await t.publish(closing);
    const dueAt = inDays(14);
    await lifecycle(...revisionAsked(pilot, dueAt));
    await t.consumed(closing);

    const inRevision = await read(pilot.id);
    expect(inRevision).toMatchObject({
      status: 'revision',
      stage: { name: 'revision', reason: 'Lower the amount requested.', dueAt, sequence: 5 },
    });
    const patched = await bulgaria<Application>(
      'PATCH',
      path(pilot.id),
      { budget: { total: 400_000_00, requested: 150_000_00 } },
      { 'if-match': `"${inRevision.version}"` },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.status).toBe('revision');

    const resubmitted = await bulgaria<SubmissionReceipt>('POST', path(pilot.id, '/submit'));
    expect(resubmitted.status).toBe(201);
    const receipt = resubmitted.body;
    expect(receipt).toMatchObject({ applicationId: pilot.id, submissionVersion: 2 });
    expect(resubmitted.headers.get('location')).toBe(path(pilot.id, '/submissions/2'));

    const after = await read(pilot.id);
    expect(after.status).toBe('submitted');
    expect(after.submissions.map((s) => s.submissionVersion)).toEqual([1, 2]);
    expect(after.submissions[1]).toEqual(receipt);
    // Frozen again until the lifecycle moves on.
    expect((await bulgaria('PATCH', path(pilot.id), { title: 'Again' })).status).toBe(409);
    expect((await bulgaria('POST', path(pilot.id, '/submit'))).status).toBe(409);

    // Every version stays served, each proven by its receipt, to the region and the Commission.
    const versions: Frozen[] = [];
    for (const version of [1, 2]) {
      const frozen = await approver<Frozen>('GET', path(pilot.id, `/submissions/${version}`));
      expect(frozen.status).toBe(200);
      expect(createHash('sha256').update(canonical(frozen.body.snapshot)).digest('hex')).toBe(
        frozen.body.receipt.contentHash,
      );
      versions.push(frozen.body);
    }
    expect(versions.map((v) => v.snapshot.budget.requested)).toEqual([200_000_00, 150_000_00]);
    expect(versions[1]?.receipt).toEqual(receipt);
    expect(versions[0]?.receipt.contentHash).not.toBe(receipt.contentHash);
    expect((await bulgaria('GET', path(pilot.id, '/submissions/2'))).status).toBe(200);
    expect((await bulgaria('GET', path(pilot.id, '/submissions/3'))).status).toBe(404);

    const submissions = await eventually(() => {
      const found = wire.of(pilot.id).filter((e) => e.type === 'application.submitted');
      return Promise.resolve(found.length === 2 ? found : undefined);
    }, 'the resubmission on the wire');
    expect(submissions[1]).toMatchObject({ version: 1, data: { receipt } });
    expect(submissions[1]?.data).toEqual({ application: versions[1]?.snapshot, receipt });

    // A stale copy of the request for revision does not take it back; the lifecycle's next change does move it.
    const stale = stageChanged(pilot, 5, 'decision', 'revision', { dueAt });
    await lifecycle(stale);
    expect((await read(pilot.id)).status).toBe('submitted');
    await lifecycle(
      stageChanged(pilot, 6, 'revision', 'eligibility', { reason: 'Resubmitted as version 2.' }),
    );
    const moved = await read(pilot.id);
    expect(moved).toMatchObject({ status: 'eligibility', stage: { name: 'eligibility', sequence: 6 } });
    expect(moved.stage).not.toHaveProperty('dueAt');
  });

  it('refuses changes and a resubmission once the revision was due, on its own clock', async () => {
    const pilot = await submittedApplication();
    const dueAt = inSeconds(6);
    await lifecycle(...revisionAsked(pilot, dueAt));
    expect((await bulgaria('PATCH', path(pilot.id), { title: 'Revised in time' })).status).toBe(200);

    await sleepUntil(dueAt);
    const detail = `the revision was due at ${dueAt}; the application can no longer be changed or resubmitted`;
    const patch = await bulgaria<Problem>('PATCH', path(pilot.id), { title: 'Revised too late' });
    expect(patch.status).toBe(422);
    expect(patch.headers.get('content-type')).toContain('application/problem+json');
    expect(patch.body.detail).toBe(detail);
    const submit = await bulgaria<Problem>('POST', path(pilot.id, '/submit'));
    expect(submit.status).toBe(422);
    expect(submit.body.detail).toBe(detail);
    expect(await read(pilot.id)).toMatchObject({ status: 'revision', title: 'Revised in time' });
    expect((await read(pilot.id)).submissions).toHaveLength(1);

    // Then the lifecycle lapses it: final.
    await lifecycle(stageChanged(pilot, 6, 'revision', 'lapsed', { reason: 'Not resubmitted in time.' }));
    expect((await read(pilot.id)).status).toBe('lapsed');
    expect((await bulgaria('PATCH', path(pilot.id), { title: 'x' })).status).toBe(409);
    const withdraw = await bulgaria<Problem>('POST', path(pilot.id, '/withdraw'));
    expect(withdraw.status).toBe(409);
    expect(withdraw.body.detail).toBe('a lapsed application cannot be withdrawn');
  });
});

describe('withdrawal', () => {
  it('is allowed at every status before the decision, and in revision', async () => {
    const paths = [
      ['submitted', 'eligibility', 'evaluation'],
      ['submitted', 'eligibility', 'evaluation', 'decision'],
    ] as const;
    for (const stages of paths) {
      const pilot = await submittedApplication();
      await lifecycle(...stagesUpTo(pilot, [...stages]));
      const withdrawn = await bulgaria<Application>('POST', path(pilot.id, '/withdraw'), {
        reason: 'Merged.',
      });
      expect({ stages, status: withdrawn.status }).toEqual({ stages, status: 200 });
      expect(withdrawn.body.status).toBe('withdrawn');
      await eventually(
        () => Promise.resolve(wire.of(pilot.id).some((e) => e.type === 'application.withdrawn') || undefined),
        'application.withdrawn on the wire',
      );
    }
    const revised = await submittedApplication();
    await lifecycle(...revisionAsked(revised, inDays(7)));
    expect((await bulgaria('POST', path(revised.id, '/withdraw'))).status).toBe(200);
  });

  it('is refused after approval, with conditions, in implementation and when ineligible, naming the status', async () => {
    const pilot = await submittedApplication();
    await lifecycle(
      ...stagesUpTo(pilot, ['submitted', 'eligibility', 'evaluation', 'decision', 'expert-team']),
    );
    expect((await read(pilot.id)).status).toBe('approved');
    const refused = await bulgaria<Problem>('POST', path(pilot.id, '/withdraw'), {
      reason: 'Changed our mind.',
    });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.detail).toBe('an approved application cannot be withdrawn');

    await lifecycle(stageChanged(pilot, 6, 'expert-team', 'implementation'));
    const inImplementation = await bulgaria<Problem>('POST', path(pilot.id, '/withdraw'));
    expect(inImplementation.status).toBe(409);
    expect(inImplementation.body.detail).toBe('an application in implementation cannot be withdrawn');
    expect((await read(pilot.id)).status).toBe('implementation');

    // Approved with conditions shows as decision, but the decision is taken.
    const conditional = await submittedApplication();
    await lifecycle(
      ...stagesUpTo(conditional, ['submitted', 'eligibility', 'evaluation', 'decision']),
      stageChanged(conditional, 5, 'decision', 'conditions', { reason: 'Approved if…', dueAt: inDays(30) }),
    );
    expect((await read(conditional.id)).status).toBe('decision');
    const withConditions = await bulgaria<Problem>('POST', path(conditional.id, '/withdraw'));
    expect(withConditions.status).toBe(409);
    expect(withConditions.body.detail).toBe(
      'an application approved with conditions (status decision) cannot be withdrawn',
    );

    const ineligible = await submittedApplication();
    const reasons = [{ rule: 'budget-ceiling', message: 'The amount requested is above the ceiling.' }];
    await lifecycle(
      stageChanged(ineligible, 1, null, 'submitted'),
      stageChanged(ineligible, 2, 'submitted', 'eligibility'),
      stageChanged(ineligible, 3, 'eligibility', 'ineligible', { reason: 'Fails 1 rule.', reasons }),
    );
    expect((await read(ineligible.id)).stage).toMatchObject({
      name: 'ineligible',
      reason: 'Fails 1 rule.',
      reasons,
    });
    const late = await bulgaria<Problem>('POST', path(ineligible.id, '/withdraw'));
    expect(late.status).toBe(409);
    expect(late.body.detail).toBe('an ineligible application cannot be withdrawn');
  });
});
