import { createHash } from 'node:crypto';
import type { CallSnapshot, SubmissionReceipt } from '@s3p/contracts';
import { submittedApplication } from '@s3p/contracts';
import type { Caller, Resource, TestApplications, Wire } from './support';
import {
  applicationDraft,
  callSnapshot,
  canonical,
  draftWhenOpen,
  eventually,
  inDays,
  opened,
  published,
  startTestApplications,
} from './support';

type Problem = { status: number; detail?: string; errors?: { path: string; message: string }[] };

let t: TestApplications;
let wire: Wire;
let bulgaria: Caller;
let spain: Caller;
let reviewer: Caller;
let manager: Caller;
let auditor: Caller;
let expert: Caller;
let call: CallSnapshot;

beforeAll(async () => {
  t = await startTestApplications('applications-http');
  wire = await t.tap(t.applicationsTopic);
  bulgaria = await t.region('BG41');
  spain = await t.region('ES11');
  reviewer = await t.as('reviewer1', ['reviewer']);
  manager = await t.as('manager', ['programme-manager']);
  auditor = await t.as('auditor', ['auditor']);
  expert = await t.as('expert01', ['expert']);
  call = callSnapshot('industrial-transition');
  await t.publish(published(call), opened(call));
});

afterAll(async () => {
  await t?.stop();
});

const path = (id: string, rest = '') => `/api/applications/${id}${rest}`;

