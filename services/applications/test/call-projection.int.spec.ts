import { randomUUID } from 'node:crypto';
import { dlqTopicOf, readDeadLetters } from '@s3p/messaging';
import { Partitioners } from 'kafkajs';
import type { Caller, TestApplications } from './support';
import {
  amended,
  applicationDraft,
  callSnapshot,
  closed,
  draftWhenOpen,
  eventually,
  inSeconds,
  opened,
  published,
  startTestApplications,
} from './support';

type Problem = { status: number; detail?: string; errors?: { path: string; message: string }[] };

let t: TestApplications;
let bulgaria: Caller;

beforeAll(async () => {
  t = await startTestApplications('call-projection');
  bulgaria = await t.region('BG41');
});

afterAll(async () => {
  await t?.stop();
});

const at = (offsetMs: number) => new Date(Date.now() + offsetMs);
const sleepUntil = (iso: string) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(iso) - Date.now() + 100)));

describe('the projection of calls', () => {
  it('refuses a submission past the deadline on its own clock, before call.closed arrives', async () => {
    const call = callSnapshot('industrial-transition', { closesAt: inSeconds(3) });
    await t.publish(published(call), opened(call));
    const early = (await draftWhenOpen(bulgaria, applicationDraft(call.id))).body;
    const late = (await draftWhenOpen(bulgaria, applicationDraft(call.id))).body;
    // Milestones due after the closing day; the call closes in seconds.
    expect((await bulgaria('POST', `/api/applications/${early.id}/submit`)).status).toBe(201);

    await sleepUntil(call.closesAt);
    const refused = await bulgaria<Problem>('POST', `/api/applications/${late.id}/submit`);
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toBe(`the call closed at ${call.closesAt}`);
    expect(refused.body.errors?.map((e) => e.path)).toEqual(['callId']);
    expect((await bulgaria('POST', '/api/applications', applicationDraft(call.id))).status).toBe(422);

    const closing = closed(call);
    await t.publish(closing);
    await t.consumed(closing);
    const afterClose = await bulgaria<Problem>('POST', `/api/applications/${late.id}/submit`);
    expect(afterClose.status).toBe(422);
    expect(afterClose.body.detail).toBe('the call is closed, not open');
    // The late draft stays a draft; the early submission stands.
    expect((await bulgaria<{ status: string }>('GET', `/api/applications/${late.id}`)).body.status).toBe(
      'draft',
    );
    expect((await bulgaria<{ status: string }>('GET', `/api/applications/${early.id}`)).body.status).toBe(
      'submitted',
    );
  });

  it('refuses drafts for a call that is published but not yet open', async () => {
    const call = callSnapshot('industrial-transition', { status: 'scheduled', opensAt: inSeconds(3600) });
    const event = published(call);
    await t.publish(event);
    await t.consumed(event);
    const answer = await bulgaria<Problem>('POST', '/api/applications', applicationDraft(call.id));
    expect(answer.status).toBe(422);
    expect(answer.body.detail).toBe('the call is scheduled, not open');
  });

  it('keeps the newest content and never moves a status back, whatever order events arrive in', async () => {
    const first = callSnapshot('industrial-transition', { perApplicationCeiling: 100_000_00 });
    const newer = { ...first, perApplicationCeiling: 250_000_00 };
    // The amendment arrives before the publication it follows, and the opening last.
    const events = [amended(newer, ['perApplicationCeiling'], at(-1_000)), published(first, at(-5_000))];
    const opening = opened(first, at(-5_000));
    await t.publish(...events, opening);
    await t.consumed(...events, opening);

    // 200 000 € is above the first ceiling and within the amended one.
    const draft = (await draftWhenOpen(bulgaria, applicationDraft(first.id))).body;
    expect((await bulgaria('POST', `/api/applications/${draft.id}/submit`)).status).toBe(201);

    // Closed is final: an opening delivered again and a later amendment saying "open" change nothing.
    const closing = closed(first, at(-500));
    const stale = [
      opened(first, at(-5_000)),
      amended({ ...newer, title: 'Amended after closing' }, ['title']),
    ];
    await t.publish(closing, ...stale);
    await t.consumed(closing, ...stale);
    const refused = await bulgaria<Problem>('POST', '/api/applications', applicationDraft(first.id));
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toBe('the call is closed, not open');
  });

  it('sends a poison message to its DLQ and applies the next valid event', async () => {
    const key = randomUUID();
    const call = callSnapshot('industrial-transition', { id: key });
    const producer = t.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const notAnEnvelope = JSON.stringify({ type: 'call.published', version: 1, data: {} });
    // A well-formed envelope whose call lacks its budget.
    const { totalBudget: _totalBudget, ...withoutBudget } = call;
    const invalidCall = JSON.stringify({ ...published(call), data: { call: withoutBudget } });
    await producer.send({
      topic: t.callsTopic,
      messages: [
        { key, value: '{"this is": not json' },
        { key, value: notAnEnvelope },
        { key, value: invalidCall },
      ],
    });
    await producer.disconnect();

    await t.publish(published(call), opened(call));
    expect((await draftWhenOpen(bulgaria, applicationDraft(call.id))).status).toBe(201);

    const letters = await eventually(async () => {
      const found = (await readDeadLetters(t.kafka, dlqTopicOf(t.callsTopic, t.group))).filter(
        (l) => l.key === key,
      );
      return found.length === 3 ? found : undefined;
    }, 'the poison messages in the DLQ');
    expect(letters.map((l) => l.value)).toEqual(['{"this is": not json', notAnEnvelope, invalidCall]);
    expect(letters.map((l) => l.letter.error)).toEqual([
      'not JSON',
      expect.stringContaining('not a valid envelope'),
      expect.stringContaining('data.call.totalBudget'),
    ]);
  });
});
