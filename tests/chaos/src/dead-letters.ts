import type { StoredDeadLetter } from '@s3p/messaging';
import { readDeadLetters, replayDeadLetters } from '@s3p/messaging';
import type { Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import type { Check } from './invariants';

/** The services that consume events: a consumer group's name is the topic prefix and one of these. */
const consumers = ['applications', 'lifecycle', 'experts', 'reporting', 'notifications'];

export interface DeadLetterWitnesses {
  kafka: Kafka;
  topicPrefix: string;
  /** Keys of the poison messages the harness put on the topics: dead letters by design. */
  poisonKeys: Set<string>;
  db: (service: string) => Db;
}

interface Letters {
  topics: string[];
  poison: StoredDeadLetter[];
  /** Valid events a consumer gave up on (its handler kept failing during a fault). */
  given: StoredDeadLetter[];
}

async function allDeadLetters({ kafka, topicPrefix, poisonKeys }: DeadLetterWitnesses): Promise<Letters> {
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics().finally(() => admin.disconnect())).filter(
    (t) => t.startsWith(topicPrefix) && t.endsWith('.dlq'),
  );
  const letters: Letters = { topics, poison: [], given: [] };
  for (const topic of topics) {
    for (const stored of await readDeadLetters(kafka, topic)) {
      (stored.key !== null && poisonKeys.has(stored.key) ? letters.poison : letters.given).push(stored);
    }
  }
  return letters;
}

/**
 * What the runbook says to do once a fault is over (`npm run dlq -w @s3p/messaging -- replay`):
 * the valid events a consumer gave up on go back to their topics. Answers how many.
 */
export async function redriveDeadLetters(witnesses: DeadLetterWitnesses): Promise<number> {
  const { given } = await allDeadLetters(witnesses);
  return given.length === 0 ? 0 : replayDeadLetters(witnesses.kafka, given);
}

const eventIdOf = (letter: StoredDeadLetter): string | undefined => {
  try {
    const id = (JSON.parse(letter.value ?? '') as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Every dead letter is accounted for: a poison message of the harness (and each of those is
 * there), or a valid event that its group, after the re-drive, has handled (its processed mark).
 */
export async function deadLettersAccountedFor(witnesses: DeadLetterWitnesses): Promise<Check> {
  const { topics, poison, given } = await allDeadLetters(witnesses);
  const unaccounted: string[] = [];
  for (const letter of given) {
    const groupId = letter.letter.groupId ?? '';
    const service = consumers.find((s) => groupId.slice(witnesses.topicPrefix.length).startsWith(s));
    const eventId = eventIdOf(letter);
    const handled =
      service !== undefined &&
      eventId !== undefined &&
      (await witnesses
        .db(service)
        .collection('processed_events')
        .countDocuments({ _id: `${groupId}:${eventId}` as never })) === 1;
    if (!handled)
      unaccounted.push(`${groupId} ${eventId ?? '(no event id)'}: ${letter.letter.error?.slice(0, 100)}`);
  }
  const poisonSeen = new Set(poison.map((l) => l.key));
  const missing = [...witnesses.poisonKeys].filter((key) => !poisonSeen.has(key));
  return {
    name: 'every DLQ message accounted for',
    holds: unaccounted.length === 0 && missing.length === 0,
    detail:
      `${poison.length + given.length} dead letters in ${topics.length} DLQ topics: ${poison.length} from the ` +
      `${witnesses.poisonKeys.size} poison messages (one per group that reads their topic, again at each replay), ` +
      `${given.length} valid events given up during faults ` +
      `(re-driven, ${given.length - unaccounted.length} handled since)` +
      (unaccounted.length ? `; unaccounted: ${unaccounted.slice(0, 3).join('; ')}` : '') +
      (missing.length ? `; poison never dead-lettered: ${missing.join(', ')}` : ''),
  };
}
