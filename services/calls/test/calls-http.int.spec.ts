import { randomUUID } from 'node:crypto';
import type { Caller, TestCalls, Wire } from './support';
import { callDraft, eventually, inDays, inSeconds, startTestCalls } from './support';

let calls: TestCalls;
let wire: Wire;
let manager: Caller;
let approver: Caller;
let auditor: Caller;
let region: Caller;
let reviewer: Caller;
/** The lifecycle service, calling with its own client-credentials token (role `service`, no region). */
let lifecycle: Caller;

type Call = {
  id: string;
  status: string;
  version: number;
  title: string;
  closesAt: string;
  totalBudget: number;
  committedBudget: number;
  remainingBudget: number;
  closeReason?: string;
};
type Problem = { status: number; detail?: string; errors?: { path: string; message: string }[] };
type Reservation = {
  applicationId: string;
  amount: number;
  committedBudget: number;
  remainingBudget: number;
};

beforeAll(async () => {
  calls = await startTestCalls('calls-http');
  wire = await calls.tap();
  [manager, approver, auditor, region, reviewer, lifecycle] = await Promise.all([
    calls.as('manager', ['programme-manager']),
    calls.as('approver1', ['approver']),
    calls.as('auditor', ['auditor']),
    calls.as('region-bg41', ['region'], 'BG41'),
    calls.as('reviewer1', ['reviewer']),
    calls.as('lifecycle', ['service']),
  ]);
});

afterAll(async () => {
  await calls?.stop();
});

async function draft(overrides: Record<string, unknown> = {}): Promise<Call> {
  const created = await manager<Call>('POST', '/api/calls', callDraft(overrides));
  expect(created.status).toBe(201);
  return created.body;
}

async function published(overrides: Record<string, unknown> = {}): Promise<Call> {
  const call = await draft(overrides);
  const answer = await manager<Call>('POST', `/api/calls/${call.id}/publish`);
  expect(answer.status).toBe(200);
  return answer.body;
}

describe('drafting a call', () => {
  it('creates a draft for a programme manager, with its Location and ETag', async () => {
    const created = await manager<Call>('POST', '/api/calls', callDraft({ totalBudget: 5_000_000 }));
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/calls/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({
      status: 'draft',
      version: 1,
      committedBudget: 0,
      remainingBudget: 5_000_000,
      scoreTolerance: 15,
      expertTeamSize: 3,
    });
    const read = await manager<Call>('GET', `/api/calls/${created.body.id}`);
    expect(read.body).toEqual(created.body);
  });

  it('refuses other roles (403) and callers without a token (401)', async () => {
    const byReviewer = await reviewer('POST', '/api/calls', callDraft());
    expect(byReviewer.status).toBe(403);
    expect(byReviewer.headers.get('content-type')).toContain('application/problem+json');
    const anonymous = await fetch(`${calls.service.url}/api/calls`);
    expect(anonymous.status).toBe(401);
  });

  it.each([
    ['an unknown field', { colour: 'blue' }, 'body.colour'],
    ['the status', { status: 'open' }, 'body.status'],
    ['the committed budget', { committedBudget: 0 }, 'body.committedBudget'],
    ['a wrong type', { totalBudget: 'a lot' }, 'body.totalBudget'],
  ])('refuses %s with 400 naming the field', async (_what, extra, path) => {
    const answer = await manager<Problem>('POST', '/api/calls', { ...callDraft(), ...extra });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.path)).toContain(path);
  });

  it('creates once for one Idempotency-Key, and answers the replay the same', async () => {
    const body = callDraft();
    const key = randomUUID();
    const first = await manager<Call>('POST', '/api/calls', body, { 'idempotency-key': key });
    const again = await manager<Call>('POST', '/api/calls', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    const listed = await manager<{ items: Call[] }>('GET', '/api/calls?status=draft&limit=100');
    expect(listed.body.items.filter((c) => c.title === body.title)).toHaveLength(1);
    const otherBody = await manager('POST', '/api/calls', callDraft(), { 'idempotency-key': key });
    expect(otherBody.status).toBe(422);
  });
});

