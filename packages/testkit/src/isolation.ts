import { randomUUID } from 'node:crypto';
import { stackEndpoints } from './endpoints';

/** Names that belong to one test file alone, so that test files can run in parallel on one stack. */
export interface Isolation {
  id: string;
  /** A database of its own (FerretDB allows [A-Za-z0-9_-], at most 63 characters). */
  database: string;
  /** MONGODB_URI pointing at that database. */
  mongoUri: string;
  /** Prefix for every Kafka topic and consumer group the file creates. */
  topicPrefix: string;
  /** A Temporal task queue of its own. */
  taskQueue: string;
  /** A mail domain of its own (`…@mailDomain`, under the reserved .test): Mailpit search `to:@mailDomain`. */
  mailDomain: string;
}

export function isolation(label: string): Isolation {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 24);
  const id = `${slug}-${randomUUID().slice(0, 8)}`;
  const database = `t_${id.replace(/-/g, '_')}`;
  const uri = new URL(stackEndpoints().MONGODB_URI);
  uri.pathname = `/${database}`;
  return {
    id,
    database,
    mongoUri: uri.toString(),
    topicPrefix: `t.${id}.`,
    taskQueue: `tq-${id}`,
    mailDomain: `${id}.test`,
  };
}
