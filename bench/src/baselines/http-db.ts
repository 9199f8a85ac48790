import { MongoClient } from 'mongodb';
import { isolation } from '@s3p/testkit';
import type { LoadResult } from '../load';
import { loadFigures, runLoad } from '../load';
import type { Figure } from '../results';
import type { Scenario, ScenarioContext } from '../scenario';
import { cleanUp, httpConcurrency, phasesOf } from './common';
import { draftJson } from './fixtures';
import { startChild } from './servers/child';

const drivers = ['mongoose', 'native'] as const;
type Driver = (typeof drivers)[number];

/**
 * B-http-db: a bare express handler that validates the draft (the API's zod schema) and inserts
 * the document the applications service stores (with its outbox) into a database of its own on
 * the stack's MongoDB-compatible server, once through mongoose and once through the native
 * driver, then a lean read by id of the stored applications (the targets compare the platform's
 * hot-path writes with the native driver's, ×0.6, and its lean reads, ×0.8). Each driver's server
 * is a process of its own, with a collection of its own that has the service's indexes.
 */
export const bHttpDb: Scenario = {
  id: 'B-http-db',
  async run(context: ScenarioContext): Promise<Figure[]> {
    const phases = phasesOf(context);
    const names = isolation('bench-http-db');
    const client = await new MongoClient(names.mongoUri).connect();
    const db = client.db();
    const figures: Figure[] = [];
    try {
      for (const driver of drivers) {
        const collection = db.collection<{ _id: string }>(`applications_${driver}`);
        // The applications service's indexes (ApplicationStore.ensureIndexes).
        await collection.createIndex({ region: 1, _id: -1 });
        await collection.createIndex({ partnerRegions: 1, _id: -1 });
        await collection.createIndex({ callId: 1, _id: -1 });
        const server = await startChild<{ port: number }>('express-db.ts', {
          DRIVER: driver,
          MONGODB_URI: names.mongoUri,
          COLLECTION: collection.collectionName,
        });
        try {
          const base = `http://127.0.0.1:${server.ready.port}/applications`;
          const writes = await runLoad({
            url: base,
            body: draftJson,
            concurrency: httpConcurrency,
            durationMs: phases.measureMs,
            warmupMs: phases.warmupMs,
          });
          figures.push(
            ...loadFigures(bHttpDb.id, `${driver} validate + insert`, writes, noteOf(driver, 'POST')),
          );
          const ids = (
            await collection
              .find({}, { projection: { _id: 1 } })
              .limit(2_000)
              .toArray()
          ).map((document) => document._id);
          const reads = await runLoad({
            url: (i) => `${base}/${ids[i % ids.length]}`,
            concurrency: httpConcurrency,
            durationMs: phases.shortMs,
            warmupMs: phases.warmupMs,
          });
          figures.push(
            ...loadFigures(
              bHttpDb.id,
              `${driver} lean read by id`,
              reads,
              noteOf(driver, `GET of ${ids.length} ids`),
            ),
          );
          context.log(`B-http-db ${driver}: ${summaryOf(writes)} writes, ${summaryOf(reads)} reads`);
        } finally {
          await server.stop();
        }
      }
      return figures;
    } finally {
      await cleanUp(context, [
        ['the database', () => db.dropDatabase()],
        ['the client', () => client.close()],
      ]);
    }
  },
};

const noteOf = (driver: Driver, what: string) =>
  `express + ${driver === 'mongoose' ? 'mongoose model' : 'native driver'}, ${what}, concurrency ${httpConcurrency}`;

const summaryOf = (result: LoadResult) =>
  `${result.rps.toFixed(0)}/s p99 ${result.latency.p99.toFixed(1)} ms`;
