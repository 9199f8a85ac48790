import { randomUUID } from 'node:crypto';
import type { AnyEnvelope } from '@s3p/contracts';
import { createKafka, dlqTopicOf, readDeadLetters } from '@s3p/messaging';
import { Partitioners } from 'kafkajs';
import { stackEndpoints } from '@s3p/testkit';
import type { User } from './support/client';
import { applicationDraft, callDraft, eventually, signIn } from './support/client';
import type { Platform } from './support/platform';
import { startPlatform } from './support/platform';
import type { Tap } from './support/wire';
import { tap } from './support/wire';

let platform: Platform;
let wire: Tap;
let manager: User;
let bulgaria: User;

type Resource = { id: string; status: string; version: number } & Record<string, unknown>;

beforeAll(async () => {
  platform = await startPlatform('e2e-faults');
  wire = await tap([`${platform.topicPrefix}calls.events`]);
  manager = await signIn(platform.portal, 'manager');
  bulgaria = await signIn(platform.portal, 'region-bg41');
});

afterAll(async () => {
  await wire?.stop();
  await platform?.stop();
});

const eventsOf = (subject: string) => wire.events.filter((e) => e.subject === subject);

/** Same id, same content: a re-publication is allowed, a second event for one change is not. */
function uniqueById(events: AnyEnvelope[]): AnyEnvelope[] {
  const byId = new Map<string, AnyEnvelope>();
  for (const event of events) {
    const seen = byId.get(event.id);
    if (seen) expect(event).toEqual(seen);
    byId.set(event.id, event);
  }
  return [...byId.values()];
}

async function regionCanApply(callId: string) {
  await eventually(async () => {
    const answer = await bulgaria.request('POST', '/api/applications', applicationDraft(callId));
    return answer.status === 201 || undefined;
  }, 'the applications service to see the call open');
}

describe('faults', () => {
  it('loses no event and invents none when the calls service dies between its write and its publish', async () => {
    // The relay off stands for "the process died before it published": the writes are done, the events wait.
    await platform.kill('calls');
    await platform.start('calls', { OUTBOX_RELAY_ENABLED: 'false' });
    const created = await manager.request<Resource>('POST', '/api/calls', callDraft('industrial-transition'));
    const published = await manager.request<Resource>('POST', `/api/calls/${created.body.id}/publish`);
    expect(published.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(eventsOf(created.body.id)).toEqual([]);

    await platform.kill('calls');
    await platform.start('calls');
    const events = await eventually(() => {
      const found = uniqueById(eventsOf(created.body.id));
      return Promise.resolve(found.some((e) => e.type === 'call.opened') ? found : undefined);
    }, 'the pending events to be published after the restart');
    expect(events.map((e) => e.type)).toEqual(['call.published', 'call.opened']);
    await regionCanApply(created.body.id);
  });

  it('publishes every acknowledged change once when killed in the middle of a burst', async () => {
    const created = await manager.request<Resource>('POST', '/api/calls', callDraft('industrial-transition'));
    const published = await manager.request<Resource>('POST', `/api/calls/${created.body.id}/publish`);
    const startVersion = published.body.version;
    let version = startVersion;
    const acknowledged: number[] = [];
    // Amendments one after another, each conditional on the last: the process dies during one of them.
    const burst = (async () => {
      for (let i = 0; i < 200; i++) {
        const answer = await manager
          .request<Resource>(
            'PATCH',
            `/api/calls/${created.body.id}`,
            { summary: `Amendment ${i}` },
            {
              'if-match': `"${version}"`,
            },
          )
          .catch(() => undefined);
        if (answer?.status !== 200) return;
        version = answer.body.version;
        acknowledged.push(version);
      }
    })();
    await eventually(() => Promise.resolve(acknowledged.length >= 5 || undefined), 'a few amendments');
    await platform.kill('calls');
    await burst;
    await platform.start('calls');

    const call = await manager.request<Resource>('GET', `/api/calls/${created.body.id}`);
    const changes = call.body.version - startVersion;
    expect(changes).toBeGreaterThanOrEqual(acknowledged.length);
    const amended = await eventually(() => {
      const found = uniqueById(eventsOf(created.body.id)).filter((e) => e.type === 'call.amended');
      return Promise.resolve(found.length >= changes ? found : undefined);
    }, 'every committed amendment on the wire');
    expect(amended).toHaveLength(changes);
    const summaries = amended.map((e) => (e.data as { call: { summary: string } }).call.summary);
    expect(new Set(summaries).size).toBe(changes);
  });

  it('sends a poison message to the DLQ and goes on with the next one', async () => {
    const kafka = createKafka({ brokers: stackEndpoints().KAFKA_BROKERS.split(','), clientId: 'e2e-poison' });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const topic = `${platform.topicPrefix}calls.events`;
    const poisonKey = randomUUID();
    await producer.send({
      topic,
      messages: [
        { key: poisonKey, value: '{"this is": not json' },
        { key: poisonKey, value: JSON.stringify({ type: 'call.published', version: 1, data: {} }) },
      ],
    });
    await producer.disconnect();

    // A valid call after the poison still reaches the applications service.
    const created = await manager.request<Resource>('POST', '/api/calls', callDraft('industrial-transition'));
    await manager.request('POST', `/api/calls/${created.body.id}/publish`);
    await regionCanApply(created.body.id);

    const dlq = dlqTopicOf(topic, `${platform.topicPrefix}applications`);
    const letters = await eventually(async () => {
      const found = (await readDeadLetters(kafka, dlq)).filter((l) => l.key === poisonKey);
      return found.length === 2 ? found : undefined;
    }, 'both poison messages in the DLQ');
    expect(letters.map((l) => l.value)).toEqual([
      '{"this is": not json',
      JSON.stringify({ type: 'call.published', version: 1, data: {} }),
    ]);
  });
});
