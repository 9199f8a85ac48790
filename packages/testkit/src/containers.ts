import { versions } from '@s3p/infra-local';
import type { StartedTestContainer } from 'testcontainers';
import { GenericContainer, getContainerRuntimeClient, Wait } from 'testcontainers';
import type { StackEndpoints, StackPart } from './endpoints';
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

interface StartedPart {
  container: StartedTestContainer;
  endpoints: Partial<StackEndpoints>;
}

/** One container per part of the stack; the images match versions.json. */
const starters: Record<StackPart, () => Promise<StartedPart>> = {
  async kafka() {
    // Kafka tells clients the address to use, so the host port must be known before it starts.
    const kafkaPort = await freePort();
    const container = await new GenericContainer('apache/kafka:4.1.1')
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
      .start();
    return { container, endpoints: { KAFKA_BROKERS: `127.0.0.1:${kafkaPort}` } };
  },

  async ferretdb() {
    const container = await new GenericContainer('mongo:8.0')
      .withExposedPorts(27017)
      .withWaitStrategy(Wait.forListeningPorts())
      .start();
    return {
      container,
      endpoints: { MONGODB_URI: `mongodb://${container.getHost()}:${container.getMappedPort(27017)}` },
    };
  },

  async temporal() {
    const container = await new GenericContainer('temporalio/temporal:1.5.1')
      .withCommand(['server', 'start-dev', '--ip', '0.0.0.0'])
      .withExposedPorts(7233)
      .withWaitStrategy(Wait.forListeningPorts())
      .start();
    return {
      container,
      endpoints: {
        TEMPORAL_ADDRESS: `${container.getHost()}:${container.getMappedPort(7233)}`,
        TEMPORAL_NAMESPACE: 'default',
      },
    };
  },

  async mailpit() {
    // The image's entry point is mailpit itself: the command is its flags (as infra/local's).
    const container = await new GenericContainer(`axllent/mailpit:${versions.mailpit.version}`)
      .withCommand(['--smtp-auth-accept-any', '--smtp-auth-allow-insecure', '--disable-version-check'])
      .withExposedPorts(1025, 8025)
      .withWaitStrategy(Wait.forHttp('/readyz', 8025))
      .start();
    return {
      container,
      endpoints: {
        SMTP_URL: `smtp://${container.getHost()}:${container.getMappedPort(1025)}`,
        MAILPIT_URL: `http://${container.getHost()}:${container.getMappedPort(8025)}`,
      },
    };
  },
};

/**
 * Starts the given parts as containers. Ryuk is off because the process that starts them may exit
 * before the tests end; `stopContainers` removes them. When one fails, the others are removed.
 */
export async function startContainers(
  parts: readonly StackPart[],
): Promise<{ endpoints: Partial<StackEndpoints>; containerIds: string[] }> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  const results = await Promise.allSettled(parts.map((part) => starters[part]()));
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await stopContainers(started.map(({ container }) => container.getId())).catch(() => undefined);
    throw failure.reason;
  }
  return {
    endpoints: Object.assign({}, ...started.map((s) => s.endpoints)) as Partial<StackEndpoints>,
    containerIds: started.map(({ container }) => container.getId()),
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
