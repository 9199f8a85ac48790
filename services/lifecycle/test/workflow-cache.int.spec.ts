import type { TestLifecycle } from './support';
import { openCall, seedReviewers, stageOf, startTestLifecycle, toDecision } from './support';

let t: TestLifecycle;

beforeAll(async () => {
  // Room for two pilots in the worker's memory, for five pilots taken through their steps.
  t = await startTestLifecycle('workflow-cache', { TEMPORAL_WORKFLOW_CACHE_SIZE: '2' });
  await seedReviewers(t, [
    { id: 'rev-nl', country: 'NL' },
    { id: 'rev-at', country: 'AT' },
    { id: 'rev-ie', country: 'IE' },
  ]);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

async function cachedWorkflows(): Promise<number> {
  const text = await (await fetch(`${t.service.url}/metrics`)).text();
  const line = text.split('\n').find((entry) => entry.startsWith('temporal_worker_cached_workflows{'));
  if (!line) throw new Error('no temporal_worker_cached_workflows in /metrics');
  expect(line).toContain(`task_queue="${t.taskQueue}"`);
  return Number(line.split(' ').at(-1));
}

it('keeps at most TEMPORAL_WORKFLOW_CACHE_SIZE workflows in memory; the others replay and go on', async () => {
  const callId = await openCall(t);
  const pilots: string[] = [];
  for (let i = 0; i < 5; i++) {
    pilots.push(await toDecision(t, callId));
    expect(await cachedWorkflows()).toBeLessThanOrEqual(2);
  }
  expect(await cachedWorkflows()).toBeGreaterThan(0);

  // The first pilots left the cache long ago: a decision replays their histories, and they go on.
  const approver = await t.as('approver1', ['approver']);
  for (const pilotId of pilots.slice(0, 2)) {
    const decided = await approver('POST', `/api/pilots/${pilotId}/decision`, {
      decision: 'reject',
      reasons: 'Out of scope.',
    });
    expect(decided.status).toBe(201);
    expect(decided.body.stage).toBe('rejected');
    await stageOf(t, pilotId, 'rejected');
  }
  expect(await cachedWorkflows()).toBeLessThanOrEqual(2);
}, 300_000);
