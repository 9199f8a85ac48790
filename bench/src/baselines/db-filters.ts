import { MongoClient } from 'mongodb';
import { isolation } from '@s3p/testkit';
import { closedLoop } from '../load';
import type { Figure } from '../results';
import type { Scenario, ScenarioContext } from '../scenario';
import { cleanUp } from './common';
import { applicationDocument, applicationDraft } from './fixtures';

/** Collection sizes the updates are measured at: the cost of a filter FerretDB cannot push down grows with them. */
const sizesOf = (smoke: boolean) => (smoke ? [50, 200] : [100, 4_000]);

/**
 * B-db-filters: what the database does with the platform's write shapes. The same `$set` of one
 * application, by the native driver at concurrency 8, once filtered by `_id` alone and once by
 * `_id` with the optimistic-concurrency condition the services add (`status`, `version`), on
 * collections of growing size. FerretDB 1.x's SQLite backend uses its primary key only for a
 * filter whose one field is `_id`; any other reads the whole collection.
 */
export const bDbFilters: Scenario = {
  id: 'B-db-filters',
  async run(context: ScenarioContext): Promise<Figure[]> {
    const names = isolation('bench-db-filters');
    const client = await new MongoClient(names.mongoUri).connect();
    const db = client.db();
    const figures: Figure[] = [];
    const durationMs = context.smoke ? 500 : 3_000;
    try {
      for (const size of sizesOf(context.smoke)) {
        const collection = db.collection<{ _id: string; status: string; version: number }>(
          `applications_${size}`,
        );
        const ids: string[] = [];
        for (let start = 0; start < size; start += 500) {
          const batch = Array.from({ length: Math.min(500, size - start) }, () =>
            applicationDocument(applicationDraft()),
          );
          await collection.insertMany(batch as never[]);
          ids.push(...batch.map((document) => document._id));
        }
        const shapes: [string, (id: string) => Record<string, unknown>][] = [
          ['by _id alone', (id) => ({ _id: id })],
          ['by _id, status and version', (id) => ({ _id: id, status: 'draft', version: 1 })],
        ];
        for (const [shape, filterOf] of shapes) {
          const result = await closedLoop(8, durationMs, async (i) => {
            const id = ids[i % ids.length]!;
            const { matchedCount } = await collection.updateOne(filterOf(id) as never, {
              $set: { title: `Updated ${i}` },
            });
            if (matchedCount !== 1) throw new Error(`update ${shape} matched ${matchedCount}`);
          });
          const note = `native driver, 8 in flight, a collection of ${size} applications; ${result.requests} updates`;
          figures.push(
            {
              scenario: bDbFilters.id,
              metric: `update ${shape}, ${size} documents, throughput`,
              value: result.rps,
              unit: 'updates/s',
              note,
            },
            {
              scenario: bDbFilters.id,
              metric: `update ${shape}, ${size} documents, p50`,
              value: result.latency.p50,
              unit: 'ms',
              note,
            },
          );
        }
        context.log(
          `B-db-filters: ${size} documents: ${figures
            .slice(-4)
            .filter((figure) => figure.unit === 'updates/s')
            .map((figure) => `${figure.value.toFixed(0)}/s`)
            .join(' against ')}`,
        );
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
