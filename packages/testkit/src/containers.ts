import { GenericContainer, getContainerRuntimeClient, Wait } from 'testcontainers';
import type { StackEndpoints } from './endpoints';
import { freePort } from './free-port';

/** Whether a Docker (or Podman) engine answers. testcontainers throws when it finds none. */
export async function containerRuntimeAvailable(): Promise<boolean> {
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/**
 * The same components as infra/local, as containers (images match versions.json). Ryuk is off
 * because the process that starts them may exit before the tests end; `stopContainers` removes them.
 */
export async function startContainers(): Promise<{ endpoints: StackEndpoints; containerIds: string[] }> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  // Kafka tells clients the address to use, so the host port must be known before it starts.
  const kafkaPort = await freePort();
  const [kafka, mongo, temporal] = await Promise.all([
    new GenericContainer('apache/kafka:4.1.1')
      .withExposedPorts({ container: 9092, host: kafkaPort })
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      })
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start(),
    new GenericContainer('mongo:8.0')
      .withExposedPorts(27017)
      .withWaitStrategy(Wait.forListeningPorts())
      .start(),
    new GenericContainer('temporalio/temporal:1.5.1')
      .withCommand(['server', 'start-dev', '--ip', '0.0.0.0'])
      .withExposedPorts(7233)
      .withWaitStrategy(Wait.forListeningPorts())
      .start(),
  ]);
  return {
    endpoints: {
      KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
      MONGODB_URI: `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}`,
      TEMPORAL_ADDRESS: `${temporal.getHost()}:${temporal.getMappedPort(7233)}`,
      TEMPORAL_NAMESPACE: 'default',
    },
    containerIds: [kafka.getId(), mongo.getId(), temporal.getId()],
  };
}

export async function stopContainers(ids: readonly string[]): Promise<void> {
  const client = await getContainerRuntimeClient();
  await Promise.all(
    ids.map(async (id) => {
      const container = client.container.getById(id);
      await client.container.stop(container, { timeout: 10_000 });
      await client.container.remove(container, { removeVolumes: true });
    }),
  );
}
