import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Component } from '../component';
import type { InfraConfig } from '../config';
import { dataDir } from '../config';
import { runCommand } from '../run-command';
import { requireJava, requireMaven } from '../toolchain';
import { infraRoot, versions } from '../versions';

const spec = versions.kafka;
const installDir = (cacheDir: string) => path.join(cacheDir, `kafka-${spec.scala}-${spec.version}`);
const classpath = (cacheDir: string) => `${path.join(installDir(cacheDir), 'libs')}/*`;
const propertiesFile = (config: InfraConfig) => path.join(dataDir(config, 'kafka'), 'server.properties');
const logDir = (config: InfraConfig) => path.join(dataDir(config, 'kafka'), 'data');

function serverProperties(config: InfraConfig): string {
  const { kafka: port, kafkaController: controller } = config.ports;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controller}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${logDir(config)}`,
    'num.partitions=3',
    // Services create their topics at start-up; a typo must not create a topic silently.
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=-1',
    '',
  ].join('\n');
}

/** A KRaft cluster id: 16 random bytes, base64url without padding (what `kafka-storage random-uuid` prints). */
const newClusterId = () => randomBytes(16).toString('base64url');

export const kafka: Component = {
  name: 'kafka',
  startTimeoutMs: 90_000,
  ports: (config) => [config.ports.kafka, config.ports.kafkaController],
  endpoints: (config) => ({ KAFKA_BROKERS: `127.0.0.1:${config.ports.kafka}` }),

  async install(config, log) {
    const dir = installDir(config.cacheDir);
    const marker = path.join(dir, '.complete');
    if (existsSync(marker)) return;
    await requireJava();
    await requireMaven();
    log(`fetching Apache Kafka ${spec.version} from Maven Central (first start only; cached in ${dir})`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(infraRoot, 'kafka', 'pom.xml'), path.join(dir, 'pom.xml'));
    await runCommand('mvn', [
      '-q',
      '-B',
      '-f',
      path.join(dir, 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${path.join(dir, 'libs')}`,
      '-DincludeScope=runtime',
      `-Dkafka.version=${spec.version}`,
      `-Dscala.version=${spec.scala}`,
      `-Dslf4j.version=${spec.slf4j}`,
      `-Dlog4j.version=${spec.log4j}`,
    ]);
    writeFileSync(marker, new Date().toISOString());
  },

  async prepare(config) {
    mkdirSync(logDir(config), { recursive: true });
    writeFileSync(propertiesFile(config), serverProperties(config));
    if (existsSync(path.join(logDir(config), 'meta.properties'))) return;
    await runCommand('java', [
      '-cp',
      classpath(config.cacheDir),
      `-Dlog4j2.configurationFile=${path.join(infraRoot, 'kafka', 'log4j2.yaml')}`,
      'kafka.tools.StorageTool',
      'format',
      '--ignore-formatted',
      '-t',
      newClusterId(),
      '-c',
      propertiesFile(config),
    ]);
  },

  launch(config) {
    return {
      command: 'java',
      args: [
        '-Xms256m',
        '-Xmx1g',
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${path.join(infraRoot, 'kafka', 'log4j2.yaml')}`,
        '-cp',
        classpath(config.cacheDir),
        'kafka.Kafka',
        propertiesFile(config),
      ],
      cwd: dataDir(config, 'kafka'),
    };
  },

  async probe(config) {
    const client = new Kafka({
      clientId: 's3p-infra-probe',
      brokers: [`127.0.0.1:${config.ports.kafka}`],
      connectionTimeout: 1_000,
      requestTimeout: 2_000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
    const admin = client.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0 || cluster.controller === null)
        throw new Error('no controller elected yet');
    } finally {
      await admin.disconnect();
    }
  },
};
