import { isolation } from '@s3p/testkit';
import type { Db } from 'mongodb';
import { MongoClient } from 'mongodb';
import { createPilotActivities } from '../src/activities/pilot-activities';
import type { ReviewerDocument } from '../src/store/reviewer-pool';
import { ReviewerPool } from '../src/store/reviewer-pool';
import type { ReviewTaskDocument } from '../src/store/review-tasks';
import { ReviewTasks } from '../src/store/review-tasks';
import type { SeatingDocument } from '../src/store/seatings';
import { Seatings } from '../src/store/seatings';

const names = isolation('lifecycle-seating');
let client: MongoClient;
let db: Db;
let tasks: ReviewTasks;
let activities: ReturnType<typeof createPilotActivities>;

const reviewer = (id: string, country: string): ReviewerDocument => ({
  _id: id,
  name: id,
  country: country as ReviewerDocument['country'],
  conflicts: { regions: [], countries: [] },
  active: true,
  updatedAt: '2026-11-01T00:00:00.000Z',
  updatedBy: 'test',
});

const request = (pilotId: string, requestId: string) => ({
  pilotId,
  round: 1,
  requestId,
  count: 2,
  regions: ['BG41'],
  excluded: [],
  dueAt: '2026-12-01T00:00:00.000Z',
  title: `Pilot ${pilotId}`,
});

beforeAll(async () => {
  client = await MongoClient.connect(names.mongoUri);
  db = client.db();
  const pool = new ReviewerPool(db.collection<ReviewerDocument>('reviewers'));
  const members: [string, string][] = [
    ['rev-a', 'FR'],
    ['rev-b', 'DE'],
    ['rev-c', 'IT'],
    ['rev-d', 'ES'],
  ];
  for (const [id, country] of members) {
    await pool.put(reviewer(id, country));
  }
  tasks = new ReviewTasks(db.collection<ReviewTaskDocument>('review_tasks'));
  activities = createPilotActivities({
    reviewTasks: tasks,
    seatings: new Seatings(db.collection<SeatingDocument>('seatings')),
    pool,
    // Seating reads neither pilots, submissions nor calls.
    pilots: undefined as never,
    submissions: undefined as never,
    calls: undefined as never,
    poke: () => undefined,
  });
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

describe('assignReviewers', () => {
  it('answers a retried request with its first choice, though the workload has changed since', async () => {
    const first = await activities.assignReviewers(request('p-1', 'seat-p-1-r1'));
    expect(first.chosen).toHaveLength(2);
    expect(first.missing).toBe(0);
    // Another pilot's seating loads the two chosen: a fresh choice would now take the other two.
    const other = await activities.assignReviewers({ ...request('p-2', 'seat-p-2-r1'), count: 4 });
    expect(other.chosen).toHaveLength(4);

    const retried = await activities.assignReviewers(request('p-1', 'seat-p-1-r1'));
    expect(retried).toEqual(first);
    const seated = await tasks.collection.find({ pilotId: 'p-1' }).toArray();
    expect(seated.map((task) => task.reviewer).sort()).toEqual([...first.chosen].sort());
  });

  it('seats the kept choice when a crash came between the choice and the tasks', async () => {
    await db.collection<SeatingDocument>('seatings').insertOne({
      _id: 'seat-p-3-r1',
      pilotId: 'p-3',
      round: 1,
      chosen: ['rev-c', 'rev-d'],
      missing: 0,
      decidedAt: '2026-11-20T00:00:00.000Z',
    });
    const answer = await activities.assignReviewers(request('p-3', 'seat-p-3-r1'));
    expect(answer).toEqual({ chosen: ['rev-c', 'rev-d'], missing: 0 });
    const seated = await tasks.collection.find({ pilotId: 'p-3' }).toArray();
    expect(seated.map((task) => [task._id, task.state])).toEqual([
      ['p-3:1:rev-c', 'declare'],
      ['p-3:1:rev-d', 'declare'],
    ]);
  });

  it('lets concurrent attempts of one request agree on one choice', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => activities.assignReviewers(request('p-4', 'seat-p-4-r1'))),
    );
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(await tasks.collection.countDocuments({ pilotId: 'p-4' })).toBe(2);
  });
});
