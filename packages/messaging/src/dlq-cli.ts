import { createKafka } from './kafka';
import { readDeadLetters, replayDeadLetters } from './dead-letters';

const usage = `usage: dlq list <dlq-topic>
       dlq replay <dlq-topic> [--offset N ...]   (all letters when no offset is named)
Brokers come from KAFKA_BROKERS.`;

async function main([command, dlqTopic, ...rest]: string[]): Promise<number> {
  const brokers = process.env.KAFKA_BROKERS;
  if (!dlqTopic || !brokers || (command !== 'list' && command !== 'replay')) {
    console.error(usage);
    return 2;
  }
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'dlq-cli' });
  const letters = await readDeadLetters(kafka, dlqTopic);
  if (command === 'list') {
    for (const { dlqOffset, letter } of letters) {
      console.log(
        `${dlqOffset}\t${letter.topic}[${letter.partition}]@${letter.offset}\tattempts=${letter.attempts}\t${letter.failedAt}\t${letter.error}`,
      );
    }
    console.error(`${letters.length} dead letter(s) in ${dlqTopic}`);
    return 0;
  }
  const offsets = rest.filter((_, i) => rest[i - 1] === '--offset');
  const chosen = offsets.length === 0 ? letters : letters.filter((l) => offsets.includes(l.dlqOffset));
  console.error(`replayed ${await replayDeadLetters(kafka, chosen)} dead letter(s) to their topics`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
