import { newId } from '@s3p/service-kit';
import type { TestLifecycle } from './support';
import { eventually, openCall, startTestLifecycle, submitted, submittedApplication } from './support';

/**
 * `GET /api/pilots` a page at a time: newest submission first, the cursor carrying on where the
 * last page stopped, with the stage and call filters and a region's tenancy applied to every page.
 * No reviewer is in the pool, so eligible pilots wait in evaluation and the list holds still.
 */

let t: TestLifecycle;
let callId: string;
/** The pilots' ids, oldest first: time-ordered ids as the applications service gives them. */
const ids: string[] = [];
const regions = ['BG41', 'PL91', 'BG41', 'SE33', 'BG41'];

type Page = { items: { pilotId: string; stage: string; region: string }[]; nextCursor?: string };

beforeAll(async () => {
  t = await startTestLifecycle('pilot-list');
  callId = await openCall(t);
  const start = Date.now();
  for (const [index, region] of regions.entries()) {
    const application = submittedApplication(callId, { id: newId(start + index * 10), region });
    ids.push(application.id);
    await t.publish('applications', submitted(application));
  }
  // SE33's member state is not one the call admits: it ends ineligible; the others wait for reviewers.
  const manager = await t.as('manager', ['programme-manager']);
  await eventually(async () => {
    const answer = await manager<Page>('GET', '/api/pilots?limit=100');
    const settled = answer.body.items.filter((pilot) =>
      pilot.region === 'SE33' ? pilot.stage === 'ineligible' : pilot.stage === 'evaluation',
    );
    return settled.length === regions.length;
  }, 'every pilot in its stage');
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

/** Every page of a list, following the cursors, as the ids of each page. */
async function pagesOf(caller: Awaited<ReturnType<TestLifecycle['as']>>, query: string): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const answer = await caller<Page>(
      'GET',
      `/api/pilots?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(answer.status).toBe(200);
    pages.push(answer.body.items.map((pilot) => pilot.pilotId));
    cursor = answer.body.nextCursor;
  } while (cursor !== undefined && pages.length < 10);
  return pages;
}

const newestFirst = (indexes: number[]) => indexes.map((i) => ids[i]!).reverse();

describe('the list of pilots', () => {
  it('pages through every pilot, newest first, the last page without a cursor', async () => {
    const approver = await t.as('approver1', ['approver']);
    const pages = await pagesOf(approver, 'limit=2');
    expect(pages).toEqual([newestFirst([3, 4]), newestFirst([1, 2]), newestFirst([0])]);
  });

  it('keeps the stage and call filters on every page', async () => {
    const approver = await t.as('approver1', ['approver']);
    expect(await pagesOf(approver, 'stage=evaluation&limit=2')).toEqual([
      newestFirst([2, 4]),
      newestFirst([0, 1]),
    ]);
    expect(await pagesOf(approver, 'stage=ineligible')).toEqual([[ids[3]]]);
    expect(await pagesOf(approver, 'stage=decision')).toEqual([[]]);
    expect(await pagesOf(approver, `callId=${callId}&limit=5`)).toEqual([newestFirst([0, 1, 2, 3, 4])]);
    expect(await pagesOf(approver, 'callId=another-call')).toEqual([[]]);
  });

  it('gives a region only the pilots it leads or partners in, page after page', async () => {
    const bulgaria = await t.as('region-bg41', ['region'], 'BG41');
    expect(await pagesOf(bulgaria, 'limit=2')).toEqual([newestFirst([2, 4]), newestFirst([0])]);
    const poland = await t.as('region-pl91', ['region'], 'PL91');
    expect(await pagesOf(poland, 'limit=2')).toEqual([[ids[1]]]);
  });

  it('refuses a cursor it did not give and a page too large, at the field', async () => {
    const manager = await t.as('manager', ['programme-manager']);
    const forged = await manager('GET', '/api/pilots?cursor=not-a-cursor');
    expect(forged.status).toBe(400);
    expect(forged.body.errors).toEqual([expect.objectContaining({ path: 'query.cursor' })]);
    const large = await manager('GET', '/api/pilots?limit=101');
    expect(large.status).toBe(400);
    expect(JSON.stringify(large.body.errors)).toContain('query.limit');
  });

  it('is not for reviewers, who have their tasks instead', async () => {
    const reviewer = await t.as('reviewer1', ['reviewer']);
    expect((await reviewer('GET', '/api/pilots')).status).toBe(403);
    const tasks = await reviewer('GET', '/api/reviews?mine=true');
    expect(tasks.status).toBe(200);
    expect(tasks.body.items).toEqual([]);
  });
});