describe('an application from draft to receipt', () => {
  it('drafts, changes, submits, and proves what was submitted', async () => {
    const { title: _title, ...withoutTitle } = applicationDraft(call.id);
    const created = await draftWhenOpen(bulgaria, withoutTitle);
    expect(created.status).toBe(201);
    const draft = created.body;
    expect(created.headers.get('location')).toBe(path(draft.id));
    expect(created.headers.get('etag')).toBe('"1"');
    expect(draft).toMatchObject({
      callId: call.id,
      region: 'BG41',
      pilotType: 'industrial-transition',
      status: 'draft',
      version: 1,
      partners: [],
      submissions: [],
    });

    // Incomplete: the title is missing, and the submission says so.
    const incomplete = await bulgaria<Problem>('POST', path(draft.id, '/submit'));
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.errors?.map((e) => e.path)).toEqual(['title']);

    const patched = await bulgaria<Resource>(
      'PATCH',
      path(draft.id),
      { title: 'Smart manufacturing transition', s3Strategy: { governance: 'A council of twelve.' } },
      { 'if-match': '"1"' },
    );
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    // The other steps keep their summaries.
    expect(patched.body.s3Strategy).toMatchObject({
      governance: 'A council of twelve.',
      monitoring: 'Yearly indicators reviewed by the council.',
    });

    const submitted = await bulgaria<SubmissionReceipt>('POST', path(draft.id, '/submit'));
    expect(submitted.status).toBe(201);
    const receipt = submitted.body;
    expect(receipt).toMatchObject({ applicationId: draft.id, submissionVersion: 1 });
    expect(receipt.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(submitted.headers.get('location')).toBe(path(draft.id, '/submissions/1'));

    const frozen = await bulgaria<{ snapshot: unknown; receipt: SubmissionReceipt }>(
      'GET',
      path(draft.id, '/submissions/1'),
    );
    expect(frozen.status).toBe(200);
    expect(frozen.body.receipt).toEqual(receipt);
    expect(submittedApplication.safeParse(frozen.body.snapshot).success).toBe(true);
    expect(frozen.body.snapshot).toMatchObject({
      id: draft.id,
      region: 'BG41',
      title: 'Smart manufacturing transition',
    });
    expect(createHash('sha256').update(canonical(frozen.body.snapshot)).digest('hex')).toBe(
      receipt.contentHash,
    );

    const after = await bulgaria<Resource>('GET', path(draft.id));
    expect(after.body).toMatchObject({ status: 'submitted', version: 3, submissions: [receipt] });
    // Submitted is frozen: no change, no second submission.
    expect((await bulgaria('PATCH', path(draft.id), { title: 'Changed' })).status).toBe(409);
    expect((await bulgaria('POST', path(draft.id, '/submit'))).status).toBe(409);
    expect((await bulgaria('GET', path(draft.id, '/submissions/2'))).status).toBe(404);
    expect((await bulgaria('GET', path(draft.id, '/submissions/one'))).status).toBe(404);

    const events = await eventually(() => {
      const types = wire.of(draft.id).map((e) => e.type);
      return Promise.resolve(types.includes('application.submitted') ? types : undefined);
    }, 'application.submitted on the wire');
    expect(events).toEqual(['application.drafted', 'application.submitted']);
    const onTheWire = wire.of(draft.id).find((e) => e.type === 'application.submitted');
    expect(onTheWire?.data).toEqual({ application: frozen.body.snapshot, receipt });
    expect(onTheWire).toMatchObject({ source: 'applications', actor: { kind: 'user', sub: 'region-bg41' } });
  });

  it('lists every missing item of an incomplete submission at once', async () => {
    const { body } = await draftWhenOpen(bulgaria, {
      callId: call.id,
      title: 'Barely started',
      s3Strategy: { contextAnalysis: 'Some context.' },
      budget: { total: 100_000_00, requested: 300_000_00 },
      workPlan: [{ title: 'Too early', dueDate: inDays(1).slice(0, 10), deliverables: ['Nothing'] }],
    });
    const answer = await bulgaria<Problem>('POST', path(body.id, '/submit'));
    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.errors?.map((e) => e.path)).toEqual([
      's3Strategy.governance',
      's3Strategy.sharedVision',
      's3Strategy.priorities',
      's3Strategy.policyMix',
      's3Strategy.monitoring',
      'priorityDomains',
      'requestedSupport',
      'supportDescription',
      'budget.requested',
      'budget.requested',
      'workPlan.0.dueDate',
    ]);
    expect((await bulgaria<Resource>('GET', path(body.id))).body.status).toBe('draft');
  });

  it('withdraws a draft or a submission, and withdrawn is final', async () => {
    const draft = (await draftWhenOpen(bulgaria, applicationDraft(call.id))).body;
    const withdrawn = await bulgaria<Resource>('POST', path(draft.id, '/withdraw'), { reason: 'Not ready.' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawalReason: 'Not ready.' });
    expect((await bulgaria('POST', path(draft.id, '/withdraw'))).status).toBe(409);
    expect((await bulgaria('POST', path(draft.id, '/submit'))).status).toBe(409);
    expect((await bulgaria('PATCH', path(draft.id), { title: 'Back again' })).status).toBe(409);

    const other = (await draftWhenOpen(bulgaria, applicationDraft(call.id))).body;
    expect((await bulgaria('POST', path(other.id, '/submit'))).status).toBe(201);
    // No body at all is a withdrawal without a reason.
    const after = await bulgaria<Resource>('POST', path(other.id, '/withdraw'));
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('withdrawn');
    expect(after.body.withdrawalReason).toBeUndefined();
    expect((await bulgaria('POST', path(other.id, '/withdraw'), { reason: 'x', why: 'y' })).status).toBe(400);

    await eventually(
      () => Promise.resolve(wire.of(other.id).some((e) => e.type === 'application.withdrawn') || undefined),
      'application.withdrawn on the wire',
    );
    const withdrawal = wire.of(draft.id).find((e) => e.type === 'application.withdrawn');
    expect(withdrawal?.data).toMatchObject({ applicationId: draft.id, reason: 'Not ready.' });
  });

  it('answers 412 to a change based on a stale version, and changes nothing', async () => {
    const draft = (await draftWhenOpen(bulgaria, applicationDraft(call.id))).body;
    expect((await bulgaria('PATCH', path(draft.id), { title: 'First' }, { 'if-match': '"1"' })).status).toBe(
      200,
    );
    const stale = await bulgaria<Problem>(
      'PATCH',
      path(draft.id),
      { title: 'Second' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
    expect((await bulgaria('POST', path(draft.id, '/submit'), undefined, { 'if-match': '"1"' })).status).toBe(
      412,
    );
    expect(
      (await bulgaria('POST', path(draft.id, '/withdraw'), undefined, { 'if-match': '"1"' })).status,
    ).toBe(412);
    expect((await bulgaria('PATCH', path(draft.id), { title: 'x' }, { 'if-match': 'two' })).status).toBe(400);
    expect((await bulgaria<Resource>('GET', path(draft.id))).body).toMatchObject({
      title: 'First',
      version: 2,
    });
  });

  it('gives the same receipt once for a repeated submission with one Idempotency-Key', async () => {
    const draft = (await draftWhenOpen(bulgaria, applicationDraft(call.id))).body;
    const key = { 'idempotency-key': `submit-${draft.id}` };
    const first = await bulgaria<SubmissionReceipt>('POST', path(draft.id, '/submit'), undefined, key);
    const second = await bulgaria<SubmissionReceipt>('POST', path(draft.id, '/submit'), undefined, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    const after = await bulgaria<Resource & { submissions: unknown[] }>('GET', path(draft.id));
    expect(after.body.submissions).toHaveLength(1);
    // Without the key, a second submission is refused.
    expect((await bulgaria('POST', path(draft.id, '/submit'))).status).toBe(409);

    // Submissions at the same moment without a key: one wins, the others find it submitted.
    const raced = (await draftWhenOpen(bulgaria, applicationDraft(call.id))).body;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => bulgaria('POST', path(raced.id, '/submit'))),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const racedAfter = await bulgaria<Resource & { submissions: unknown[] }>('GET', path(raced.id));
    expect(racedAfter.body).toMatchObject({ status: 'submitted', version: 2 });
    expect(racedAfter.body.submissions).toHaveLength(1);

    // A draft created twice with one key is one draft.
    const body = applicationDraft(call.id, { title: 'Once only' });
    const a = await bulgaria<Resource>('POST', '/api/applications', body, {
      'idempotency-key': 'draft-once',
    });
    const b = await bulgaria<Resource>('POST', '/api/applications', body, {
      'idempotency-key': 'draft-once',
    });
    expect(b.body.id).toBe(a.body.id);
    const mine = await bulgaria<{ items: Resource[] }>(
      'GET',
      `/api/applications?callId=${call.id}&limit=100`,
    );
    expect(mine.body.items.filter((i) => i.title === 'Once only')).toHaveLength(1);
  });
});

describe('who may do what', () => {
  it('keeps a region to its own applications', async () => {
    const mine = (await draftWhenOpen(bulgaria, applicationDraft(call.id))).body;
    for (const [method, target, body] of [
      ['GET', path(mine.id), undefined],
      ['PATCH', path(mine.id), { title: 'Mine now' }],
      ['POST', path(mine.id, '/submit'), undefined],
      ['POST', path(mine.id, '/withdraw'), undefined],
      ['POST', path(mine.id, '/partners/ES11/confirm'), undefined],
      ['GET', path(mine.id, '/submissions/1'), undefined],
    ] as const) {
      const answer = await spain(method, target, body);
      expect({ method, target, status: answer.status }).toEqual({ method, target, status: 404 });
    }
    const listed = await spain<{ items: Resource[] }>('GET', '/api/applications?limit=100');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((a) => a.id)).not.toContain(mine.id);
    const own = await bulgaria<{ items: Resource[] }>('GET', '/api/applications?limit=100');
    expect(own.body.items.map((a) => a.id)).toContain(mine.id);
    expect((await bulgaria<Resource>('GET', path(mine.id))).body.title).toBe(
      'Smart manufacturing transition',
    );
  });

  it('lets the Commission and audit read everything and write nothing', async () => {
    const mine = (await draftWhenOpen(bulgaria, applicationDraft(call.id))).body;
    for (const reader of [manager, auditor]) {
      expect((await reader('GET', path(mine.id))).status).toBe(200);
      const listed = await reader<{ items: Resource[] }>(
        'GET',
        `/api/applications?callId=${call.id}&limit=100`,
      );
      expect(listed.body.items.map((a) => a.id)).toContain(mine.id);
      expect((await reader('PATCH', path(mine.id), { title: 'Ours' })).status).toBe(403);
      expect((await reader('POST', path(mine.id, '/submit'))).status).toBe(403);
    }
    // A reviewer reads only what it evaluates, through the lifecycle, after its declaration.
    expect((await reviewer('GET', path(mine.id))).status).not.toBe(200);
    const byReviewer = await reviewer<Problem>('POST', '/api/applications', applicationDraft(call.id));
    expect(byReviewer.status).toBe(403);
    expect(byReviewer.headers.get('content-type')).toContain('application/problem+json');
    expect((await manager('POST', '/api/applications', applicationDraft(call.id))).status).toBe(403);
    expect((await expert('GET', '/api/applications')).status).toBe(403);
    expect((await expert('GET', path(mine.id))).status).toBe(403);
    const anonymous = await fetch(`${t.service.url}/api/applications`);
    expect(anonymous.status).toBe(401);
  });

  it('pages and filters the list', async () => {
    const bodies = ['P1', 'P2', 'P3'].map((title) => applicationDraft(call.id, { title }));
    const ids: string[] = [];
    for (const body of bodies) ids.push((await draftWhenOpen(bulgaria, body)).body.id);
    const first = await bulgaria<{ items: Resource[]; nextCursor?: string }>(
      'GET',
      '/api/applications?limit=2',
    );
    expect(first.body.items.map((i) => i.id)).toEqual([ids[2], ids[1]]);
    const second = await bulgaria<{ items: Resource[] }>(
      'GET',
      `/api/applications?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items[0]?.id).toBe(ids[0]);
    const submitted = await manager<{ items: Resource[] }>(
      'GET',
      '/api/applications?status=submitted&limit=100',
    );
    expect(submitted.body.items.every((i) => i.status === 'submitted')).toBe(true);
    expect((await bulgaria('GET', '/api/applications?status=sleeping')).status).toBe(400);
    expect((await bulgaria('GET', '/api/applications?limit=0')).status).toBe(400);
    expect((await bulgaria('GET', '/api/applications?cursor=nope')).status).toBe(400);
    expect((await bulgaria('GET', '/api/applications?region=ES11')).status).toBe(400);
  });
});

describe('bad input', () => {
  it.each([
    ['region', 'ES11'],
    ['status', 'submitted'],
    ['score', 100],
    ['submissions', []],
    ['colour', 'blue'],
  ])('refuses the unknown or privileged field %s with 400 naming it', async (field, value) => {
    const answer = await bulgaria<Problem>('POST', '/api/applications', {
      ...applicationDraft(call.id),
      [field]: value,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.path)).toContain(`body.${field}`);
  });

  it('refuses malformed values, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...applicationDraft(call.id), budget: { total: 'a lot', requested: 1 } }, 'body.budget.total'],
      [{ ...applicationDraft(call.id), partners: ['QQ99'] }, 'body.partners.0'],
      // Refused before validation by service-kit's JSON guard, which names the operator key.
      [{ ...applicationDraft(call.id), callId: { $gt: '' } }, 'body.callId.$gt'],
    ];
    for (const [body, field] of cases) {
      const answer = await bulgaria<Problem>('POST', '/api/applications', body);
      expect({ field, status: answer.status }).toEqual({ field, status: 400 });
      expect(answer.body.errors?.map((e) => e.path)).toContain(field);
    }
    const draft = (await draftWhenOpen(bulgaria, applicationDraft(call.id))).body;
    const patch = await bulgaria<Problem>('PATCH', path(draft.id), { status: 'submitted' });
    expect(patch.status).toBe(400);
    expect(patch.body.errors?.map((e) => e.path)).toContain('body.status');
    expect((await bulgaria('PATCH', path(draft.id), { callId: 'another' })).status).toBe(400);
    expect((await bulgaria('PATCH', path(draft.id), {})).status).toBe(400);
    expect((await bulgaria('POST', '/api/applications', '{"callId": ')).status).toBe(400);
    expect((await bulgaria('POST', '/api/applications', 'x', { 'content-type': 'text/plain' })).status).toBe(
      415,
    );
  });

  it('refuses a draft for a call it does not know, and partners in an industrial-transition pilot', async () => {
    const unknown = await bulgaria<Problem>('POST', '/api/applications', applicationDraft('no-such-call'));
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors?.map((e) => e.path)).toEqual(['body.callId']);
    const partnered = await bulgaria<Problem>(
      'POST',
      '/api/applications',
      applicationDraft(call.id, { partners: ['EL30'] }),
    );
    expect(partnered.status).toBe(422);
    expect(partnered.body.errors?.map((e) => e.path)).toEqual(['body.partners']);
  });

  it('refuses a region of a member state the call does not admit', async () => {
    const sweden = await t.region('SE33');
    const answer = await sweden<Problem>('POST', '/api/applications', applicationDraft(call.id));
    expect(answer.status).toBe(422);
    expect(answer.body.errors?.map((e) => e.path)).toEqual(['body.region']);
  });

  it('serves its OpenAPI document and readiness', async () => {
    const document = (await (await fetch(`${t.service.url}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/applications',
      '/api/applications/{id}',
      '/api/applications/{id}/partners/{nutsCode}/confirm',
      '/api/applications/{id}/submissions/{version}',
      '/api/applications/{id}/submit',
      '/api/applications/{id}/withdraw',
    ]);
    const ready = await fetch(`${t.service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { mongodb: 'ok', kafka: 'ok' } });
  });
});

describe('the wire', () => {
  it('carries only events that validate against their contract', async () => {
    await eventually(() => Promise.resolve(wire.events.length >= 10 || undefined), 'events on the wire');
    expect(wire.invalid).toEqual([]);
    expect(wire.events.every((e) => e.source === 'applications')).toBe(true);
  });
});
