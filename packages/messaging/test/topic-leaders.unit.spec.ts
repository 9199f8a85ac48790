import type { Admin } from 'kafkajs';
import { ensureTopics } from '../src/kafka';

/** An admin whose metadata answers come from a script, one per call, the last repeated. */
function scriptedAdmin(answers: (Error | number[])[]) {
  const asked: string[][] = [];
  let call = 0;
  const admin = {
    listTopics: () => Promise.resolve([]),
    createTopics: () => Promise.resolve(true),
    fetchTopicMetadata: ({ topics }: { topics: string[] }) => {
      asked.push(topics);
      const answer = answers[Math.min(call++, answers.length - 1)]!;
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve({
        topics: topics.map((name) => ({
          name,
          partitions: answer.map((leader, partitionId) => ({ partitionId, leader })),
        })),
      });
    },
  };
  return { admin: admin as unknown as Admin, asked };
}

/** As kafkajs raises a broker's error answer: a `KafkaJSProtocolError` carries these fields. */
const brokerAnswer = (message: string, type: string, retriable: boolean) =>
  Object.assign(new Error(message), { type, retriable });

const notHostedYet = () =>
  brokerAnswer('This server does not host this topic-partition', 'UNKNOWN_TOPIC_OR_PARTITION', true);

describe('creating topics on a broker that has just started', () => {
  it('waits through "does not host this topic-partition" and partitions without a leader', async () => {
    const { admin, asked } = scriptedAdmin([notHostedYet(), [1, -1, 1], [1, 1, 1]]);
    await ensureTopics(admin, ['t.calls.events'], 3, 5_000);
    expect(asked).toHaveLength(3);
  });

  it('gives up with the topics named when no leader comes in time', async () => {
    const { admin } = scriptedAdmin([[1, -1, 1]]);
    await expect(ensureTopics(admin, ['t.calls.events'], 3, 300)).rejects.toThrow(
      'topics without a leader after 300 ms: t.calls.events',
    );
  });

  it('fails at once on an answer that is not retriable', async () => {
    const denied = brokerAnswer('Not authorized to access topics', 'TOPIC_AUTHORIZATION_FAILED', false);
    const { admin, asked } = scriptedAdmin([denied]);
    await expect(ensureTopics(admin, ['t.calls.events'], 3, 5_000)).rejects.toBe(denied);
    expect(asked).toHaveLength(1);
  });
});
