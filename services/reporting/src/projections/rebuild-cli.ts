import { createKafka } from '@s3p/messaging';
import { ConfigError, loadConfig } from '@s3p/service-kit';
import { MongoClient } from 'mongodb';
import type { ReportingConfig } from '../config';
import { reportingConfig, reportingTopics } from '../config';
import { ProjectionRunner } from './projection-runner';
import { Projections } from './projections';

const usage = `usage: node rebuild-cli.js [--timeout-seconds N]
Rebuilds the reporting service's read models from offset zero of every topic, in a new consumer
group, with the service's environment (MONGODB_URI, KAFKA_BROKERS, TOPIC_PREFIX). Run it while the
service is stopped; the service then continues from where the replay ended. A running service is
rebuilt through POST /api/projections/rebuild instead.
Exit status: 0 rebuilt and caught up, 1 the service is running or the replay did not catch up in
time (default 600 s), 2 unusable arguments or configuration.`;

function timeoutOf(args: string[]): number | undefined {
  if (args.length === 0) return 600_000;
  const [flag, value] = args;
  const seconds = Number(value);
  return args.length === 2 && flag === '--timeout-seconds' && Number.isInteger(seconds) && seconds > 0
    ? seconds * 1000
    : undefined;
}

function configOf(env: NodeJS.ProcessEnv, print: (line: string) => void): ReportingConfig | undefined {
  try {
    return loadConfig(reportingConfig, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    print(error.message);
    return undefined;
  }
}

/** The command: rebuilds, waits for the replay to catch up, and answers its exit status. */
export async function main(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  print: (line: string) => void = console.log,
): Promise<number> {
  const timeoutMs = timeoutOf(args);
  if (timeoutMs === undefined) {
    print(usage);
    return 2;
  }
  const config = configOf(env, print);
  if (!config) return 2;
  const client = await MongoClient.connect(config.MONGODB_URI);
  try {
    const db = client.db();
    const projections = new Projections(db);
    await projections.ensureIndexes();
    const runner = new ProjectionRunner({
      kafka: createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'reporting-rebuild' }),
      db,
      projections,
      topicPrefix: config.TOPIC_PREFIX,
      topics: reportingTopics(config).all,
      log: (entry) => print(JSON.stringify(entry)),
    });
    // Two consumers would write the same documents from two processes, which only the service's
    // own queue keeps apart on FerretDB.
    const members = await runner.groupMembers();
    if (members > 0) {
      print(
        `${await runner.currentGroup()} has ${members} member(s): the reporting service is running. Stop it, or rebuild through it (POST /api/projections/rebuild).`,
      );
      return 1;
    }
    const { generation } = await runner.rebuild();
    print(`replaying every topic from offset zero into generation ${generation}…`);
    try {
      await runner.waitUntilCaughtUp({ timeoutMs });
    } catch (error) {
      print(`${error instanceof Error ? error.message : String(error)}; run the service to let it finish`);
      return 1;
    } finally {
      await runner.stop();
    }
    const [calls, pilots, entries] = await Promise.all([
      projections.calls.countDocuments(),
      projections.pilots.countDocuments(),
      projections.timelineEntryCount(),
    ]);
    print(
      `read models rebuilt (generation ${generation}): ${calls} calls, ${pilots} pilots, ${entries} timeline entries`,
    );
    return 0;
  } finally {
    await client.close();
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