describe('amending a call', () => {
  it('applies a patch under If-Match, and answers 412 to a stale one', async () => {
    const call = await draft();
    const patched = await manager<Call>(
      'PATCH',
      `/api/calls/${call.id}`,
      { title: 'A better title' },
      { 'if-match': '"1"' },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'A better title', version: 2 });
    expect(patched.headers.get('etag')).toBe('"2"');
    const stale = await manager(
      'PATCH',
      `/api/calls/${call.id}`,
      { title: 'Lost update' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
    expect((await manager<Call>('GET', `/api/calls/${call.id}`)).body.title).toBe('A better title');
  });

  it('answers 400 to an unknown field and 422 with the field when the merged call breaks a rule', async () => {
    const call = await draft();
    const unknown = await manager<Problem>('PATCH', `/api/calls/${call.id}`, { committedBudget: 5 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.map((e) => e.path)).toContain('body.committedBudget');
    const broken = await manager<Problem>('PATCH', `/api/calls/${call.id}`, {
      perApplicationCeiling: 2_000_000,
    });
    expect(broken.status).toBe(422);
    expect(broken.body.errors?.map((e) => e.path)).toEqual(['body.perApplicationCeiling']);
  });

  it('keeps a published call sane: the pilot type is fixed, the deadline stays in the future, a closed call is final', async () => {
    const call = await published({ opensAt: inDays(2), closesAt: inDays(30) });
    expect(call.status).toBe('scheduled');
    const pilotType = await manager<Problem>('PATCH', `/api/calls/${call.id}`, {
      pilotType: 'interregional-partnership',
      eligibility: { countries: ['BG', 'PL'], minPartners: 1, maxPartners: 3, minCountries: 2 },
    });
    expect(pilotType.status).toBe(409);
    expect(pilotType.body.errors?.map((e) => e.path)).toEqual(['body.pilotType']);
    const past = await manager<Problem>('PATCH', `/api/calls/${call.id}`, {
      closesAt: inSeconds(-5),
      opensAt: inDays(-1),
    });
    expect(past.status).toBe(422);
    const closed = await manager<Call>('POST', `/api/calls/${call.id}/close`);
    expect(closed.body).toMatchObject({ status: 'closed', closeReason: 'manual' });
    expect((await manager('PATCH', `/api/calls/${call.id}`, { title: 'After the end' })).status).toBe(409);
    expect((await manager('POST', `/api/calls/${call.id}/close`)).status).toBe(409);
    expect((await manager('POST', `/api/calls/${call.id}/publish`)).status).toBe(409);
  });

  it('locks what open calls were applied against', async () => {
    const call = await published();
    expect(call.status).toBe('open');
    const criteria = await manager<Problem>('PATCH', `/api/calls/${call.id}`, {
      passThreshold: 80,
      criteria: [{ id: 'relevance', name: 'Relevance', weight: 100, maxScore: 5 }],
    });
    expect(criteria.status).toBe(409);
    expect(criteria.body.errors?.map((e) => e.path).sort()).toEqual(['body.criteria', 'body.passThreshold']);
  });
});

describe('publishing and closing', () => {
  it('refuses to publish a call whose deadline has passed (422), and a close of a draft (409)', async () => {
    const call = await draft({ opensAt: inDays(-2), closesAt: inDays(-1) });
    const answer = await manager<Problem>('POST', `/api/calls/${call.id}/publish`);
    expect(answer.status).toBe(422);
    expect(answer.body.errors?.map((e) => e.path)).toEqual(['closesAt']);
    expect((await manager('POST', `/api/calls/${call.id}/close`)).status).toBe(409);
    expect((await manager<Call>('GET', `/api/calls/${call.id}`)).body.status).toBe('draft');
  });

  it('publishes once: a retry answers the same and starts no second workflow', async () => {
    const call = await published({ opensAt: inDays(1) });
    const handle = calls.temporal.workflow.getHandle(`call-${call.id}`);
    const first = await handle.describe();
    const again = await manager<Call>('POST', `/api/calls/${call.id}/publish`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(call);
    expect((await handle.describe()).runId).toBe(first.runId);
  });

  it('closes by hand, which ends the call workflow', async () => {
    const call = await published();
    const closed = await manager<Call>('POST', `/api/calls/${call.id}/close`, undefined, {
      'if-match': `"${call.version}"`,
    });
    expect(closed.status).toBe(200);
    const result = await calls.temporal.workflow.getHandle(`call-${call.id}`).result();
    expect(result).toMatchObject({ callId: call.id, status: 'closed' });
  });

  it('puts every change of a published call on Kafka, in order, each valid against its contract', async () => {
    const call = await published();
    await manager('PATCH', `/api/calls/${call.id}`, { summary: 'Amended.' });
    await approver('POST', `/api/calls/${call.id}/reservations`, { applicationId: 'app-1', amount: 100_000 });
    await manager('POST', `/api/calls/${call.id}/close`);
    const events = await eventually(
      () => Promise.resolve(wire.of(call.id).length >= 5 && wire.of(call.id)),
      'five events of the call on the wire',
    );
    expect(events.map((e) => e.type)).toEqual([
      'call.published',
      'call.opened',
      'call.amended',
      'call.budget-reserved',
      'call.closed',
    ]);
    expect(events[2]!.data).toMatchObject({ changed: ['summary'], call: { summary: 'Amended.' } });
    expect(events[3]!.data).toEqual({
      callId: call.id,
      applicationId: 'app-1',
      amount: 100_000,
      committedBudget: 100_000,
    });
    expect(events[4]!.data).toMatchObject({ reason: 'manual' });
    expect(events.every((e) => e.source === 'calls' && e.subject === call.id)).toBe(true);
    expect(events[0]!.actor).toEqual({ kind: 'user', sub: 'manager', roles: ['programme-manager'] });
    expect(wire.invalid).toEqual([]);
  });

  it('keeps drafts out of the events', async () => {
    const call = await draft();
    await manager('PATCH', `/api/calls/${call.id}`, { summary: 'Still a draft.' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(wire.of(call.id)).toEqual([]);
  });
});

describe('reading calls', () => {
  it('shows drafts to programme managers and auditors only', async () => {
    const hidden = await draft();
    const shown = await published();
    expect((await region('GET', `/api/calls/${hidden.id}`)).status).toBe(404);
    expect((await auditor('GET', `/api/calls/${hidden.id}`)).status).toBe(200);
    expect((await region('GET', `/api/calls/${shown.id}`)).status).toBe(200);
    const listed = await region<{ items: Call[] }>('GET', '/api/calls?limit=100');
    expect(listed.body.items.map((c) => c.id)).toContain(shown.id);
    expect(listed.body.items.every((c) => c.status !== 'draft')).toBe(true);
    expect((await region<{ items: Call[] }>('GET', '/api/calls?status=draft')).body.items).toEqual([]);
  });

  it('filters by status and pilot type, and pages newest first', async () => {
    const partnership = await published({
      pilotType: 'interregional-partnership',
      eligibility: { countries: ['BG', 'PL'], minPartners: 1, maxPartners: 3, minCountries: 2 },
    });
    const byType = await manager<{ items: Call[] }>(
      'GET',
      '/api/calls?status=open&pilotType=interregional-partnership',
    );
    expect(byType.body.items.map((c) => c.id)).toEqual([partnership.id]);

    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await manager<{ items: Call[]; nextCursor?: string }>(
        'GET',
        `/api/calls?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      pages.push(...page.body.items.map((c) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual([...pages].sort().reverse());
    expect(new Set(pages).size).toBe(pages.length);
    expect(pages[0]).toBe(partnership.id);
  });

  it('shows a service every call, drafts included', async () => {
    const hidden = await draft();
    const shown = await published();
    expect((await lifecycle<Call>('GET', `/api/calls/${hidden.id}`)).body).toMatchObject({
      id: hidden.id,
      status: 'draft',
    });
    expect((await lifecycle<Call>('GET', `/api/calls/${shown.id}`)).body).toMatchObject({
      id: shown.id,
      status: 'open',
      remainingBudget: shown.totalBudget,
    });
    const drafts = await lifecycle<{ items: Call[] }>('GET', '/api/calls?status=draft&limit=100');
    expect(drafts.body.items.map((c) => c.id)).toContain(hidden.id);
  });

  it('answers 404 to an unknown call and 400 to a bad query', async () => {
    expect((await manager('GET', '/api/calls/no-such-call')).status).toBe(404);
    expect((await manager('GET', '/api/calls?limit=-3')).status).toBe(400);
    expect((await manager('GET', '/api/calls?status=sleeping')).status).toBe(400);
    expect((await manager('GET', '/api/calls?colour=blue')).status).toBe(400);
  });
});

describe("a call's budget", () => {
  it('never over-commits under 20 concurrent reservations', async () => {
    const call = await published({ totalBudget: 1_000_000, perApplicationCeiling: 300_000 });
    const amounts = Array.from({ length: 20 }, (_, i) => 100_000 + (i % 3) * 100_000);
    const answers = await Promise.all(
      amounts.map((amount) =>
        approver<Reservation & Problem>('POST', `/api/calls/${call.id}/reservations`, {
          applicationId: randomUUID(),
          amount,
        }),
      ),
    );
    expect(answers.map((a) => a.status).filter((s) => s !== 201 && s !== 422)).toEqual([]);
    const accepted = answers.flatMap((a, i) => (a.status === 201 ? [amounts[i]!] : []));
    const committed = accepted.reduce((sum, amount) => sum + amount, 0);
    expect(committed).toBeLessThanOrEqual(1_000_000);
    expect(accepted.length).toBeLessThan(amounts.length);
    const read = await manager<Call>('GET', `/api/calls/${call.id}`);
    expect(read.body.committedBudget).toBe(committed);
    expect(read.body.remainingBudget).toBe(1_000_000 - committed);
    const reserved = await eventually(
      () =>
        Promise.resolve(
          wire.of(call.id).filter((e) => e.type === 'call.budget-reserved').length === accepted.length &&
            wire.of(call.id).filter((e) => e.type === 'call.budget-reserved'),
        ),
      'every reservation on the wire',
    );
    // Each event carries the committed figure right after it: together they count up to the total.
    const figures = reserved.map((e) => (e.data as { committedBudget: number }).committedBudget);
    expect(figures).toEqual([...figures].sort((a, b) => a - b));
    expect(figures.at(-1)).toBe(committed);
  });

  it('answers a repeat with the existing reservation, and refuses what breaks a rule', async () => {
    const call = await published({ totalBudget: 1_000_000, perApplicationCeiling: 300_000 });
    const path = `/api/calls/${call.id}/reservations`;
    const first = await approver<Reservation>('POST', path, { applicationId: 'app-7', amount: 250_000 });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ committedBudget: 250_000, remainingBudget: 750_000 });
    const repeat = await approver<Reservation>('POST', path, { applicationId: 'app-7', amount: 250_000 });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ applicationId: 'app-7', amount: 250_000, committedBudget: 250_000 });
    expect((await approver('POST', path, { applicationId: 'app-7', amount: 200_000 })).status).toBe(409);
    const ceiling = await approver<Problem>('POST', path, { applicationId: 'app-8', amount: 300_001 });
    expect(ceiling.status).toBe(422);
    expect(ceiling.body.errors?.map((e) => e.path)).toEqual(['body.amount']);
    for (const id of ['app-9', 'app-10']) {
      expect((await manager('POST', path, { applicationId: id, amount: 300_000 })).status).toBe(201);
    }
    const short = await approver<Problem>('POST', path, { applicationId: 'app-11', amount: 200_000 });
    expect(short.status).toBe(422);
    expect(short.body.detail).toContain('150000');
    expect((await region('POST', path, { applicationId: 'app-12', amount: 1 })).status).toBe(403);
    expect((await approver('POST', path, { applicationId: 'app-12', amount: 0 })).status).toBe(400);

    const notYet = await draft();
    expect(
      (await manager('POST', `/api/calls/${notYet.id}/reservations`, { applicationId: 'a', amount: 1 }))
        .status,
    ).toBe(409);
    // A reservation after the deadline is what approvals do; the budget stays guarded after closing.
    await manager('POST', `/api/calls/${call.id}/close`);
    expect((await approver('POST', path, { applicationId: 'app-13', amount: 150_000 })).status).toBe(201);
    expect((await manager<Call>('GET', `/api/calls/${call.id}`)).body).toMatchObject({
      committedBudget: 1_000_000,
      remainingBudget: 0,
    });
  });

  it('lets a service reserve with its own identity, and still no region', async () => {
    const call = await published({ totalBudget: 1_000_000, perApplicationCeiling: 300_000 });
    const path = `/api/calls/${call.id}/reservations`;
    const reserved = await lifecycle<Reservation>('POST', path, { applicationId: 'app-21', amount: 200_000 });
    expect(reserved.status).toBe(201);
    expect(reserved.body).toMatchObject({
      applicationId: 'app-21',
      amount: 200_000,
      committedBudget: 200_000,
      remainingBudget: 800_000,
    });
    // A retry after a lost answer gets the same reservation.
    expect(
      (await lifecycle<Reservation>('POST', path, { applicationId: 'app-21', amount: 200_000 })).status,
    ).toBe(200);
    expect((await lifecycle<Call>('GET', `/api/calls/${call.id}`)).body).toMatchObject({
      committedBudget: 200_000,
      remainingBudget: 800_000,
    });
    const event = await eventually(
      () =>
        Promise.resolve(
          wire
            .of(call.id)
            .find(
              (e) => e.type === 'call.budget-reserved' && (e.data as Reservation).applicationId === 'app-21',
            ),
        ),
      'the reservation on the wire',
    );
    expect(event.actor).toEqual({ kind: 'user', sub: 'lifecycle', roles: ['service'] });

    expect((await region('POST', path, { applicationId: 'app-22', amount: 1 })).status).toBe(403);
    expect((await reviewer('POST', path, { applicationId: 'app-22', amount: 1 })).status).toBe(403);
    // Nobody reserves against a draft; a service sees it, so the answer is 409 rather than 404.
    const notYet = await draft();
    expect(
      (await lifecycle('POST', `/api/calls/${notYet.id}/reservations`, { applicationId: 'a', amount: 1 }))
        .status,
    ).toBe(409);
    // The service role drafts and manages nothing.
    expect((await lifecycle('POST', '/api/calls', callDraft())).status).toBe(403);
    expect((await lifecycle('POST', `/api/calls/${call.id}/close`)).status).toBe(403);
    expect((await lifecycle('PATCH', `/api/calls/${call.id}`, { summary: 'No.' })).status).toBe(403);
  });

  it('refuses a service token that names a region', async () => {
    const regional = await calls.as('lifecycle', ['service'], 'BG41');
    const call = await published();
    expect((await regional('GET', `/api/calls/${call.id}`)).status).toBe(401);
  });

  it('keeps the total at or above what is committed', async () => {
    const call = await published({ totalBudget: 1_000_000, perApplicationCeiling: 300_000 });
    await approver('POST', `/api/calls/${call.id}/reservations`, { applicationId: 'app-1', amount: 300_000 });
    const below = await manager<Problem>('PATCH', `/api/calls/${call.id}`, {
      totalBudget: 200_000,
      perApplicationCeiling: 100_000,
    });
    expect(below.status).toBe(422);
    const raised = await manager<Call>('PATCH', `/api/calls/${call.id}`, { totalBudget: 2_000_000 });
    expect(raised.body).toMatchObject({
      totalBudget: 2_000_000,
      committedBudget: 300_000,
      remainingBudget: 1_700_000,
    });
  });
});

describe('the service itself', () => {
  it('describes every route in its OpenAPI document', async () => {
    const document = (await (await fetch(`${calls.service.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/calls',
      '/api/calls/{id}',
      '/api/calls/{id}/close',
      '/api/calls/{id}/publish',
      '/api/calls/{id}/reservations',
    ]);
    expect(Object.keys(document.paths['/api/calls']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(document.paths['/api/calls/{id}']!).sort()).toEqual(['get', 'patch']);
  });

  it('is ready when MongoDB, Kafka and Temporal answer', async () => {
    const ready = await fetch(`${calls.service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks).toEqual({
      mongodb: 'ok',
      kafka: 'ok',
      temporal: 'ok',
      worker: 'ok',
    });
  });
});
